/**
 * A small organisation for integration tests, built through the HTTP API in a fresh table:
 *
 *   CITY (市司法局, root) ── DIST (区司法局): unit U1 (执法一科, the officer's), unit U2 (执法二科)
 *   OTHER (another city's bureau, an unrelated root)
 *
 * One officer in DIST/U1 with an issued certificate (so the file is open, A5), a colleague in U2,
 * and claims for every kind of caller the authorisation tests need.
 */
import { provisionRootAgency } from '#shared/org/service.ts';
import { newId } from '#shared/kernel/ids.ts';
import { expect } from 'vitest';
import { callRoute, type Claims } from './platform.ts';

export interface FixtureOrg {
  cityId: string;
  agencyId: string;
  otherRootId: string;
  unitId: string;
  otherUnitId: string;
  officerId: string;
  otherOfficerId: string;
  certificateNumber: string;
  claims: Record<
    | 'officer' | 'otherOfficer' | 'deptHead' | 'otherHead' | 'leadership' | 'discipline' | 'recorder' | 'political' | 'legal' | 'personnel'
    | 'sysAdmin' | 'secAdmin' | 'auditor' | 'cityLeader' | 'cityOfficer' | 'otherAgency' | 'expiredGrant',
    Claims
  >;
  /** a new officer in U1 with an open file (for tests that change custody) */
  newOfficerWithFile(): Promise<string>;
}

let seq = 0;
const key = () => `fixture-${Date.now()}-${++seq}`;

const ok = async (method: string, path: string, claims: Claims, body?: unknown) => {
  const r = await callRoute(method, path, { claims, body, headers: { 'idempotency-key': key() } });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r.json;
};

const claimsOf = (sub: string, agencyId: string, roles: string[], extra: { unitId?: string; officerId?: string } = {}): Claims => ({
  sub, name: sub, 'custom:agencyId': agencyId, 'cognito:groups': roles,
  ...(extra.unitId ? { 'custom:unitId': extra.unitId } : {}), ...(extra.officerId ? { 'custom:officerId': extra.officerId } : {}),
});

export const buildFixtureOrg = async (): Promise<FixtureOrg> => {
  const bootstrap = { principal: { userId: 'system:test-bootstrap', agencyId: 'bootstrap', roles: ['sysAdmin' as const] }, source: {} };
  const cityId = newId();
  const otherRootId = newId();
  await provisionRootAgency(bootstrap, { agencyId: cityId, name: '测试市司法局', kind: 'cityBureau' }, 'test fixture');
  await provisionRootAgency(bootstrap, { agencyId: otherRootId, name: '外市司法局', kind: 'cityBureau' }, 'test fixture');
  const cityAdmin = claimsOf('city-admin', cityId, ['sysAdmin']);
  const dist = await ok('POST', '/agencies', cityAdmin, { name: '测试区司法局', kind: 'districtBureau', parentId: cityId });
  const agencyId = dist.agencyId as string;
  const sysAdmin = claimsOf('dist-admin', agencyId, ['sysAdmin']);
  const u1 = (await ok('POST', `/agencies/${agencyId}/units`, sysAdmin, { name: '执法一科', function: 'enforcement' })).unitId as string;
  const u2 = (await ok('POST', `/agencies/${agencyId}/units`, sysAdmin, { name: '执法二科', function: 'enforcement' })).unitId as string;
  const cityUnit = (await ok('POST', `/agencies/${cityId}/units`, cityAdmin, { name: '市局执法科', function: 'enforcement' })).unitId as string;
  const political = claimsOf('dist-political', agencyId, ['political']);
  const certificateNumber = `ZF-${newId().slice(-8)}`;
  const officerIn = async (unitId: string, name: string, inAgency = agencyId, by = sysAdmin, issuer = political) => {
    const o = await ok('POST', '/officers', by, { name, staffNumber: `S-${newId().slice(-6)}`, agencyId: inAgency, unitId, post: '执法员', employment: 'civilServant' });
    await ok('POST', `/officers/${o.officerId}/qualifications`, issuer, {
      certificateNumber: name === '张三' ? certificateNumber : `ZF-${newId().slice(-8)}`, certificateType: '行政执法证', issuedOn: '2026-01-05', issuedBy: '市人民政府', trainingCompleted: true, examPassed: true,
    });
    return o.officerId as string;
  };
  const officerId = await officerIn(u1, '张三');
  const otherOfficerId = await officerIn(u2, '李四');
  const cityOfficerId = await officerIn(cityUnit, '王五', cityId, cityAdmin, claimsOf('city-political', cityId, ['political']));
  return {
    cityId, agencyId, otherRootId, unitId: u1, otherUnitId: u2, officerId, otherOfficerId, certificateNumber,
    claims: {
      officer: claimsOf('zhangsan', agencyId, ['officer'], { unitId: u1, officerId }),
      otherOfficer: claimsOf('lisi', agencyId, ['officer'], { unitId: u2, officerId: otherOfficerId }),
      deptHead: claimsOf('head-u1', agencyId, ['deptHead', 'officer'], { unitId: u1 }),
      otherHead: claimsOf('head-u2', agencyId, ['deptHead', 'officer'], { unitId: u2 }),
      leadership: claimsOf('dist-leader', agencyId, ['leadership']),
      discipline: claimsOf('dist-discipline', agencyId, ['discipline']),
      recorder: claimsOf('dist-recorder', agencyId, ['recorder']),
      political,
      legal: claimsOf('dist-legal', agencyId, ['legal']),
      personnel: claimsOf('dist-personnel', agencyId, ['personnel']),
      sysAdmin,
      secAdmin: claimsOf('dist-secadmin', agencyId, ['secAdmin']),
      auditor: claimsOf('dist-auditor', agencyId, ['auditor']),
      cityLeader: claimsOf('city-leader', cityId, ['leadership']),
      cityOfficer: claimsOf('wangwu', cityId, ['officer'], { unitId: cityUnit, officerId: cityOfficerId }),
      otherAgency: claimsOf('other-leader', otherRootId, ['leadership']),
      expiredGrant: claimsOf('grantee', agencyId, ['officer'], { unitId: u2 }),
    },
    newOfficerWithFile: () => officerIn(u1, `新人${++seq}`),
  };
};
