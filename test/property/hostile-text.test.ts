/**
 * Hostile text, empty query values and future-dated tokens on EVERY route of shared/api/routes.ts
 * (the list is iterated, and each route's fields are found in its own zod contracts, so a new route
 * or field is covered automatically). Companion of hostile-input.test.ts, through the same in-process
 * router and the real handlers:
 *  1. every free-text field of every body variant and every free-text query parameter, given each
 *     control character (NUL, C0, DEL, C1) and bidi override/isolate, is refused with a 400
 *     problem+json naming that field in `errors[].path` (Chinese messages) — the one text policy
 *     (shared/kernel/text-policy.ts);
 *  2. every file-name field, given traversal names, separators, quotes and CR/LF as well, likewise;
 *  3. every query parameter of every route sent empty (`k=`) or blank (`k=%20`) is refused with a
 *     400 naming `query.k` (shared/http/handler.ts), never coerced;
 *  4. every authenticated route refuses a token whose `iat` is a day ahead with a 401
 *     (infra/local/tokens.ts, as API Gateway's JWT authorizer).
 * Validation runs before authorisation and the domain, so one made-up caller and made-up ids do.
 */
import fc from 'fast-check';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#shared/api/routes.ts';
import type { RouteContract } from '#shared/http/contract.ts';
import { newId } from '#shared/kernel/ids.ts';
import { claimsOf } from '../support/fixture-org.ts';
import { callRoute, freshTable, testIssuer, type CallResult } from '../support/platform.ts';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}
type Path = (string | number)[];
interface TextField {
  path: Path;
  fileName: boolean;
}

const jsonSchemaOf = (s: z.core.$ZodType | undefined) => (s ? (z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema) : undefined);
const ULID_SOURCE = '^[0-9A-HJKMNP-TV-Z]{26}$';

/** a plain string: no enum, constant, pattern or format — what `text`, `multilineText` and `fileName` produce */
const isText = (s: JsonSchema) => s.type === 'string' && !s.enum && !('const' in s) && !s.pattern && !s.format;

const numberIn = (s: JsonSchema) => {
  const inRange = (v: number) =>
    (s.minimum === undefined || v >= s.minimum) &&
    (s.maximum === undefined || v <= s.maximum) &&
    (s.exclusiveMinimum === undefined || v > s.exclusiveMinimum) &&
    (s.exclusiveMaximum === undefined || v < s.exclusiveMaximum);
  return [1, s.minimum, s.maximum, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 0.5 : undefined].find((v) => v !== undefined && inRange(v)) ?? 1;
};

/**
 * One value the schema accepts (every optional property present, so that it is tested too), and the
 * paths of its free-text fields. Unions inside a body take their first non-null alternative; the
 * alternatives at the top of a body are walked one by one by the caller.
 */
const example = (s: JsonSchema | undefined, name: string, path: Path, fields: TextField[]): unknown => {
  if (!s || Object.keys(s).filter((k) => k !== '$schema').length === 0) return '值';
  if ('const' in s) return s.const;
  if (s.enum) return s.enum[0];
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives) return example(alternatives.find((a) => a.type !== 'null') ?? alternatives[0], name, path, fields);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object':
      if (s.properties) return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, example(v, k, [...path, k], fields)]));
      return typeof s.additionalProperties === 'object' ? { k: example(s.additionalProperties, 'k', [...path, 'k'], fields) } : {};
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, (_, i) => example(s.items, name, [...path, i], fields));
    case 'string':
      if (s.format === 'date') return '2026-03-02';
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.pattern === ULID_SOURCE) return newId();
      if (s.pattern) return fc.sample(fc.stringMatching(new RegExp(s.pattern)), { numRuns: 1, seed: 1 })[0];
      if (isText(s)) fields.push({ path, fileName: name === 'fileName' });
      return '正常文字内容'.slice(0, Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? 6, 6)));
    case 'integer':
    case 'number':
      return numberIn(s);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return '值';
  }
};

/** what every free-text field refuses, single-line or multi-line */
const HOSTILE_TEXT = ['a\u0000b', 'a\u0007b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u009fb', '\u202e反转文字', '\u202a嵌入', '\u202d覆盖', '\u2066隔离\u2069', '\u2067隔离'];
/** … and what a file name refuses besides */
const HOSTILE_FILE_NAMES = ['../../../etc/passwd', '..\\..\\boot.ini', '..', 'a/b.pdf', 'a\\b.pdf', 'a"b.pdf', "a'b.pdf", 'a\r\nb.pdf', 'a\tb.pdf', `${'长'.repeat(86)}.pdf`];

const setAt = (root: unknown, path: Path, value: unknown) => {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path.at(-1)!] = value;
  return copy;
};
const dotted = (where: string, path: Path) => [where, ...path.map(String)].join('.');
const HAN = /\p{Script=Han}/u;

const caller = claimsOf('hostile-text', newId(), ['officer'], { unitId: newId(), officerId: newId() });

