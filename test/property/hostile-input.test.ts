/**
 * Hostile input on EVERY route of shared/api/routes.ts (the list is iterated: a new route is
 * covered automatically) — docs/security.md §7 "bad input never causes a 5xx", docs/architecture.md §9 problem+json, §13.
 *
 * Per route, through callRoute (the router + the real handler, against DynamoDB Local):
 *  1. RANDOM_RUNS fully random hostile requests: path parameters (ids of existing and missing
 *     records, garbage, 100k-character strings, unicode, `../`, `%00`, bad percent-encoding), query
 *     strings (`__proto__`, `constructor`, NaN, arrays, huge and negative numbers, forged cursors),
 *     bodies (fc.jsonValue / fc.anything, 5,000-level nesting, `__proto__`/`constructor` payloads,
 *     bodies over 256 KB, the route's real body with one field given a wrong type or a raw
 *     NaN/Infinity/1e309/lone surrogate, wrong content types, base64, empty), headers (If-Match
 *     garbage, Idempotency-Key too short/long/unicode/reused) and callers (the authorised
 *     principal mostly; no token; malformed claims);
 *  2. a top-up of requests broken in at least one validated part, until ≥ EDGE_RUNS requests of
 *     the route were refused at the edge (routing, authentication, validation — no DynamoDB);
 *  3. VALID_RUNS schema-valid requests generated from the route's own zod schemas (ids drawn from
 *     the fixture's real records, values still awkward: unicode, limits, edge dates), of which
 *     ≥ MIN_PAST_VALIDATION must get past the edge into the domain and DynamoDB;
 *  4. paginated routes: CURSOR_RUNS requests with a real cursor whose key values are forged.
 * Requests go BATCH at a time. Total per route ≈ 1,100: ≥ 1,000 refused at the edge (cheap, no
 * DynamoDB) + ≥ 50 in the domain; all of it ≈ 70 s alone, ≈ 140 s inside the full run on 2 workers.
 *
 * Every answer: status < 500; a JSON (or the route's declared) body; every 4xx is problem+json with
 * a Chinese title, and every 400 names the offending fields in `errors[].path`. Nothing internal
 * leaks. Afterwards Object.prototype is unpolluted and the audit chains and the files touched still
 * verify. Counts per route are printed at the end (console.table).
 *
 * Forged cursors were once a 500 (DynamoDB refused the start key); the reproductions at the end keep
 * them a 400.
 */
import fc from 'fast-check';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#shared/api/routes.ts';
import type { RouteContract } from '#shared/http/contract.ts';
import { MAX_BODY_BYTES } from '#shared/http/handler.ts';
import { shanghaiDate, systemClock } from '#shared/kernel/clock.ts';
import { newId } from '#shared/kernel/ids.ts';
import { provisionRootAgency } from '#shared/org/service.ts';
import { findOfficer } from '#shared/org/store.ts';
import { buildFixtureOrg, claimsOf, idempotencyKey, type FixtureClaims, type FixtureOrg } from '../support/fixture-org.ts';
import { callRoute, embedded, freshTable, objectCreatedEvent, type CallResult, type Claims } from '../support/platform.ts';
import { handler as evidenceArrived } from '#functions/events/evidence-arrived.ts';
import { sha256Hex } from '#shared/kernel/hash.ts';

/** requests per route refused at the edge (routing, authentication, validation: no DynamoDB) */
const EDGE_RUNS = 1000;
/** fully random hostile requests per route (they reach DynamoDB whenever every part happens to be valid) */
const RANDOM_RUNS = 200;
/** … and for routes without any edge validation (health, OpenAPI): all their requests are random */
const RANDOM_RUNS_WITHOUT_EDGE = 1000;
/** schema-valid requests per route, of which ≥ MIN_PAST_VALIDATION must reach the domain */
const VALID_RUNS = 56;
const MIN_PAST_VALIDATION = 50;
/** requests in flight at once (DynamoDB Local works while the worker builds the next request) */
const BATCH = 6;

// ---- the fixture and the pools of real ids ----------------------------------------------------

let org: FixtureOrg;
/** real record ids by parameter / field name; requests draw from these or from random ULIDs */
const pools: Record<string, string[]> = {};
/** officers whose custody or certificate a valid request may change (never the fixture's officer) */
const spare: { officerIds: string[]; qualificationIds: string[] } = { officerIds: [], qualificationIds: [] };

/**
 * The authorised caller of each route, so that requests get past authorisation into validation
 * and the domain. Any route not listed (a new one) is called as the officer, the owner of the file
 * most routes act on. Audit routes (group 'audit') are called by the auditor of a root agency made
 * for the route: every call that gets through is itself audited, and verification and export read
 * the whole chain or day, so a chain of its own keeps them from growing with the rest of the run
 * (the big chains are verified once at the end).
 */
const CALLER: Partial<Record<string, keyof FixtureClaims>> = {
  myGrants: 'otherHead',
  createAgency: 'cityAdmin',
  listAgencies: 'sysAdmin',
  createUnit: 'sysAdmin',
  listUnits: 'sysAdmin',
  listOfficers: 'sysAdmin',
  createOfficer: 'sysAdmin',
  issueQualification: 'political',
  recordQualificationEvent: 'political',
  createHandover: 'discipline',
  reviewDraft: 'deptHead',
  archiveDraft: 'recorder',
  transferFile: 'political',
  reviewQueue: 'deptHead',
  requestGrant: 'otherHead',
  listGrants: 'leadership',
  decideGrant: 'leadership',
  revokeGrant: 'leadership',
  listRules: 'sysAdmin',
  listRuleVersions: 'sysAdmin',
  publishRuleVersion: 'sysAdmin',
  openProcess: 'leadership',
  getProcess: 'leadership',
  processHistory: 'leadership',
  actOnProcess: 'leadership',
  listWork: 'leadership',
  agencyFile: 'leadership',
  getResponsibility: 'leadership',
  setResponsibility: 'sysAdmin',
  listInbox: 'leadership',
  getNotification: 'leadership',
  markNotificationRead: 'leadership',
  publishCalendarYear: 'cityAdmin',
  addClosure: 'sysAdmin',
  createCase: 'officer',
  getCase: 'leadership',
  recordCaseStep: 'officer',
  recordCaseOutcome: 'legal',
  listCases: 'leadership',
  declareEvidence: 'officer',
  declareDerivedEvidence: 'deptHead',
  officerRecordKeeping: 'officer',
  getEvidence: 'leadership',
  evidenceUploadUrls: 'officer',
  completeEvidenceUpload: 'officer',
  placeEvidenceHold: 'leadership',
  releaseEvidenceHold: 'leadership',
  linkEvidenceToCase: 'officer',
  requestEvidenceView: 'deptHead',
  decideEvidenceView: 'leadership',
  evidenceContent: 'deptHead',
  produceEvidenceCopy: 'legal',
  listEvidenceCopies: 'leadership',
  proposeEvidenceDisposition: 'legal',
  approveEvidenceDisposition: 'leadership',
  getCasePackage: 'leadership',
  exportCasePackage: 'legal',
  evidenceFixity: 'leadership',
  spotCheckLedger: 'leadership',
};
/** per-route callers made at run time (audit routes) */
const callerOverride = new Map<string, Claims>();
/** routes whose success would change the fixture officer's custody or certificate: they act on spare officers */
const DISRUPTIVE = new Set(['transferFile', 'recordQualificationEvent']);

