import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as evidenceArrived } from '#functions/events/evidence-arrived.ts';
import { reconcile } from '#functions/jobs/processes.ts';
import { dispatch, waitsFor } from '#shared/outbox/dispatch.ts';
import { handler as evidenceOutbox } from '#functions/jobs/evidence-outbox.ts';
import type { CaseEvent } from '#shared/cases/events.ts';
import { processConsumer } from '#shared/process/consumers.ts';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { type OutboxItem, pendingOutbox, putOutbox, STUCK_AFTER_ATTEMPTS, stuckOutbox } from '#shared/outbox/store.ts';
import { wire } from '#shared/wiring.ts';
import { evidenceConsumer } from '#shared/evidence/consumers.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/adapters/dynamodb/client.ts';
import { outboxKey } from '#shared/adapters/dynamodb/keys/outbox.ts';
import { callRoute, embedded, freshTable, objectCreatedEvent } from '../support/platform.ts';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { processHarness, type ProcessHarness } from '../support/processes.ts';

/**
 * Cross-area effects are domain events written in the transaction of the change that raises them and
 * consumed by the area that owns the effect (docs/architecture.md §6): a case's obstruction event is
 * committed with the case step, its evidence hold is placed by the evidence area's consumer; a
 * consumer that crashes leaves the event pending with its attempts counted, listed as stuck once it
 * keeps failing, and the reconciler places the hold once the consumer works again.
 */
let org: FixtureOrg;
let h: ProcessHarness;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  await freshTable('events');
  h = processHarness(new Date().toISOString());
  org = await buildFixtureOrg();
}, 120_000);
afterAll(async () => {
  wire([evidenceConsumer]);
  await h.stop();
});

const storedInCase = async (caseId: string) => {
  const bytes = randomBytes(256);
  const at = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const d = await callRoute('POST', '/evidence', {
    claims: org.claims.officer,
    headers: { 'idempotency-key': idempotencyKey('ev') },
    body: {
      kind: 'evidence-general-procedure',
      title: '现场执法记录',
      fileName: 'DSJ_0001.mp4',
      mediaType: 'video/mp4',
      size: bytes.length,
      sha256: sha(bytes),
      caseId,
      capture: { officerId: org.officerId, deviceId: 'DSJ-001', startedAt: at(30), endedAt: at(5), place: '青山区某市场' },
    },
  });
  expect(d.status, d.text).toBe(201);
  const put = await fetch(d.json.upload.url, { method: 'PUT', headers: d.json.upload.headers, body: bytes });
  expect(put.status).toBe(200);
  const [r] = await evidenceArrived(objectCreatedEvent({ bucket: embedded().bucketName, key: d.json.evidence.key, size: bytes.length, eTag: 'x' }));
  expect(r!.outcome).toBe('verified');
  return d.json.evidence.evidenceId as string;
};

const holdReasons = async (evidenceId: string) => (await callRoute('GET', `/evidence/${evidenceId}`, { claims: org.claims.officer })).json.retention.activeHoldReasons as string[];

const eventsOfCase = async (caseId: string) => (await pendingOutbox(h.clock.now(), 0, 1000)).filter((i) => (i.message as { caseId?: string }).caseId === caseId);

const stored = async (outboxId: string) => (await documentClient().send(new GetCommand({ TableName: tableName(), Key: outboxKey(outboxId), ConsistentRead: true }))).Item?.record as OutboxItem;

