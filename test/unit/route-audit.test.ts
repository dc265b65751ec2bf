import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { ROUTES } from '#shared/api/routes.ts';
import type { AuditDraft } from '#shared/audit/record.ts';
import { defineRoute, type RouteAudit } from '#shared/http/contract.ts';
import { bind, httpGroup, type AuditAppend, type HttpEvent, type RequestContext } from '#shared/http/handler.ts';
import { forbidden, notFound, unavailable } from '#shared/kernel/errors.ts';

/**
 * The audited path (docs/security.md §3): every route declares what it audits, the HTTP pipeline
 * enforces the declaration (shared/http/handler.ts), and no handler writes audit itself.
 */
const ROOT = resolve(import.meta.dirname, '../..');

/** routes that serve no record the archive audits, each with its reason */
const NOT_AUDITED: Record<string, string> = {
  health: 'no caller, no record',
  openapi: 'the API description',
  me: "the caller's own token claims",
  listInbox: "the caller's own inbox (a notice read by id is audited on refusal)",
  listCalendarYears: 'the public holiday notices',
  getCalendarYear: 'a public holiday notice',
  computeDueDate: 'arithmetic on the public calendar',
};
/** the records docs/security.md §3 names first: an officer's file, a case, a recording, a process */
const AUDITED_SCOPES = ['file', 'case', 'evidence', 'process'];