const callerOf = (r: RouteContract): Claims => callerOverride.get(r.operationId) ?? org.claims[CALLER[r.operationId] ?? 'officer'];

/** the auditor of a new root agency, provisioned like the fixture's roots */
const freshAuditor = async (label: string) => {
  const agencyId = newId();
  await provisionRootAgency(
    { principal: { userId: 'system:test-bootstrap', agencyId: 'bootstrap', roles: ['sysAdmin'] }, source: {} },
    { agencyId, name: `审计测试机关 ${label}`, kind: 'cityBureau' },
    'hostile-input test',
  );
  return claimsOf(`auditor-${label}`, agencyId, ['auditor']);
};
/** the pool a path parameter draws real ids from (disruptive routes: the spare officers and their certificates) */
const poolName = (r: RouteContract, param: string) =>
  DISRUPTIVE.has(r.operationId) ? (({ officerId: 'spareOfficerId', qualificationId: 'spareQualificationId' } as Record<string, string>)[param] ?? param) : param;

const ok = async (res: Promise<CallResult>) => {
  const r = await res;
  expect(r.status, r.text).toBeLessThan(300);
  return r;
};

/** drafts in every workflow state, a grant, an attachment: the ids the routes can find */
const buildPools = async () => {
  const F = `/officers/${org.officerId}/file`;
  const H = () => ({ 'idempotency-key': idempotencyKey('hostile-setup') });
  const training = { type: 'training', occurredOn: '2026-03-01', title: '执法培训', content: { course: '行政处罚法', hours: 8, result: 'passed' } };
  const sanction = {
    type: 'sanction',
    occurredOn: '2026-04-01',
    title: '警告处分',
    content: { sanction: 'warning', decision: { documentNumber: '纪决〔2026〕1号', decidedOn: '2026-04-01', decidedBy: '局党组' } },
  };
  const entryIds: string[] = [];
  for (const [body, steps] of [
    [training, 0],
    [training, 1],
    [training, 2],
    [training, 3],
    [sanction, 2],
  ] as const) {
    const d = await ok(callRoute('POST', `${F}/drafts`, { claims: org.claims.officer, body, headers: H() }));
    let etag = d.headers.etag!;
    const id = d.json.entryId as string;
    entryIds.push(id);
    if (steps >= 1) etag = (await ok(callRoute('POST', `${F}/drafts/${id}/submit`, { claims: org.claims.officer, headers: { 'if-match': etag } }))).headers.etag!;
    if (steps >= 2) etag = (await ok(callRoute('POST', `${F}/drafts/${id}/review`, { claims: org.claims.deptHead, body: { decision: 'approve' }, headers: { 'if-match': etag } }))).headers.etag!;
    if (steps >= 3) await ok(callRoute('POST', `${F}/drafts/${id}/archive`, { claims: org.claims.recorder, headers: { 'if-match': etag } }));
  }
  const grants: string[] = [];
  for (const by of [org.claims.otherHead, org.claims.expiredGrant]) {
    const g = await ok(callRoute('POST', `${F}/grants`, { claims: by, body: { purpose: '案件复查需要', actions: ['file.read'], days: 5 }, headers: H() }));
    grants.push(g.json.grantId as string);
  }
  const a = await ok(
    callRoute('POST', `${F}/attachments`, {
      claims: org.claims.officer,
      body: { fileName: '证明.pdf', contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) },
      headers: H(),
    }),
  );
  for (let i = 0; i < 2; i++) {
    const id = await org.newOfficerWithFile();
    spare.officerIds.push(id);
    const q = await ok(callRoute('GET', `/officers/${id}/qualifications`, { claims: org.claims.political }));
    spare.qualificationIds.push(...q.json.items.map((x: { qualificationId: string }) => x.qualificationId));
  }
  // processes in several states (complaint registered / accepted, a supervised case) for the process routes
  const processIds: string[] = [];
  for (const body of [
    { kind: 'complaint', title: '投诉', channel: 'phone', content: '态度问题', complainant: { anonymous: true } },
    { kind: 'supervised-case', title: '督办', unitId: org.unitId, officerId: org.officerId, dueOn: '2027-01-15', instructions: '报告' },
  ]) {
    processIds.push((await ok(callRoute('POST', '/processes', { claims: org.claims.leadership, body, headers: H() }))).json.processId as string);
  }
  const caseIds: string[] = [];
  for (const n of [1, 2]) {
    const c = await ok(
      callRoute('POST', '/cases', {
        claims: org.claims.officer,
        headers: H(),
        body: {
          kind: 'penalty',
          title: '案件',
          caseNumber: `测〔2026〕${n}号`,
          unitId: org.unitId,
          filedOn: '2026-06-01',
          parties: [{ partyKind: 'person', name: '张某' }],
          officers: [{ officerId: org.officerId, role: 'lead' }],
        },
      }),
    );
    caseIds.push(c.json.caseId as string);
  }
  // evidence: two verified recordings (one with a hold), a viewing request
  const evidenceIds: string[] = [];
  for (const n of [1, 2]) {
    const bytes = Buffer.from(`录像 ${n} ${idempotencyKey()}`);
    const startedAt = new Date(Date.now() - 3_600_000).toISOString();
    const d = await ok(
      callRoute('POST', '/evidence', {
        claims: org.claims.officer,
        headers: H(),
        body: {
          kind: 'patrol',
          title: '录像',
          fileName: `r${n}.mp4`,
          mediaType: 'video/mp4',
          size: bytes.length,
          sha256: sha256Hex(bytes),
          capture: { officerId: org.officerId, deviceId: 'H-1', startedAt, endedAt: startedAt, place: '某地' },
        },
      }),
    );
    expect((await fetch(d.json.upload.url, { method: 'PUT', headers: d.json.upload.headers, body: bytes })).status).toBe(200);
    await evidenceArrived(objectCreatedEvent({ bucket: embedded().bucketName, key: d.json.evidence.key, size: bytes.length, eTag: 'x' }));
    evidenceIds.push(d.json.evidence.evidenceId as string);
  }
  const held = await ok(callRoute('POST', `/evidence/${evidenceIds[0]}/holds`, { claims: org.claims.officer, body: { reason: 'dispute' }, headers: { 'if-match': '"2"' } }));
  const viewRequest = await ok(callRoute('POST', `/evidence/${evidenceIds[1]}/view-requests`, { claims: org.claims.deptHead, body: { purpose: '复查', scope: 'view', days: 1 } }));
  const agencies = [org.agencyId, org.cityId, org.otherRootId];
  const units = [org.unitId, org.otherUnitId, org.cityUnitId, org.otherRootUnitId];
  Object.assign(pools, {
    // the fixture's officer thrice: most routes' callers act on that file, so most requests get far
    officerId: [org.officerId, org.officerId, org.officerId, org.otherOfficerId, org.cityOfficerId, org.unrelatedOfficerId],
    agencyId: agencies,
    parentId: agencies,
    toAgencyId: agencies,
    unitId: units,
    toUnitId: units,
    entryId: entryIds,
    grantId: grants,
    qualificationId: [org.qualificationId],
    attachmentId: [a.json.attachment.attachmentId as string],
    attachmentIds: [a.json.attachment.attachmentId as string],
    processId: processIds,
    sourceProcessId: processIds,
    caseId: caseIds,
    evidenceId: evidenceIds,
    holdId: [held.json.holds[0].holdId as string],
    requestId: [viewRequest.json.requestId as string],
    officerIds: [org.officerId, org.otherOfficerId],
    handlingOfficerIds: [org.officerId],
  });
};