const expectRefused = (res: CallResult, field: string, label: string) => {
  const where = `${label} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, where).toBe(400);
  expect(res.headers['content-type'], where).toMatch(/^application\/problem\+json/);
  expect(res.json.title, where).toMatch(HAN);
  const errors = res.json.errors as { path: string; message: string }[];
  const hit = errors.filter((e) => e.path === field || e.path.startsWith(`${field}.`));
  expect(hit.length, `no error at ${field}: ${where}`).toBeGreaterThan(0);
  for (const e of hit) expect(e.message, where).toMatch(HAN);
};

/** the request of a route with valid params and required query values */
const baseRequest = (r: RouteContract) => {
  const params = example(jsonSchemaOf(r.params), '', [], []) as Record<string, unknown> | undefined;
  const path = r.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(params?.[k] ?? 'x')));
  const q = jsonSchemaOf(r.query);
  const query = Object.fromEntries((q?.required ?? []).map((k) => [k, String(example(q!.properties?.[k], k, [], []))]));
  return { path, query };
};
const headersOf = (r: RouteContract) => ({ ...(r.idempotent ? { 'idempotency-key': `hostile-text-${newId()}` } : {}), ...(r.requiresIfMatch ? { 'if-match': '"1"' } : {}) });

const counts = { fields: 0, fileNameFields: 0, requests: 0, queryKeys: 0, tokenRoutes: 0 };

beforeAll(async () => {
  await freshTable('hostile-text');
});
afterAll(() => {
  console.log(
    `hostile text: ${counts.requests} requests on ${counts.fields} free-text fields (${counts.fileNameFields} file names), ${counts.queryKeys} empty query values, ${counts.tokenRoutes} routes with a future-dated token`,
  );
});

/** every hostile request of a route: each free-text field of each body variant and query parameter × each hostile value */
const textCases = (r: RouteContract) => {
  const cases: { field: string; fileName: boolean; body?: unknown; query?: Record<string, string> }[] = [];
  const { query } = baseRequest(r);
  const bodySchema = jsonSchemaOf(r.body);
  // body: every top-level variant (each entry type, each process action…)
  for (const variant of bodySchema ? (bodySchema.oneOf ?? bodySchema.anyOf ?? [bodySchema]) : []) {
    const fields: TextField[] = [];
    const base = example(variant, '', [], fields);
    // the example itself is fine at each field: an error there can only come from the hostile value
    const baseline = z.safeParse(r.body!, base);
    for (const f of fields) {
      const field = dotted('body', f.path);
      expect(baseline.success || !baseline.error.issues.some((i) => dotted('body', i.path as Path).startsWith(field)), `baseline of ${field}`).toBe(true);
      for (const bad of f.fileName ? [...HOSTILE_TEXT, ...HOSTILE_FILE_NAMES] : HOSTILE_TEXT) cases.push({ field, fileName: f.fileName, body: setAt(base, f.path, bad), query });
    }
  }
  // query: each free-text parameter
  const q = jsonSchemaOf(r.query);
  for (const [k, s] of Object.entries(q?.properties ?? {})) {
    const fields: TextField[] = [];
    example(s, k, [k], fields);
    if (fields.length) for (const bad of HOSTILE_TEXT) cases.push({ field: `query.${k}`, fileName: false, query: { ...query, [k]: bad } });
  }
  return cases;
};

describe('free text and file names: one policy on every route', () => {
  for (const r of ROUTES) {
    if (!r.body && !r.query) continue;
    const cases = textCases(r);
    if (!cases.length) continue;
    it(`${r.method} ${r.path}`, async () => {
      const { path } = baseRequest(r);
      const fields = new Set(cases.map((c) => c.field));
      counts.fields += fields.size;
      counts.fileNameFields += new Set(cases.filter((c) => c.fileName).map((c) => c.field)).size;
      counts.requests += cases.length;
      await Promise.all(
        cases.map(async (c) => {
          const res = await callRoute(r.method, path, { claims: caller, query: c.query, body: c.body, headers: headersOf(r) });
          expectRefused(res, c.field, `${r.operationId} ${c.field}: ${JSON.stringify(c.body ?? c.query).slice(0, 200)}`);
        }),
      );
    });
  }

  it('found the free-text and file-name fields (the walk above covered them)', () => {
    expect(counts.fields).toBeGreaterThan(150);
    // declareEvidence, declareDerivedEvidence, createAttachment
    expect(counts.fileNameFields).toBeGreaterThanOrEqual(3);
  });
});

describe('empty query values: refused on every route, never coerced', () => {
  for (const r of ROUTES) {
    // a route whose query schema takes no parameter (noQuery) is asked with one it does not know
    const keys = () => {
      const known = Object.keys(jsonSchemaOf(r.query)?.properties ?? {});
      return known.length ? known : ['unknown'];
    };
    if (!r.query) continue;
    it(`${r.method} ${r.path}`, async () => {
      const { path, query } = baseRequest(r);
      await Promise.all(
        keys().flatMap((k) =>
          ['', ' ', '%20%09'].map(async (blank) => {
            counts.queryKeys++;
            const others = new URLSearchParams(Object.entries(query).filter(([q]) => q !== k)).toString();
            const res = await callRoute(r.method, `${path}?${others ? `${others}&` : ''}${encodeURIComponent(k)}=${blank}`, { claims: caller, headers: headersOf(r) });
            expectRefused(res, `query.${k}`, `${r.operationId} ${k}=${JSON.stringify(blank)}`);
          }),
        ),
      );
    });
  }
});

describe('a token issued a day ahead: 401 on every authenticated route', () => {
  it('every route with auth refuses it before its function runs; a current token still works', async () => {
    const issuer = await testIssuer();
    const user = { userId: 'hostile-text', agencyId: newId(), roles: ['officer' as const] };
    const ahead = await issuer.issueToken(user, { issuedAt: Math.floor(Date.now() / 1000) + 86_400 });
    for (const r of ROUTES.filter((x) => x.auth)) {
      counts.tokenRoutes++;
      const { path, query } = baseRequest(r);
      const res = await callRoute(r.method, path, { token: ahead, query, headers: headersOf(r) });
      expect(res.status, `${r.operationId}: ${res.text}`).toBe(401);
      expect(res.json.code).toBe('auth.invalidToken');
      expect(res.json.detail).toMatch(HAN);
    }
    expect(counts.tokenRoutes).toBeGreaterThan(50);
    expect((await callRoute('GET', '/me', { token: await issuer.issueToken(user) })).status).toBe(200);
  });
});