describe('every route declares its audit', () => {
  it.each(ROUTES.map((r) => [r.operationId, r] as const))('%s', (operationId, r) => {
    if (operationId in NOT_AUDITED) {
      expect(r.audit, `${operationId} is listed as not audited`).toBeUndefined();
      expect(AUDITED_SCOPES).not.toContain(r.scope);
      return;
    }
    expect(r.auth, `${operationId}: an audited route has a caller`).toBe(true);
    expect(r.audit, `${operationId} returns ${r.scope} data but declares no audit (RouteAudit, shared/http/contract.ts)`).toBeDefined();
    if (AUDITED_SCOPES.includes(r.scope)) expect(r.audit!.by, `${operationId}: a ${r.scope} is audited on success too`).not.toBe('refusals');
    if (r.audit!.by === 'pipeline') expect(r.method, `${operationId}: the pipeline records reads; a change is recorded in its own transaction`).toBe('GET');
  });

  it('every declaration names its object: a group of all routes can be built', () => {
    expect(() =>
      httpGroup(
        ROUTES.map((c) => bind(c, async () => ({}))),
        { audit: async () => [] },
      ),
    ).not.toThrow();
  });

  it('a group with audited routes cannot be built without the audit writer', () => {
    const c = ROUTES.find((r) => r.operationId === 'getFile')!;
    expect(() => httpGroup([bind(c, async () => ({}))])).toThrow(/audit writer/);
  });

  it('no handler writes audit itself: the pipeline or the use case does', () => {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
    const offenders = walk(join(ROOT, 'functions')).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\baudit\s*\(/.test(line) ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});

describe('the pipeline enforces the declaration', () => {
  // Prepare: one route per kind of declaration, and an audit writer that records what it was given
  const route = (operationId: string, audit: RouteAudit, method: 'GET' | 'POST' = 'GET') =>
    defineRoute({ operationId, method, path: `/things/{thingId}/${operationId}`, group: 'system', summary: '测试', auth: true, scope: 'none', audit }, () => ({
      params: z.object({ thingId: z.string() }).strict(),
    }));
  const read = route('read', { by: 'pipeline', action: 'thing.read', objectType: 'file', objectId: (i) => String(i.params.thingId) });
  const change = route('change', { by: 'useCase', action: 'thing.change', objectType: 'file', objectId: (i) => String(i.params.thingId) }, 'POST');
  const inbox = route('inbox', { by: 'refusals', action: 'thing.inbox', objectType: 'notification', objectId: (i) => String(i.params.thingId) });

  const setup = (run: (ctx: RequestContext) => Promise<{ body?: unknown; audit?: { reason?: string } }>, append?: AuditAppend) => {
    const written: AuditDraft[][] = [];
    const writer = vi.fn<AuditAppend>(append ?? (async (_ctx, drafts) => void written.push(drafts)));
    const h = httpGroup(
      [read, change, inbox].map((c) => bind(c, async ({ ctx }) => run(ctx))),
      { audit: writer },
    );
    const call = async (c: typeof read, id = 'T1') => {
      const event = {
        routeKey: `${c.method} ${c.path}`,
        pathParameters: { thingId: id },
        headers: {},
        isBase64Encoded: false,
        requestContext: { requestId: 'req-1', http: { sourceIp: '10.0.0.1' }, authorizer: { jwt: { claims: { sub: 'u1', 'custom:agencyId': 'A1', 'cognito:groups': ['officer'] } } } },
      } as unknown as HttpEvent;
      const res = await h(event, {} as never);
      return { status: res.statusCode, body: JSON.parse(res.body || 'null') };
    };
    return { call, written, writer };
  };
  const SECRET = { entries: ['机密内容'] };

  it('a read: the record (with what the access check established) is committed before the data leaves', async () => {
    const { call, written } = setup(async (ctx) => {
      ctx.facts = { objectAgencyId: 'A9', basis: 'deptHead' };
      return { body: SECRET, audit: { reason: 'ok' } };
    });
    const r = await call(read);
    expect(r).toEqual({ status: 200, body: SECRET });
    expect(written).toEqual([[{ action: 'thing.read', objectType: 'file', objectId: 'T1', outcome: 'allowed', objectAgencyId: 'A9', basis: 'deptHead', reason: 'ok' }]]);
  });

  it('a read whose audit append fails answers 503 audit.unavailable and no data (fail closed)', async () => {
    const { call } = setup(
      async () => ({ body: SECRET }),
      async () => {
        throw unavailable('audit.unavailable', '审计记录写入失败，操作未执行（审计优先）');
      },
    );
    const r = await call(read);
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ code: 'audit.unavailable' });
    expect(JSON.stringify(r.body)).not.toContain('机密内容');
  });

  it("a change: the use case's own record (committed with it) stands; the pipeline adds none", async () => {
    const { call, writer } = setup(async (ctx) => {
      ctx.audited.push({ action: 'thing.change' } as never); // what the one writer does on commit
      return { body: { ok: true } };
    });
    expect((await call(change)).status).toBe(200);
    expect(writer).not.toHaveBeenCalled();
  });

  it('a use case that committed nothing (nothing changed) still answers only after a read record', async () => {
    const { call, written } = setup(async () => ({ body: { unchanged: true } }));
    expect((await call(change)).status).toBe(200);
    expect(written).toEqual([[{ action: 'thing.change', objectType: 'file', objectId: 'T1', outcome: 'allowed' }]]);
  });

  it.each([
    ['404', notFound('thing.notFound', '不存在'), 404, 'notFound'],
    ['403', forbidden('thing.forbidden', '无权'), 403, 'denied'],
  ] as const)('a %s nothing recorded yet is recorded before it is answered', async (_n, err, status, outcome) => {
    const { call, written } = setup(async (ctx) => {
      ctx.facts = { objectAgencyId: 'A9' };
      throw err;
    });
    expect((await call(read)).status).toBe(status);
    expect(written).toEqual([[{ action: 'thing.read', objectType: 'file', objectId: 'T1', objectAgencyId: 'A9', outcome }]]);
  });

  it('a refusal the access check already recorded is not recorded twice', async () => {
    const { call, writer } = setup(async (ctx) => {
      ctx.audited.push({ action: 'thing.read', outcome: 'denied' } as never);
      throw forbidden('thing.forbidden', '无权');
    });
    expect((await call(read)).status).toBe(403);
    expect(writer).not.toHaveBeenCalled();
  });

  it('a refusal whose record cannot be written answers 503, not the refusal', async () => {
    const { call } = setup(
      async () => {
        throw notFound('thing.notFound', '不存在');
      },
      async () => {
        throw unavailable('audit.unavailable', '审计记录写入失败，操作未执行（审计优先）');
      },
    );
    expect((await call(read)).status).toBe(503);
  });

  it('a refusals-only route records refusals, not successes', async () => {
    let refuse = false;
    const { call, written } = setup(async () => {
      if (refuse) throw notFound('thing.notFound', '不存在');
      return { body: { mine: true } };
    });
    expect((await call(inbox)).status).toBe(200);
    expect(written).toEqual([]);
    refuse = true;
    expect((await call(inbox)).status).toBe(404);
    expect(written).toEqual([[{ action: 'thing.inbox', objectType: 'notification', objectId: 'T1', outcome: 'notFound' }]]);
  });
});