// ---- generators: JSON Schema (from the route's zod schemas) → fast-check ------------------------

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

const jsonSchemaOf = (s: z.core.$ZodType | undefined): JsonSchema | undefined => (s ? (z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema) : undefined);

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const ulid = fc.stringMatching(ULID);
const idFrom = (name: string) => (pools[name]?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pools[name]!) }, { weight: 1, arbitrary: ulid }) : ulid);

/** strings a person could type that still break naive code */
const AWKWARD_TEXT = [
  '张三',
  '行政执法证',
  '<script>alert(1)</script>',
  "' OR '1'='1' --",
  '${jndi:ldap://x/a}',
  '=HYPERLINK("http://x")',
  '+SUM(1)',
  '@cmd',
  '-1',
  '\u202e反转文字',
  '😀👮‍♀️',
  'a\u0000b',
  'line\r\nbreak',
  'ＦＵＬＬ',
  '𠀀𪚥𫝀',
  '\t制表符',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '%00',
  '\\',
  '"',
  '  两端空格  ',
  'Ω≈ç√∫',
  '\u200b\u200d',
];
/** a string zod's text(max, min) accepts (the length counts after trimming, in UTF-16 units) */
const fitLength = (s: string, min: number, max: number) => {
  let t = s;
  if (t.trim().length < min) t = `${t}${'文'.repeat(min)}`;
  while (t.trim().length > max) t = Array.from(t).slice(0, -1).join('');
  return t;
};
const textArb = (min: number, max: number) =>
  fc
    .oneof(
      { weight: 3, arbitrary: fc.constantFrom(...AWKWARD_TEXT) },
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.constant('长'.repeat(max)) },
    )
    .map((s) => fitLength(s, min, max));

const dateArb = fc.oneof(
  fc.constantFrom('1949-10-01', '2199-12-31', '2000-02-29', '2026-01-05', shanghaiDate(systemClock.now())),
  fc.date({ min: new Date('1949-10-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);

/** moments the product accepts (isoDateTime: 1949-10-01 to 2199-12-31, real offsets) written with an offset */
const dateTimeArb = fc.oneof(
  fc.constantFrom(new Date(systemClock.now().getTime() - 3_600_000).toISOString(), '2026-01-05T09:30:00+08:00'),
  fc
    .tuple(fc.date({ min: new Date('1949-10-02T00:00:00Z'), max: new Date('2199-12-30T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('Z', '+08:00', '-05:00', '+14:00'))
    .map(([d, offset]) => d.toISOString().replace('Z', offset)),
);

const numberArb = (s: JsonSchema, integer: boolean): fc.Arbitrary<number> => {
  const lo = Math.max(s.minimum ?? s.exclusiveMinimum ?? -1e9, -Number.MAX_SAFE_INTEGER);
  const hi = Math.min(s.maximum ?? s.exclusiveMaximum ?? 1e9, Number.MAX_SAFE_INTEGER);
  const inRange = (v: number) => v >= lo && v <= hi && (s.exclusiveMinimum === undefined || v > s.exclusiveMinimum) && (s.exclusiveMaximum === undefined || v < s.exclusiveMaximum);
  const edges = [lo, hi, 0, 1, -1, 0.5].filter((v) => inRange(v) && (!integer || Number.isInteger(v)));
  const body = integer ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
  return (edges.length ? fc.oneof(body, fc.constantFrom(...edges)) : body).filter(inRange);
};

/** a value the schema accepts; `name` (the property or parameter name) picks real ids */
const valid = (s: JsonSchema | undefined, name = '', everyField = false): fc.Arbitrary<unknown> => {
  if (!s || Object.keys(s).filter((k) => k !== '$schema').length === 0) return fc.jsonValue({ maxDepth: 2 });
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => valid(a, name, everyField)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      if (s.properties) {
        const props = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, valid(v, k, everyField)]));
        return fc.record(props, { requiredKeys: everyField ? Object.keys(props) : (s.required ?? []) });
      }
      const values = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
      return fc.dictionary(fc.string({ minLength: 1, maxLength: s.propertyNames?.maxLength ?? 16 }), valid(values), { maxKeys: 4 });
    }
    case 'array':
      return fc.array(valid(s.items, name, everyField), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 4, 4)) });
    case 'string':
      if (s.format === 'date') return dateArb;
      if (s.format === 'date-time') return dateTimeArb;
      if (s.pattern === ULID.source) return idFrom(name);
      if (name === 'cursor') return fc.oneof(cursorArb(), fc.stringMatching(new RegExp(s.pattern ?? '^[A-Za-z0-9_-]+$'))).filter((c) => c.length <= (s.maxLength ?? 2048));
      if (s.pattern) {
        const re = new RegExp(s.pattern);
        return fc
          .oneof(fc.stringMatching(re), textArb(s.minLength ?? 1, s.maxLength ?? 64))
          .map((v) => fitLength(v, s.minLength ?? 0, s.maxLength ?? 10_000))
          .filter((v) => re.test(v) && v.trim().length >= (s.minLength ?? 0));
      }
      return textArb(s.minLength ?? 0, s.maxLength ?? 200);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
};

// ---- hostile pieces ------------------------------------------------------------------------------

const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const HUGE = 'A'.repeat(100_000);
const HUGE_CJK = '中'.repeat(100_000);

const NASTY = [
  '',
  ' ',
  '.',
  '..',
  '../',
  '../../etc/passwd',
  '..\\..\\windows',
  '%00',
  '\u0000',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '😀',
  '\u202e',
  '<script>',
  "' OR 1=1 --",
  '${7*7}',
  '0'.repeat(26),
  'I'.repeat(26),
  'U'.repeat(26),
  '01J0C1TY00000000000000000',
  '01J0C1TY0000000000000000000',
  '01j0c1ty000000000000000000',
];
const garbage = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: ulid.map((u) => u.toLowerCase()) },
  { weight: 1, arbitrary: fc.constantFrom(HUGE, HUGE_CJK) },
);
/** path segments sent as they are: traversal, NUL, broken percent-encoding, extra or empty segments */
const RAW_SEGMENTS = ['..', '.', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', '%', '%zz', '%ED%A0%80', '%C0%AF', '%FF', 'a/b', '', '%2F', '%5C', '%u0041'];

/** a generated value as query or path text (fc.jsonValue may build objects without a prototype) */
const asText = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));

