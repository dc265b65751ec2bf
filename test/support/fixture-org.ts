/**
 * A small organisation for integration and property tests, built THROUGH THE HTTP API (callRoute,
 * the real handlers) in the worker's current table — call `freshTable()` first:
 *
 *   CITY  测试市司法局 (root, provisioned like infra/local/seed.ts)
 *   │  unit 市局执法科 ── officer 王五 (file open)
 *   └─ DIST 测试区司法局 (created by POST /agencies)
 *        unit U1 执法一科 ── officer 张三 (THE officer: certificate issued → file open, A5)
 *        unit U2 执法二科 ── officer 李四 (file open)
 *   OTHER 外市司法局 (a second, unrelated root)
 *        unit 外市执法科 ── officer 赵六 (file open)
 *
 * `claims` are JWT claims as API Gateway's authorizer hands them to a function (pass them as
 * `callRoute(…, { claims })`); each caller is documented on `FixtureClaims`. Everything is created
 * with fresh ids, so several fixture organisations can live in one table.
 *
 * Cost: 13 API calls (≈1 s against DynamoDB Local). Build it once per file in `beforeAll`.
 */
import { expect } from 'vitest';
import type { Role } from '#shared/access/principal.ts';
import { newId } from '#shared/kernel/ids.ts';
import { provisionRootAgency } from '#shared/org/service.ts';
import { callRoute, type Claims } from './platform.ts';

/** Every kind of caller the authorisation and property tests need. Unless said otherwise, in DIST. */
export interface FixtureClaims {
  /** 张三, the officer whose file the tests work on (officer role, U1, own officerId) */
  officer: Claims;
  /** 李四, a colleague in the other department U2 (has a file of his own) */
  otherOfficer: Claims;
  /** head of the officer's department U1 (deptHead + officer, no officerId of his own) */
  deptHead: Claims;
  /** head of the other department U2 */
  otherHead: Claims;
  /** DIST agency leadership (机关领导) */
  leadership: Claims;
  /** DIST discipline (纪检监察) */
  discipline: Claims;
  /** DIST designated file recorder (档案记录员) */
  recorder: Claims;
  /** DIST political/personnel department (政工): issues certificates, transfers files */
  political: Claims;
  /** DIST legal department (法制) */
  legal: Claims;
  /** DIST personnel archive keeper (人事档案保管) */
  personnel: Claims;
  /** DIST system administrator (系统管理员): org management, rule publishing */
  sysAdmin: Claims;
  /** DIST security administrator (安全保密管理员) */
  secAdmin: Claims;
  /** DIST security auditor (安全审计员): audit query, export, verification */
  auditor: Claims;
  /** CITY system administrator (may create agencies under the city bureau) */
  cityAdmin: Claims;
  /** CITY leadership: a superior agency of DIST */
  cityLeader: Claims;
  /** CITY security auditor (安全审计员): audits DIST, its subordinate, read-only */
  cityAuditor: Claims;
  /** 王五, an officer of CITY */
  cityOfficer: Claims;
  /** leadership of OTHER, the unrelated root agency */
  otherAgency: Claims;
  /** 赵六, an officer of OTHER, the unrelated root agency (with a file of his own there) */
  unrelatedOfficer: Claims;
  /** the auditor of OTHER (its audit chains hold little: cheap to verify) */
  otherAuditor: Claims;
  /** a signed-in user with a role but no relation to anything: an agency id that does not exist, no unit, no officer */
  noRelation: Claims;
  /**
   * an officer of DIST/U2 without an officerId; the authorisation matrix gives this user an expired
   * grant on the officer's file (the fixture itself grants nothing)
   */
  expiredGrant: Claims;
}

export interface FixtureOrg {
  /** the root city bureau (CITY) */
  cityId: string;
  /** the district bureau (DIST) the officer belongs to */
  agencyId: string;
  /** the unrelated second root (OTHER) */
  otherRootId: string;
  /** the officer's department U1 */
  unitId: string;
  /** the other department U2 of DIST */
  otherUnitId: string;
  /** CITY's enforcement department */
  cityUnitId: string;
  /** OTHER's enforcement department */
  otherRootUnitId: string;
  /** 张三 — the officer with an opened file */
  officerId: string;
  /** 张三's enforcement certificate (its issue opened the file) */
  qualificationId: string;
  certificateNumber: string;
  /** 李四 in U2 */
  otherOfficerId: string;
  /** 王五 in CITY */
  cityOfficerId: string;
  /** 赵六 in OTHER */
  unrelatedOfficerId: string;
  claims: FixtureClaims;
  /** a new officer in DIST/U1 with an open file (for tests that change custody or certificates) */
  newOfficerWithFile(): Promise<string>;
}

let seq = 0;
/** a fresh, valid Idempotency-Key */
export const idempotencyKey = (prefix = 'fixture') => `${prefix}-${Date.now()}-${++seq}`;

/** JWT claims as the authorizer passes them (see infra/local/tokens.ts claimsFor) */
export const claimsOf = (sub: string, agencyId: string, roles: Role[], extra: { unitId?: string; officerId?: string; name?: string } = {}): Claims => ({
  sub,
  name: extra.name ?? sub,
  'custom:agencyId': agencyId,
  'cognito:groups': roles,
  ...(extra.unitId ? { 'custom:unitId': extra.unitId } : {}),
  ...(extra.officerId ? { 'custom:officerId': extra.officerId } : {}),
});