describe('domain events (docs/architecture.md §6)', () => {
  it('an obstruction recorded in a case is an event of the case’s transaction; a crashed evidence consumer is retried by the reconciler', async () => {
    const c = await callRoute('POST', '/cases', {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('c') },
      body: {
        kind: 'penalty',
        title: '阻碍执法案件',
        caseNumber: '事〔2026〕1号',
        unitId: org.unitId,
        filedOn: '2026-06-01',
        parties: [{ partyKind: 'person', name: '王某' }],
        officers: [{ officerId: org.officerId, role: 'lead' }],
      },
    });
    expect(c.status, c.text).toBe(201);
    const caseId = c.json.caseId as string;
    const evidenceId = await storedInCase(caseId);
    expect(await holdReasons(evidenceId)).toEqual([]);

    // the evidence area's consumer crashes on this event
    let crashes = 0;
    wire([
      {
        ...evidenceConsumer,
        handlers: {
          ...evidenceConsumer.handlers,
          obstructionRecorded: async () => {
            crashes++;
            throw new Error('evidence consumer crashed');
          },
        },
      },
    ]);

    const today = new Date(h.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const step = await callRoute('POST', `/cases/${caseId}/steps`, {
      claims: org.claims.officer,
      body: { step: 'investigation', on: today, evidence: '现场笔录', obstruction: 'assault' },
      headers: { 'if-match': c.headers.etag! },
    });
    expect(step.status, step.text).toBe(200);
    expect(crashes).toBe(1);
    // the step is recorded, the hold is not placed yet
    expect(await holdReasons(evidenceId)).toEqual([]);

    // the event was written by the case's own transaction: same moment as the step, still pending, its failure counted
    const [event] = await eventsOfCase(caseId);
    expect(event?.message).toMatchObject({ type: 'obstructionRecorded', caseId, agencyId: org.agencyId, obstruction: 'assault' });
    expect(event!.createdAt).toBe(step.json.steps.at(-1).at);
    expect(event!.attempts).toBe(1);
    expect(event!.lastError).toMatchObject({ area: 'evidence', error: 'Error: evidence consumer crashed' });

    // it keeps failing: from STUCK_AFTER_ATTEMPTS on it is listed as stuck (and logged at error level)
    for (let i = 1; i < STUCK_AFTER_ATTEMPTS; i++) await dispatch([event!]);
    expect(crashes).toBe(STUCK_AFTER_ATTEMPTS);
    expect((await stuckOutbox()).map((i) => i.outboxId)).toContain(event!.outboxId);
    const whileBroken = await reconcile(0);
    expect(whileBroken.outbox.stuck).toBeGreaterThanOrEqual(1);
    expect(await holdReasons(evidenceId)).toEqual([]);

    // the consumer works again: the reconciler places the hold and the event is done
    wire([evidenceConsumer]);
    await reconcile(0);
    expect(await holdReasons(evidenceId)).toEqual(['assault']);
    expect((await stored(event!.outboxId)).status).toBe('done');
    expect((await stored(event!.outboxId)).consumed).toEqual(['evidence']);
    expect(await eventsOfCase(caseId)).toEqual([]);
    expect((await stuckOutbox()).map((i) => i.outboxId)).not.toContain(event!.outboxId);

    // a second run of the same event changes nothing (idempotent): the hold is not placed twice
    await dispatch([{ ...event!, status: 'pending' }]);
    expect(await holdReasons(evidenceId)).toEqual(['assault']);
  });

  it('a dispatcher carrying only the process consumer leaves an evidence event pending; the evidence function completes it, once', async () => {
    const c = await callRoute('POST', '/cases', {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('c') },
      body: {
        kind: 'penalty',
        title: '拒绝配合案件',
        caseNumber: '事〔2026〕2号',
        unitId: org.unitId,
        filedOn: '2026-06-01',
        parties: [{ partyKind: 'person', name: '李某' }],
        officers: [{ officerId: org.officerId, role: 'lead' }],
      },
    });
    expect(c.status, c.text).toBe(201);
    const caseId = c.json.caseId as string;
    const evidenceId = await storedInCase(caseId);
    const event = await putOutbox<CaseEvent>({ type: 'obstructionRecorded', caseId, agencyId: org.agencyId, obstruction: 'refusal', note: '拒绝配合' }, h.clock.now().toISOString());

    // the fast path of the cases, processes and calendar functions (AWS: the process consumer only)
    expect(await dispatch([event], 5_000, [processConsumer])).toEqual({ done: 0, failed: 0, pending: 1 });
    const left = await stored(event.outboxId);
    expect(left.status).toBe('pending');
    expect(left.attempts).toBeUndefined();
    expect(left.lastError).toBeUndefined();
    expect(await holdReasons(evidenceId)).toEqual([]);
    // the process jobs' reconciler does not pick it up; the evidence function's does
    const pendingFor = async (areas: ('process' | 'evidence' | 'notify')[]) => (await pendingOutbox(h.clock.now(), 0, 1000, (i) => waitsFor(i, areas))).map((i) => i.outboxId);
    expect(await pendingFor(['process', 'notify'])).not.toContain(event.outboxId);
    expect(await pendingFor(['evidence'])).toContain(event.outboxId);

    // the evidence function, from the table stream as AWS delivers the insert (not claimed by the fast path: it runs at once)
    const raw = (await documentClient().send(new GetCommand({ TableName: tableName(), Key: outboxKey(event.outboxId), ConsistentRead: true }))).Item!;
    const stream = { Records: [{ eventName: 'INSERT', dynamodb: { NewImage: marshall(raw, { removeUndefinedValues: true }) } }] } as unknown as DynamoDBStreamEvent;
    expect(await evidenceOutbox(stream)).toEqual({ done: 1, failed: 0, pending: 0 });
    expect(await holdReasons(evidenceId)).toEqual(['refusal']);
    expect(await stored(event.outboxId)).toMatchObject({ status: 'done', consumed: ['evidence'] });

    // a second delivery of the insert, another process-only dispatch, a reconcile: nothing runs twice
    expect(await evidenceOutbox(stream)).toEqual({ done: 0, failed: 0, pending: 0 });
    expect(await dispatch([event], 5_000, [processConsumer])).toEqual({ done: 0, failed: 0, pending: 1 });
    await reconcile(0);
    expect(await stored(event.outboxId)).toMatchObject({ status: 'done', consumed: ['evidence'] });
    expect(await holdReasons(evidenceId)).toEqual(['refusal']);
  });
});