const encode = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80'; // a lone surrogate cannot be percent-encoded as UTF-8: send the bytes of one
  }
};

/** one path parameter: a real id, a missing one, garbage (encoded) or a raw segment */
const hostileSegment = (r: RouteContract, name: string, schema: JsonSchema | undefined) =>
  fc.oneof(
    { weight: 3, arbitrary: valid(schema?.properties?.[name], poolName(r, name)).map((v) => encode(asText(v))) },
    { weight: 1, arbitrary: ulid },
    { weight: 5, arbitrary: garbage.map(encode) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
  );

const pathOf = (r: RouteContract, segments: Record<string, string>) => r.path.replace(/\{(\w+)\}/g, (_, k: string) => segments[k] ?? 'x');

const paramNames = (r: RouteContract) => [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** a base64url cursor shaped like the real ones, for real or invented partitions */
const cursorArb = () => {
  const today = shanghaiDate(systemClock.now());
  const partitions = [`FILE#${org.officerId}`, `AUDITDAY#${org.otherRootId}#${today}`, `AUDITDAY#${org.agencyId}#${today}`, 'FILE#x', ''];
  const value = fc.oneof(fc.constantFrom(...partitions, 'T#2026-01-01#0000000001', 'E#0000000001', '', 'x'.repeat(1024), 'x'.repeat(1025)), fc.string({ maxLength: 20 }));
  const key = fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', '__proto__', 'constructor');
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return fc.oneof(
    fc.dictionary(key, value, { maxKeys: 5 }).map(b64),
    // shaped like a real cursor of a real partition, other values forged
    fc.record({ pk: value, sk: value, gsi1pk: fc.constantFrom(...partitions), gsi1sk: value }).map(b64),
    fc.constantFrom('e30', 'bnVsbA', 'W10', 'not-base64!', 'x'.repeat(2049), 'eyJwayI6MX0'),
  );
};

const queryValueHostile = () =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'NaN',
        'Infinity',
        '-Infinity',
        '-1',
        '-0',
        '0',
        '1e309',
        '9'.repeat(400),
        '-9007199254740993',
        '1.5',
        '0x10',
        ' 1',
        '1 ',
        '',
        'null',
        'undefined',
        '[]',
        '{}',
        'true',
        '%00',
        '\u0000',
        '2026-02-30',
        '2026-13-01',
        '1949-09-30',
        '99999-01-01',
      ),
    },
    { weight: 2, arbitrary: garbage },
    { weight: 1, arbitrary: cursorArb() },
  );

/** a raw query string: known and unknown keys, repeated keys (arrays), bracket keys, odd encodings */
const hostileQuery = (r: RouteContract, schema: JsonSchema | undefined) => {
  const known = Object.keys(schema?.properties ?? {});
  const keyArb = fc.oneof(
    ...(known.length ? [{ weight: 4, arbitrary: fc.constantFrom(...known) }] : []),
    { weight: 2, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'limit', 'cursor', 'a[b]', 'a[]', 'x'.repeat(1000)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  const validValue = (k: string) => valid(schema?.properties?.[k], k).map(asText);
  const pair = keyArb.chain((k) => fc.tuple(fc.constant(k), fc.oneof(queryValueHostile(), validValue(k))));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 5, arbitrary: fc.array(pair, { minLength: 1, maxLength: 5 }).map((ps) => ps.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')) },
    { weight: 1, arbitrary: fc.constantFrom('&&&', '=', '==x', 'a', '%', '%zz=1', 'limit=1&limit=2', '__proto__[x]=1', `q=${'%41'.repeat(20_000)}`) },
  );
};

/** JSON text with a placeholder replaced by a raw fragment (things JSON.stringify cannot write) */
const HOLE = '@@hostile-hole@@';
const withRaw = (value: unknown, raw: string) => JSON.stringify(value).replace(`"${HOLE}"`, raw);

const WRONG_RAW = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '5e-324',
  '1e-200',
  '1e126',
  '9007199254740993',
  '-0',
  '.5',
  '+1',
  '01',
  'undefined',
  "'single'",
  '"\\ud800"',
  '"x\\udfff"',
  '"\\udfff\\ud800"',
  '"a\\u0000b"',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  deepArray(40),
  deepObject(40),
  deepArray(1500),
  deepObject(1500),
  deepArray(5000),
  `[${'1,'.repeat(10_000)}1]`,
  `"${'x'.repeat(300_000)}"`,
  `"${'长'.repeat(90_000)}"`,
  '[1,]',
  '{"a":1,}',
  'true false',
  '{"a":1,"a":2}',
];
const wrongValue: fc.Arbitrary<{ raw: string } | { json: unknown }> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...WRONG_RAW).map((raw) => ({ raw })) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          null,
          true,
          false,
          0,
          -1,
          1.5,
          2 ** 53,
          -(2 ** 53),
          '',
          ' ',
          '\t\n',
          'x'.repeat(10_001),
          [],
          [null],
          {},
          { a: 1 },
          '2026-02-30',
          '1e3',
          '0x10',
          ['file.read', 'file.read'],
          'K'.repeat(26),
        ),
        garbage,
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map((json) => ({ json })),
  },
);

/** every path into a JSON value (objects and arrays) */
const pathsOf = (v: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...pathsOf(x, [...prefix, i])]);
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...pathsOf(x, [...prefix, k])]);
  return [];
};
const setAt = (root: unknown, path: (string | number)[], value: unknown, mode: 'set' | 'delete' | 'sibling') => {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let at = copy;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (mode === 'delete' && !Array.isArray(at)) delete at[last];
  else if (mode === 'sibling' && !Array.isArray(at)) at[`${String(last)}_extra`] = value;
  else at[last] = value;
  return copy;
};

/** the route's real body with one field (at any depth) given a wrong type, deleted, or an unknown sibling */
const mutatedBody = (bodySchema: JsonSchema) =>
  fc.tuple(valid(bodySchema), fc.nat(), fc.constantFrom('set', 'set', 'set', 'delete', 'sibling') as fc.Arbitrary<'set' | 'delete' | 'sibling'>, wrongValue).map(([body, i, mode, wrong]) => {
    const paths = pathsOf(body);
    if (paths.length === 0) return 'raw' in wrong ? wrong.raw : JSON.stringify(wrong.json);
    const path = paths[i % paths.length]!;
    return 'raw' in wrong ? withRaw(setAt(body, path, HOLE, mode), wrong.raw) : JSON.stringify(setAt(body, path, wrong.json, mode));
  });

