import { expect } from 'vitest';
import { installClock } from '#shared/kernel/clock.ts';
import { idempotencyKey } from './fixture-org.ts';
import { callRoute, type Claims } from './platform.ts';
import { manualClock, type ManualClock } from '../../infra/local/clock.ts';
import { installLocalEngine, type LocalEngine, uninstallLocalEngine } from '../../infra/local/stepfunctions.ts';

/**
 * The process clocks in a test worker: the local Step Functions engine (the same ASL files and the
 * same clock handler as `npm start`) on a manual clock that the test moves. `advanceTo` moves the
 * clock and waits until every execution has done what the new time asks for.
 */
export interface ProcessHarness {
  clock: ManualClock;
  engine: LocalEngine;
  advanceTo(at: string): Promise<void>;
  settle(): Promise<void>;
  /** what `npm start` does after a restart: a new engine, and the reconciler resumes open clocks */
  restart(): Promise<void>;
  reconcile(): Promise<unknown>;
  stop(): Promise<void>;
}

export const processHarness = (start: string): ProcessHarness => {
  const clock = manualClock(start);
  installClock(clock);
  const h: ProcessHarness = {
    clock,
    engine: installLocalEngine(clock),
    settle: () => h.engine.settle(),
    advanceTo: async (at) => {
      await h.engine.settle();
      clock.set(at);
      await h.engine.settle();
    },
    reconcile: async () => (await import('#functions/jobs/processes.ts')).reconcile(0),
    restart: async () => {
      await h.engine.stopAll();
      h.engine = installLocalEngine(clock);
      await h.reconcile();
      await h.engine.settle();
    },
    stop: async () => {
      await uninstallLocalEngine(h.engine);
      installClock(undefined);
    },
  };
  return h;
};

/** `2026-11-02T10:00:00.000+08:00`: a moment in Shanghai time */
export const shanghai = (date: string, time = '10:00') => `${date}T${time}:00.000+08:00`;

/**
 * Calls of the process API that must succeed, for tests that drive processes end to end: each
 * waits until the clocks have done what the call asks for.
 */
export const processCalls = (h: ProcessHarness) => {
  const open = async (claims: Claims, body: Record<string, unknown>) => {
    const r = await callRoute('POST', '/processes', { claims, body, headers: { 'idempotency-key': idempotencyKey('proc') } });
    expect(r.status, r.text).toBe(201);
    await h.settle();
    return r.json;
  };
  /** an action with the process's current ETag (read by `etagFrom`); the response, status unchecked */
  const act = async (claims: Claims, id: string, body: Record<string, unknown>, etagFrom: Claims) => {
    const cur = await callRoute('GET', `/processes/${id}`, { claims: etagFrom });
    const r = await callRoute('POST', `/processes/${id}/actions`, { claims, body, headers: { 'if-match': cur.headers.etag! } });
    await h.settle();
    return r;
  };
  const get = async (claims: Claims, id: string) => {
    const r = await callRoute('GET', `/processes/${id}`, { claims });
    expect(r.status, r.text).toBe(200);
    return r.json;
  };
  const history = async (claims: Claims, id: string) => {
    const r = await callRoute('GET', `/processes/${id}/history`, { claims });
    expect(r.status, r.text).toBe(200);
    return r.json.items as { event: string; at: string; detail?: any; clock?: any }[];
  };
  const inbox = async (claims: Claims, processId?: string) =>
    ((await callRoute('GET', '/inbox', { claims, query: { limit: '200' } })).json.items as { notificationId: string; kind: string; processId?: string }[]).filter(
      (n) => !processId || n.processId === processId,
    );
  return { open, act, get, history, inbox };
};