/** a call that must succeed (2xx); returns the JSON body */
const ok = async (method: string, path: string, claims: Claims, body?: unknown) => {
  const r = await callRoute(method, path, { claims, body, headers: { 'idempotency-key': idempotencyKey() } });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r.json;
};

const certificate = (n: string) => ({
  certificateNumber: n,
  certificateType: '行政执法证',
  issuedOn: '2026-01-05',
  issuedBy: '市人民政府',
  trainingCompleted: true,
  examPassed: true,
});

export const buildFixtureOrg = async (): Promise<FixtureOrg> => {
  const bootstrap = { principal: { userId: 'system:test-bootstrap', agencyId: 'bootstrap', roles: ['sysAdmin' as const] }, source: {} };
  const cityId = newId();
  const otherRootId = newId();
  await provisionRootAgency(bootstrap, { agencyId: cityId, name: '测试市司法局', kind: 'cityBureau' }, 'test fixture');
  await provisionRootAgency(bootstrap, { agencyId: otherRootId, name: '外市司法局', kind: 'cityBureau' }, 'test fixture');

  const cityAdmin = claimsOf('city-admin', cityId, ['sysAdmin']);
  const otherAdmin = claimsOf('other-admin', otherRootId, ['sysAdmin']);
  const agencyId = (await ok('POST', '/agencies', cityAdmin, { name: '测试区司法局', kind: 'districtBureau', parentId: cityId })).agencyId as string;
  const sysAdmin = claimsOf('dist-admin', agencyId, ['sysAdmin']);
  const unit = async (inAgency: string, by: Claims, name: string) => (await ok('POST', `/agencies/${inAgency}/units`, by, { name, function: 'enforcement' })).unitId as string;
  const u1 = await unit(agencyId, sysAdmin, '执法一科');
  const u2 = await unit(agencyId, sysAdmin, '执法二科');
  const cityUnit = await unit(cityId, cityAdmin, '市局执法科');
  const otherUnit = await unit(otherRootId, otherAdmin, '外市执法科');

  const political = claimsOf('dist-political', agencyId, ['political']);
  /** registers an officer and issues a certificate (which opens the file, A5) */
  const officerWithFile = async (o: { unitId: string; name: string; agencyId?: string; by?: Claims; issuer?: Claims; certificateNumber?: string }) => {
    const inAgency = o.agencyId ?? agencyId;
    const created = await ok('POST', '/officers', o.by ?? sysAdmin, {
      name: o.name,
      staffNumber: `S-${newId().slice(-6)}`,
      agencyId: inAgency,
      unitId: o.unitId,
      post: '执法员',
      employment: 'civilServant',
    });
    const officerId = created.officerId as string;
    const q = await ok('POST', `/officers/${officerId}/qualifications`, o.issuer ?? political, certificate(o.certificateNumber ?? `ZF-${newId().slice(-8)}`));
    return { officerId, qualificationId: q.qualificationId as string };
  };

  const certificateNumber = `ZF-${newId().slice(-8)}`;
  const main = await officerWithFile({ unitId: u1, name: '张三', certificateNumber });
  const other = await officerWithFile({ unitId: u2, name: '李四' });
  const city = await officerWithFile({ unitId: cityUnit, name: '王五', agencyId: cityId, by: cityAdmin, issuer: claimsOf('city-political', cityId, ['political']) });
  const unrelated = await officerWithFile({ unitId: otherUnit, name: '赵六', agencyId: otherRootId, by: otherAdmin, issuer: claimsOf('other-political', otherRootId, ['political']) });

  let spare = 0;
  return {
    cityId,
    agencyId,
    otherRootId,
    unitId: u1,
    otherUnitId: u2,
    cityUnitId: cityUnit,
    otherRootUnitId: otherUnit,
    officerId: main.officerId,
    qualificationId: main.qualificationId,
    certificateNumber,
    otherOfficerId: other.officerId,
    cityOfficerId: city.officerId,
    unrelatedOfficerId: unrelated.officerId,
    claims: {
      officer: claimsOf('zhangsan', agencyId, ['officer'], { unitId: u1, officerId: main.officerId, name: '张三' }),
      otherOfficer: claimsOf('lisi', agencyId, ['officer'], { unitId: u2, officerId: other.officerId, name: '李四' }),
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
      cityAdmin,
      cityLeader: claimsOf('city-leader', cityId, ['leadership']),
      cityAuditor: claimsOf('city-auditor', cityId, ['auditor']),
      cityOfficer: claimsOf('wangwu', cityId, ['officer'], { unitId: cityUnit, officerId: city.officerId, name: '王五' }),
      otherAgency: claimsOf('other-leader', otherRootId, ['leadership']),
      unrelatedOfficer: claimsOf('zhaoliu', otherRootId, ['officer'], { unitId: otherUnit, officerId: unrelated.officerId, name: '赵六' }),
      otherAuditor: claimsOf('other-auditor', otherRootId, ['auditor']),
      noRelation: claimsOf('stranger', newId(), ['officer']),
      expiredGrant: claimsOf('grantee', agencyId, ['officer'], { unitId: u2 }),
    },
    newOfficerWithFile: async () => (await officerWithFile({ unitId: u1, name: `新人${++spare}` })).officerId,
  };
};
