import type { Platform } from '../../infra/local/platform.ts';
import { CITY_BUREAU_ID, provisionRootAgency } from '../../infra/local/seed.ts';
import { type Claims, claimsFor, type TokenUser } from '../../infra/local/tokens.ts';
import { newId } from '../../shared/kernel/ids.ts';

/** Calling the API in-process through the embedded router, for the benchmarks (as the console would). */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}
export interface CallOpts {
  body?: unknown;
  idem?: boolean;
  ifMatch?: string | undefined;
}
export type Caller = (method: string, path: string, o?: CallOpts) => Promise<Answer>;

export const callerFor =
  (platform: Platform, claims: Claims, userAgent: string): Caller =>
  async (method, path, o = {}) => {
    const headers: Record<string, string> = { 'user-agent': userAgent, host: '127.0.0.1' };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.idem) headers['idempotency-key'] = `bench-${newId()}`;
    if (o.ifMatch) headers['if-match'] = o.ifMatch;
    const r = await platform.router.dispatch({ method, url: path, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) }, { claims });
    const text = r.body.toString('utf8');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, text, json };
  };

export const ok = (a: Answer, what: string): Answer => {
  if (a.status >= 300) throw new Error(`${what} → ${a.status}: ${a.text.slice(0, 500)}`);
  return a;
};

/**
 * The small organisation a benchmark works in: the root agency provisioned in-process (as the seed
 * does), a district bureau, an enforcement unit and certified officers, all through the API.
 */
export const benchOrganisation = async (platform: Platform, userAgent: string, officers: readonly { name: string; staffNumber: string; certificate: string }[]) => {
  await provisionRootAgency({ key: 'city', name: '基准测试市司法局', kind: 'cityBureau', region: '基准市', units: [] });
  const as = (u: TokenUser) => callerFor(platform, claimsFor(u), userAgent);
  const cityAdmin = as({ userId: 'bench-city-admin', name: '市局管理员', agencyId: CITY_BUREAU_ID, roles: ['sysAdmin'] });
  const agencyId = ok(
    await cityAdmin('POST', '/agencies', {
      body: { name: '基准测试区司法局', kind: 'districtBureau', parentId: CITY_BUREAU_ID, region: '基准市青山区' },
      idem: true,
    }),
    'POST /agencies',
  ).json.agencyId as string;
  const sysAdmin = as({ userId: 'bench-dist-admin', name: '区局管理员', agencyId, roles: ['sysAdmin'] });
  const political = as({ userId: 'bench-dist-political', name: '政工科', agencyId, roles: ['political'] });
  const unitId = ok(await sysAdmin('POST', `/agencies/${agencyId}/units`, { body: { name: '执法一科', function: 'enforcement' }, idem: true }), 'POST units').json.unitId as string;
  const officerIds: string[] = [];
  for (const o of officers) {
    const officerId = ok(
      await sysAdmin('POST', '/officers', {
        body: { name: o.name, staffNumber: o.staffNumber, agencyId, unitId, post: '执法人员', employment: 'civilServant' },
        idem: true,
      }),
      'POST /officers',
    ).json.officerId as string;
    ok(
      await political('POST', `/officers/${officerId}/qualifications`, {
        body: { certificateNumber: o.certificate, certificateType: '行政执法证', issuedOn: '2026-01-05', issuedBy: '基准市人民政府', trainingCompleted: true, examPassed: true },
        idem: true,
      }),
      'POST qualifications',
    );
    officerIds.push(officerId);
  }
  return { as, cityAdmin, agencyId, unitId, officerIds };
};