const RAW_BODIES = [
  deepArray(5000),
  deepObject(5000),
  `{"a":${deepArray(5000)}}`,
  deepArray(100_000),
  '{"__proto__":{"polluted":1}}',
  '{"\\u005f_proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"a":{"__proto__":{"polluted":1}}}',
  '[{"__proto__":{"polluted":1}}]',
  'NaN',
  'Infinity',
  '-Infinity',
  '{"x":NaN}',
  '{"x":Infinity}',
  '{"x":1e309}',
  'null',
  'true',
  '"string"',
  '[]',
  '{}',
  '{',
  '}',
  '',
  ' ',
  '\u0000',
  '\ufeff{}',
  '{"a":1,}',
  '// comment\n{}',
  "{'a':1}",
  '{"a":"\\ud800"}',
  '{"\\ud800":1}',
  `{"x":"${'x'.repeat(300_000)}"}`,
  `{"x":"${'长'.repeat(87_382)}"}`,
  `[${'0,'.repeat(60_000)}0]`,
  `{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
];

/** exactly at the body limit, and one byte over */
const atLimit = (json: string, extra: number) => json + ' '.repeat(Math.max(0, MAX_BODY_BYTES + extra - Buffer.byteLength(json)));

interface BodySpec {
  body?: string | Buffer;
  contentType?: string;
}
const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/problem+json',
  'application/vnd.api+json',
  'APPLICATION/JSON',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/jsonp',
  'application/json-seq',
  'application/xml',
  '',
  'application/json\u0000',
  'application/json; charset=utf-16',
];

const hostileBody = (r: RouteContract, bodySchema: JsonSchema | undefined): fc.Arbitrary<BodySpec> => {
  const json = (a: fc.Arbitrary<string>) => a.map((body): BodySpec => ({ body, contentType: 'application/json' }));
  const validJson = valid(bodySchema).map((v) => JSON.stringify(v));
  return fc.oneof(
    { weight: 2, arbitrary: json(validJson) },
    { weight: bodySchema ? 5 : 1, arbitrary: json(bodySchema ? mutatedBody(bodySchema) : validJson) },
    { weight: 2, arbitrary: json(fc.oneof(fc.jsonValue(), fc.anything({ maxDepth: 3 })).map((v) => JSON.stringify(v) ?? '')) },
    { weight: 2, arbitrary: json(fc.constantFrom(...RAW_BODIES)) },
    { weight: 1, arbitrary: json(fc.tuple(validJson, fc.constantFrom(0, 1)).map(([j, extra]) => atLimit(j, extra))) },
    // the right body under the wrong content type, or none
    { weight: 1, arbitrary: fc.tuple(validJson, fc.constantFrom(...CONTENT_TYPES, undefined)).map(([body, contentType]) => ({ body, contentType })) },
    // base64: of a JSON body sent as JSON; random bytes as JSON or octets (the router base64-encodes non-text types)
    { weight: 1, arbitrary: json(validJson.map((j) => Buffer.from(j).toString('base64'))) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('application/json', 'application/octet-stream')).map(([b, contentType]) => ({ body: Buffer.from(b), contentType })),
    },
    { weight: 1, arbitrary: fc.constantFrom<BodySpec>({}, { contentType: 'application/json' }, { body: '', contentType: 'application/json' }) },
  );
};

const ifMatchHostile = fc.oneof(
  fc.constantFrom(
    '',
    '*',
    '"',
    '""',
    'W/"1"',
    '"1", "2"',
    '"-1"',
    '"1e3"',
    '"NaN"',
    '"01"',
    '"1.0"',
    '" 1"',
    '"__proto__"',
    '"constructor"',
    `"${'9'.repeat(400)}"`,
    `"${'x'.repeat(10_000)}"`,
    '"\u0000"',
    '"版本"',
  ),
  fc.integer({ min: 0, max: 6 }).map((v) => `"${v}"`),
  garbage.map((g) => g.slice(0, 200)),
);
const idempotencyHostile = fc.oneof(
  fc.constantFrom(
    '',
    'short',
    '1234567',
    'k'.repeat(129),
    'k'.repeat(10_000),
    '键键键键键键键键键',
    'has space 123',
    'newline\r\nx-injected: 1',
    'nul\u0000nul-key',
    '../../../../',
    'hostile-reused-key',
  ),
  fc.stringMatching(/^[A-Za-z0-9_.:-]{8,128}$/),
  garbage.map((g) => g.slice(0, 300)),
);

/** callers: the route's authorised principal mostly; no token; claims an authorizer would never pass */
const hostileCaller = (r: RouteContract): fc.Arbitrary<Claims | undefined> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(callerOf(r)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Claims>(
        { sub: '' },
        { sub: 'x'.repeat(200), 'custom:agencyId': org.agencyId, 'cognito:groups': ['officer'] },
        { sub: 'u', 'cognito:groups': ['officer'] },
        { sub: 'u', 'custom:agencyId': org.agencyId, 'cognito:groups': '[sysAdmin auditor]' },
        { sub: 'u', 'custom:agencyId': org.agencyId, 'cognito:groups': ['sysAdmin', 'secAdmin'] },
        { sub: 'u', 'custom:agencyId': org.agencyId, 'cognito:groups': ['root', 'admin'] },
        { sub: 'u', 'custom:agencyId': org.agencyId, 'cognito:groups': 42 as unknown as string },
        { sub: '__proto__', 'custom:agencyId': '__proto__', 'cognito:groups': ['leadership'] },
        { sub: '👮', 'custom:agencyId': 'not-a-ulid', 'cognito:groups': ['officer'], 'custom:officerId': org.officerId },
        claimsOf('impostor', org.agencyId, ['officer'], { officerId: org.officerId }),
      ),
    },
  );

interface Req {
  url: string;
  claims?: Claims | undefined;
  body?: string | Buffer | undefined;
  headers: Record<string, string>;
  /** what the request tried, for failure messages */
  label: string;
}

const assemble = (path: string, query: string, claims: Claims | undefined, b: BodySpec, headers: Record<string, string | undefined>): Req => {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...headers, 'content-type': b.contentType })) if (v !== undefined) h[k] = v;
  const url = query ? `${path}?${query}` : path;
  const body = typeof b.body === 'string' && b.body.length > 300 ? `${b.body.slice(0, 300)}…(${b.body.length} chars)` : String(b.body);
  return { url, claims, body: b.body, headers: h, label: `${url.slice(0, 300)} headers=${JSON.stringify(h).slice(0, 300)} body=${body}` };
};

const schemasOf = (r: RouteContract) => ({ params: jsonSchemaOf(r.params), query: jsonSchemaOf(r.query), body: jsonSchemaOf(r.body) });

/** fully random hostile request: every part drawn from hostile mixtures (which include valid values) */
const hostileRequest = (r: RouteContract): fc.Arbitrary<Req> => {
  const s = schemasOf(r);
  const segments = fc.record(Object.fromEntries(paramNames(r).map((n) => [n, hostileSegment(r, n, s.params)])));
  return fc
    .tuple(
      segments,
      hostileQuery(r, s.query),
      hostileCaller(r),
      hostileBody(r, s.body),
      fc.option(ifMatchHostile, { freq: 3 }),
      fc.option(idempotencyHostile, { freq: 3 }),
      fc.option(fc.constantFrom('x'.repeat(10_000), '\u0000', '😀'), { freq: 8 }),
    )
    .map(([seg, q, claims, b, ifMatch, key, ua]) => assemble(pathOf(r, seg), q, claims, b, { 'if-match': ifMatch ?? undefined, 'idempotency-key': key ?? undefined, 'user-agent': ua ?? undefined }));
};

/**
 * A request broken in at least one part the route validates before its domain code runs: a path
 * parameter, an unknown query key, the body, a missing If-Match, a bad Idempotency-Key, the token.
 */
const brokenRequest = (r: RouteContract): fc.Arbitrary<Req> => {
  const s = schemasOf(r);
  const breaks: fc.Arbitrary<Partial<{ seg: Record<string, string>; query: string; body: BodySpec; ifMatch: null; key: string; claims: Claims | undefined }>>[] = [];
  const names = paramNames(r);
  if (r.params && names.length) {
    breaks.push(
      fc
        .tuple(
          fc.constantFrom(...names),
          garbage.filter((g) => !ULID.test(g) && !/^\d+$/.test(g) && !(s.params?.properties?.[names[0]!]?.enum ?? []).includes(g)),
        )
        .map(([n, g]) => ({ seg: { [n]: encode(g) } })),
    );
  }
  if (r.query) breaks.push(fc.tuple(fc.constantFrom('unknownKey', 'constructor', 'toString', 'a[b]'), queryValueHostile()).map(([k, v]) => ({ query: `${k}=${encode(v)}` })));
  if (r.body) {
    breaks.push(
      fc.oneof(
        fc.constantFrom(...RAW_BODIES.filter((b) => !['{}', '[]', 'null', 'true', '"string"'].includes(b))).map((body) => ({ body: { body, contentType: 'application/json' } })),
        fc.tuple(valid(s.body), fc.constantFrom('text/plain', 'application/xml', '', 'application/octet-stream')).map(([v, ct]) => ({ body: { body: JSON.stringify(v), contentType: ct } })),
        valid(s.body).map((v) => ({ body: { body: JSON.stringify({ ...(v as object), unknownField: 1 }), contentType: 'application/json' } })),
      ),
    );
  }
  if (r.requiresIfMatch) breaks.push(fc.constant({ ifMatch: null }));
  if (r.idempotent) breaks.push(fc.constantFrom('', 'short', 'k'.repeat(129), '键键键键键键键键键', 'has space 123').map((key) => ({ key })));
  if (r.auth)
    breaks.push(
      fc
        .constantFrom<Claims | undefined>(undefined, { sub: 'u', 'cognito:groups': ['officer'] }, { sub: 'u', 'custom:agencyId': org.agencyId, 'cognito:groups': ['sysAdmin', 'auditor'] })
        .map((claims) => ({ claims })),
    );
  return fc.tuple(validRequestParts(r), fc.oneof(...breaks)).map(([base, br]) => {
    const seg = { ...base.seg, ...(br.seg ?? {}) };
    const ifMatch = br.ifMatch === null ? undefined : base.ifMatch;
    return assemble(pathOf(r, seg), br.query ?? base.query, 'claims' in br ? br.claims : base.claims, br.body ?? base.body, {
      'if-match': ifMatch,
      'idempotency-key': br.key ?? base.key,
    });
  });
};

/** the parts of a request the route's schemas accept, from the authorised caller (mostly) */
const validRequestParts = (r: RouteContract) => {
  const s = schemasOf(r);
  const names = paramNames(r);
  const seg = fc.record(Object.fromEntries(names.map((n) => [n, valid(s.params?.properties?.[n], poolName(r, n)).map((v) => encode(asText(v)))])));
  // the zod schema has the last word (refinements such as from ≤ to are not in the JSON Schema)
  const accepted = (schema: z.core.$ZodType | undefined) => (v: unknown) => !schema || (z.safeParse(schema, v).success && storable(v));
  const query = s.query
    ? valid(s.query)
        .filter(accepted(r.query))
        .map((q) => new URLSearchParams(Object.entries(q as Record<string, unknown>).map(([k, v]): [string, string] => [k, asText(v)])).toString())
    : fc.constant('');
  const body: fc.Arbitrary<BodySpec> = s.body
    ? valid(s.body)
        .filter(accepted(r.body))
        .map((v) => ({ body: JSON.stringify(v), contentType: 'application/json' }))
    : fc.constant({});
  const others = Object.values(org.claims);
  const claims = fc.oneof({ weight: 4, arbitrary: fc.constant(callerOf(r)) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
  const ifMatch = r.requiresIfMatch ? fc.integer({ min: 1, max: 4 }).map((v) => `"${v}"`) : fc.constant(undefined);
  const key = r.idempotent
    ? fc.oneof({ weight: 9, arbitrary: fc.constant(null).map(() => idempotencyKey('hostile')) }, { weight: 1, arbitrary: fc.constant('hostile-valid-reused-key') })
    : fc.constant(undefined);
  return fc.record({ seg, query, body, claims, ifMatch, key });
};

/** what the HTTP pipeline refuses before zod: lone surrogates, numbers DynamoDB cannot store (shared/http/handler.ts) */
const storable = (v: unknown): boolean => {
  if (typeof v === 'number') return v === 0 || (Math.abs(v) >= 1e-130 && Math.abs(v) < 1e126);
  if (typeof v === 'string') return !/\p{Surrogate}/u.test(v);
  if (Array.isArray(v)) return v.every(storable);
  if (v !== null && typeof v === 'object') return Object.entries(v).every(([k, x]) => storable(k) && storable(x));
  return true;
};

/**
 * Paginated routes (a `cursor` query parameter): a real cursor is fetched (limit=1), then requests
 * carry copies of it with the partition kept and the other key values forged (empty, random, long,
 * another record's) — what a client can send back. Undefined when the route yields no cursor.
 */
const CURSOR_RUNS = 48;
const forgedCursors = async (r: RouteContract): Promise<fc.Arbitrary<Req> | undefined> => {
  const s = schemasOf(r);
  if (!s.query?.properties?.cursor) return undefined;
  const path = pathOf(r, Object.fromEntries(paramNames(r).map((n) => [n, encode(pools[poolName(r, n)]?.[0] ?? '')])));
  const first = await callRoute(r.method, `${path}${s.query.properties.limit ? '?limit=1' : ''}`, { claims: callerOf(r) });
  expect(first.status, first.text).toBe(200);
  if (typeof first.json?.cursor !== 'string') return undefined;
  const real = JSON.parse(Buffer.from(first.json.cursor, 'base64url').toString('utf8')) as Record<string, string>;
  const partition = Object.keys(real).find((k) => /pk$/.test(k) && k !== 'pk')!;
  const forge = (k: string) =>
    k === partition
      ? fc.constant(real[k]!)
      : fc.oneof(fc.constant(real[k]!), fc.constantFrom('', ' ', 'x'.repeat(1024), 'T#0000-00-00', 'T#9999-99-99#~', '~', 'E#0000000001', real[partition]!), fc.string({ maxLength: 24 }));
  const cursors = fc.record(Object.fromEntries(Object.keys(real).map((k) => [k, forge(k)]))).map((o) => Buffer.from(JSON.stringify(o)).toString('base64url'));
  return cursors.map((c) => assemble(path, `${s.query?.properties?.limit ? 'limit=1&' : ''}cursor=${c}`, callerOf(r), {}, {}));
};

/**
 * Every field of the route's real body — each variant of a union at the top (all 25 entry types of
 * a draft), every optional field present, at any depth — given each wrong value once.
 */
const SWEEP: ({ raw: string } | { json: unknown })[] = [
  { json: '错误类型' },
  { json: 12345 },
  { json: null },
  { json: true },
  { json: [] },
  { json: {} },
  { raw: '" "' },
  { raw: 'NaN' },
  { raw: '1e309' },
  { raw: '5e-324' },
  { raw: '"\\ud800"' },
  { raw: '{"__proto__":{"polluted":1}}' },
];
const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
/** a value of the field's own type may well be valid: only other types (raw fragments are always wrong) */
const wrongFor = (original: unknown) => SWEEP.filter((w) => 'raw' in w || jsonType(w.json) !== jsonType(original));
const valueAt = (root: unknown, path: (string | number)[]) => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
const fieldSweep = (r: RouteContract): Req[] => {
  const s = schemasOf(r);
  if (!s.body) return [];
  const base = fc.sample(validRequestParts(r), { numRuns: 1, seed: 7 })[0]!;
  return (s.body.oneOf ?? s.body.anyOf ?? [s.body]).flatMap((variant, i) => {
    const body = fc.sample(valid(variant, '', true), { numRuns: 1, seed: i })[0];
    return pathsOf(body).flatMap((path) =>
      wrongFor(valueAt(body, path)).map((w) => {
        const text = 'raw' in w ? withRaw(setAt(body, path, HOLE, 'set'), w.raw) : JSON.stringify(setAt(body, path, w.json, 'set'));
        return assemble(pathOf(r, base.seg), base.query, callerOf(r), { body: text, contentType: 'application/json' }, { 'if-match': base.ifMatch, 'idempotency-key': base.key });
      }),
    );
  });
};

/** sends the requests BATCH at a time, checking every answer */
const sendAll = async (r: RouteContract, requests: Req[], kind: Kind) => {
  const st = stats.get(r.operationId)!;
  for (let i = 0; i < requests.length; i += BATCH) {
    const batch = requests.slice(i, i + BATCH);
    const answers = await Promise.all(batch.map((q) => callRoute(r.method, q.url, { claims: q.claims, body: q.body, headers: q.headers })));
    answers.forEach((res, j) => {
      check(r, batch[j]!, res, st, kind);
    });
  }
};

const validRequest = (r: RouteContract): fc.Arbitrary<Req> =>
  validRequestParts(r).map((p) => assemble(pathOf(r, p.seg), p.query, p.claims, p.body, { 'if-match': p.ifMatch, 'idempotency-key': p.key }));

// ---- the invariant ---------------------------------------------------------------------------

/** codes answered before a handler's domain code runs (router, authentication, HTTP pipeline) */
const EDGE_CODES = new Set([
  'route.notFound',
  'request.malformedPath',
  'auth.invalidToken',
  'auth.separationOfDuties',
  'request.invalid',
  'request.malformedJson',
  'request.forbiddenKey',
  'request.unstorableValue',
  'request.emptyBody',
  'request.contentType',
  'request.tooLarge',
  'request.ifMatchRequired',
  'request.idempotencyKey',
]);
/** 400s without field paths: the router's bad percent-encoding (API Gateway's own answer in AWS) */
const NO_FIELD = new Set(['request.malformedPath']);
const LEAK = /node_modules|\.ts:\d+|\bat \w+ \(|Exception|DynamoDB|stack/;
const HAN = /\p{Script=Han}/u;
const PATH = /^(params|query|body|headers)(\.|$)/;

interface RouteStats {
  random: number;
  topUp: number;
  valid: number;
  /** forged pagination cursors (routes with a `cursor` query parameter) */
  cursor: number;
  /** every body field × each wrong value */
  sweep: number;
  /** answered at the edge: routing, authentication, validation */
  edge: number;
  /** reached the handler's domain code (and DynamoDB) */
  domain: number;
  validPastEdge: number;
  statuses: Map<number, number>;
  ms: number;
}
const stats = new Map<string, RouteStats>();
type Kind = 'random' | 'sweep' | 'topUp' | 'valid' | 'cursor';

const check = (r: RouteContract, q: Req, res: CallResult, st: RouteStats, kind: Kind) => {
  const where = `${r.operationId}: ${q.label} → ${res.status} ${res.text.slice(0, 400)}`;
  st[kind]++;
  st.statuses.set(res.status, (st.statuses.get(res.status) ?? 0) + 1);
  const code = typeof res.json?.code === 'string' ? (res.json.code as string) : undefined;
  const edge = res.status >= 400 && code !== undefined && EDGE_CODES.has(code);
  if (edge) st.edge++;
  else st.domain++;
  if ((kind === 'valid' || kind === 'cursor') && !edge) st.validPastEdge++;

  expect(res.status, where).toBeLessThan(500);
  expect(res.status, where).toBeGreaterThanOrEqual(200);
  const ct = res.headers['content-type'] ?? '';
  if (res.status >= 400) {
    expect(ct, where).toMatch(/^application\/problem\+json/);
    const p = res.json;
    expect(p, where).toBeTypeOf('object');
    expect(p.status, where).toBe(res.status);
    expect(p.title, where).toMatch(HAN);
    expect(p.detail, where).toBeTypeOf('string');
    expect(p.code, where).toBeTypeOf('string');
    expect(p.type, where).toBe(`urn:problem:${p.code}`);
    if (res.status === 400 && !NO_FIELD.has(p.code)) {
      expect(Array.isArray(p.errors) && p.errors.length > 0, `400 without errors[]: ${where}`).toBe(true);
      for (const e of p.errors) {
        expect(e.path, where).toMatch(PATH);
        expect(e.message, where).toBeTypeOf('string');
      }
    }
    expect(LEAK.test(res.text) ? res.text.slice(0, 300) : '', `internal details in ${where}`).toBe('');
  } else if (r.produces) {
    expect(ct, where).toBe(r.produces);
  } else {
    expect(ct, where).toMatch(/^application\/json/);
    expect(res.json, `not JSON: ${where}`).not.toBeUndefined(); // callRoute parses JSON bodies
  }
};

/** numRuns requests in batches of BATCH sent at once; every answer checked */
const run = async (r: RouteContract, arb: fc.Arbitrary<Req>, requests: number, kind: Kind) => {
  const st = stats.get(r.operationId)!;
  await fc.assert(
    fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      const answers = await Promise.all(batch.map((q) => callRoute(r.method, q.url, { claims: q.claims, body: q.body, headers: q.headers })));
      answers.forEach((res, i) => {
        check(r, batch[i]!, res, st, kind);
      });
    }),
    { numRuns: Math.ceil(requests / BATCH), endOnFailure: true },
  );
};

// ---- the tests ---------------------------------------------------------------------------------

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
const ARRAY_PROTO_NAMES = Object.getOwnPropertyNames(Array.prototype).sort();
const expectUnpolluted = () => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_NAMES);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(ARRAY_PROTO_NAMES);
  expect(Object.getPrototypeOf(Object.prototype)).toBeNull();
  const probe = {} as Record<string, unknown>;
  for (const k of ['polluted', 'x', 'a', 'isAdmin', 'roles']) expect(probe[k], `Object.prototype.${k}`).toBeUndefined();
};

let started = 0;
beforeAll(async () => {
  started = Date.now();
  await freshTable('hostile');
  org = await buildFixtureOrg();
  await buildPools();
  pools.spareOfficerId = spare.officerIds;
  pools.spareQualificationId = spare.qualificationIds;
}, 180_000);

afterAll(() => {
  const rows = [...stats.entries()].map(([op, s]) => ({
    route: op,
    total: s.random + s.sweep + s.topUp + s.valid + s.cursor,
    random: s.random,
    sweep: s.sweep,
    topUp: s.topUp,
    valid: s.valid,
    cursor: s.cursor,
    edge: s.edge,
    domain: s.domain,
    validPastEdge: s.validPastEdge,
    s: +(s.ms / 1000).toFixed(1),
    statuses: [...s.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([k, v]) => `${k}×${v}`)
      .join(' '),
  }));
  const total = rows.reduce((n, x) => n + x.total, 0);
  const edge = rows.reduce((n, x) => n + x.edge, 0);
  console.log(`hostile input: ${total} requests over ${rows.length} routes (${edge} refused at the edge, ${total - edge} reached the domain) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.table(rows);
});

describe('hostile input on every route: never a 5xx, always a clean answer', () => {
  for (const r of ROUTES) {
    it(`${r.method} ${r.path}`, async () => {
      const st: RouteStats = { random: 0, sweep: 0, topUp: 0, valid: 0, cursor: 0, edge: 0, domain: 0, validPastEdge: 0, statuses: new Map(), ms: 0 };
      stats.set(r.operationId, st);
      const t0 = Date.now();
      if (r.group === 'audit') callerOverride.set(r.operationId, await freshAuditor(r.operationId));
      // routes with nothing to validate (health, OpenAPI) get all their requests from the random generator
      const hasEdge = !!(r.auth || r.params || r.query || r.body || r.requiresIfMatch || r.idempotent);
      await run(r, hostileRequest(r), hasEdge ? RANDOM_RUNS : RANDOM_RUNS_WITHOUT_EDGE, 'random');
      await sendAll(r, fieldSweep(r), 'sweep');
      // then requests broken in one validated part until the edge has refused EDGE_RUNS of this route's requests
      for (let round = 0; hasEdge && st.edge < EDGE_RUNS && round < 3; round++) await run(r, brokenRequest(r), EDGE_RUNS - st.edge, 'topUp');
      if (hasEdge) expect(st.edge, 'requests refused at the edge').toBeGreaterThanOrEqual(EDGE_RUNS);
      await run(r, validRequest(r), VALID_RUNS, 'valid');
      const forged = await forgedCursors(r);
      if (forged) await run(r, forged, CURSOR_RUNS, 'cursor');
      expect(st.validPastEdge, 'schema-valid requests that got past the edge into the domain').toBeGreaterThanOrEqual(MIN_PAST_VALIDATION);
      expect(st.random + st.sweep + st.topUp + st.valid + st.cursor).toBeGreaterThanOrEqual(EDGE_RUNS);
      st.ms = Date.now() - t0;
      expectUnpolluted();
    }, 240_000);
  }

  it('leaves Object.prototype unpolluted; the audit chains and the files touched still verify', async () => {
    expectUnpolluted();
    for (const auditor of [org.claims.auditor, org.claims.otherAuditor, ...callerOverride.values()]) {
      const a = await callRoute('GET', '/audit/verify', { claims: auditor });
      expect(a.status, a.text).toBe(200);
      expect(a.json.ok, a.text.slice(0, 500)).toBe(true);
    }
    for (const officerId of [org.officerId, ...spare.officerIds]) {
      // spare officers may have been transferred: ask the leadership of the agency that holds the file now
      const holder = (await findOfficer(officerId, true))!.agencyId;
      const f = await callRoute('GET', `/officers/${officerId}/file/verify`, { claims: claimsOf('verifier', holder, ['leadership']) });
      expect(f.status, f.text).toBe(200);
      expect(f.json.ok, f.text).toBe(true);
    }
  }, 120_000);
});

describe("forged pagination cursors are the client's error", () => {
  it('a cursor for the right partition with empty key values is a 400, not a 500', async () => {
    const cursor = Buffer.from(JSON.stringify({ pk: '', sk: '', gsi1pk: `FILE#${org.officerId}`, gsi1sk: '' })).toString('base64url');
    const r = await callRoute('GET', `/officers/${org.officerId}/file/entries?cursor=${cursor}`, { claims: org.claims.officer });
    expect(r.status, r.text).toBe(400);
    expect(r.json.code).toBe('request.cursor');
  });
  it('a cursor whose sort key lies outside the queried range is a 400, not a 500', async () => {
    const cursor = Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: `FILE#${org.officerId}`, gsi1sk: 'z' })).toString('base64url');
    const r = await callRoute('GET', `/officers/${org.officerId}/file/entries?cursor=${cursor}`, { claims: org.claims.officer });
    expect(r.status, r.text).toBe(400);
    expect(r.json.code).toBe('request.cursor');
  });
});

describe('event dates on opening a process (issue 8 item 8) are never absurd', () => {
  it('the year 1900, the far future, an hour from now and malformed values are a 400 naming the field', async () => {
    const inAnHour = new Date(systemClock.now().getTime() + 3_600_000).toISOString();
    const bodies: [Record<string, unknown>, string, keyof FixtureClaims][] = [];
    for (const v of ['1900-01-01', '1900-01-01T00:00:00+08:00', '2199-12-31', '9999-12-31T00:00:00Z', inAnHour, '2026-02-30', '2026-13-01', 'NaN', '', 0, true, [], {}]) {
      bodies.push([{ kind: 'complaint', title: '日期', channel: 'phone', content: '测试', complainant: { anonymous: true }, receivedAt: v }, 'body.receivedAt', 'leadership']);
      bodies.push([{ kind: 'fault-investigation', title: '日期', officerIds: [org.officerId], allegation: '测试', startedAt: v }, 'body.startedAt', 'discipline']);
      bodies.push([{ kind: 'filing', title: '日期', filingKind: 'majorPenalty', basisDate: v, reference: 'x' }, 'body.basisDate', 'legal']);
    }
    for (const [body, path, caller] of bodies) {
      const r = await callRoute('POST', '/processes', { claims: org.claims[caller], body, headers: { 'idempotency-key': idempotencyKey('dates') } });
      expect(r.status, `${path} = ${JSON.stringify(body[path.slice(5)])}: ${r.text}`).toBe(400);
      expect(r.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });
});
