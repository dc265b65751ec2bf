/**
 * Concurrency and tampering against the real store (DynamoDB Local), docs/security.md §3–4, docs/architecture.md §13:
 *
 *  - concurrent appends: ROUNDS rounds; in each, PARALLEL approved drafts (random types and dates,
 *    prepared one after another) are archived into ONE officer file by PARALLEL `POST …/archive`
 *    calls fired at once with their ETags (plus a few duplicate archive calls for the same draft).
 *    Every call ends in 201, or in a clean 503 problem that is retried until it succeeds; after
 *    each round the chain holds exactly the expected entries, seq 1..N without gap or duplicate,
 *    each archived draft exactly once; the file and the agency's audit chains verify.
 *  - tampering: an archived entry or an audit record changed directly in the table is reported
 *    (hashMismatch / ok=false); put back, everything verifies again.
 *  - idempotency: one create repeated with the same Idempotency-Key — one after another or many
 *    at once — makes exactly one draft and every answer names it; the same key with another body
 *    is a 409 problem and writes nothing.
 */
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { callRoute, dynamoClient, freshTable, type CallResult, type Claims } from '../support/platform.ts';

const ROUNDS = 5;
const PARALLEL = 20;
/** per round, this many drafts get a second, simultaneous archive call (exactly one of the two may win) */
const DUPLICATES = 3;
const MAX_ATTEMPTS = 25;

let org: FixtureOrg;
let table: string;
let raw: ReturnType<typeof dynamoClient>;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  table = await freshTable('concurrency');
  raw = dynamoClient();
  db = DynamoDBDocumentClient.from(raw);
  org = await buildFixtureOrg();
}, 180_000);

afterAll(() => raw?.destroy());

// ---- helpers ----------------------------------------------------------------------------------

const file = (officerId: string) => `/officers/${officerId}/file`;

const expect2xx = (r: CallResult, what: string) => {
  expect(r.status, `${what}: ${r.text}`).toBeGreaterThanOrEqual(200);
  expect(r.status, `${what}: ${r.text}`).toBeLessThan(300);
  return r;
};

const expectCleanProblem = (r: CallResult, status: number) => {
  expect(r.status, r.text).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.json.status).toBe(status);
  expect(r.json.title).toMatch(/\p{Script=Han}/u);
  expect(r.json.code).toBeTypeOf('string');
};

/** the stored chain of a file, straight from the table (consistent read) */
const storedChain = async (officerId: string) => {
  const items: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':p': `FILE#${officerId}`, ':e': 'E#' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

const verifyFile = async (officerId: string, as: Claims = org.claims.leadership) => expect2xx(await callRoute('GET', `${file(officerId)}/verify`, { claims: as }), 'verify file').json;

const verifyAudit = async () => expect2xx(await callRoute('GET', '/audit/verify', { claims: org.claims.auditor }), 'verify audit').json;

/** non-conclusive entry types (A6: conclusive ones are notified to the officer before archiving) */
const draftBody = fc
  .oneof(
    fc
      .record({ course: fc.string({ minLength: 1, maxLength: 30 }), hours: fc.integer({ min: 1, max: 200 }), result: fc.constantFrom('passed', 'failed', 'attended') })
      .map((content) => ({ type: 'training', content })),
    fc
      .record({ inspectionKind: fc.constantFrom('annual', 'special', 'random'), findings: fc.string({ minLength: 1, maxLength: 60 }), signedByInspected: fc.boolean() })
      .map((content) => ({ type: 'inspection', content })),
    fc.record({ period: fc.constantFrom('2026年上半年', '2026年度'), body: fc.string({ minLength: 1, maxLength: 80 }) }).map((content) => ({ type: 'workSummary', content })),
    fc.record({ description: fc.string({ minLength: 1, maxLength: 80 }) }).map((content) => ({ type: 'innovation', content })),
  )
  .chain((b) =>
    fc
      .record({ day: fc.integer({ min: 1, max: 28 }), month: fc.integer({ min: 1, max: 12 }) })
      .map(({ day, month }) => ({ ...b, occurredOn: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` })),
  )
  .map((b) => ({ ...b, content: Object.fromEntries(Object.entries(b.content).map(([k, v]) => [k, typeof v === 'string' && !v.trim() ? `${v}内容` : v])) }));

interface Approved {
  entryId: string;
  etag: string;
  title: string;
}

/** drafted by the recorder, submitted by the recorder (the author), approved by the head of U1 */
const approvedDraft = async (officerId: string, body: Record<string, unknown>, title: string): Promise<Approved> => {
  const F = file(officerId);
  const d = expect2xx(await callRoute('POST', `${F}/drafts`, { claims: org.claims.recorder, body: { ...body, title }, headers: { 'idempotency-key': idempotencyKey('cc') } }), 'draft');
  const s = expect2xx(await callRoute('POST', `${F}/drafts/${d.json.entryId}/submit`, { claims: org.claims.recorder, headers: { 'if-match': d.headers.etag! } }), 'submit');
  const a = expect2xx(
    await callRoute('POST', `${F}/drafts/${d.json.entryId}/review`, { claims: org.claims.deptHead, body: { decision: 'approve' }, headers: { 'if-match': s.headers.etag! } }),
    'approve',
  );
  expect(a.json.state).toBe('approved');
  return { entryId: d.json.entryId as string, etag: a.headers.etag!, title };
};

interface ArchiveOutcome {
  /** the seq the call archived the entry at; undefined when another call archived it */
  seq?: number;
  retriesAfter503: number;
  /** a 409 because the twin call archived the draft first */
  lostToTwin: boolean;
}

/**
 * One archive call, retried after a clean 503 until it succeeds. A 409 is only acceptable for a
 * twin call (two calls for one draft) and only when the draft did get archived by the other one.
 */
const archive = async (officerId: string, d: Approved, twin: boolean): Promise<ArchiveOutcome> => {
  let retriesAfter503 = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const r = await callRoute('POST', `${file(officerId)}/drafts/${d.entryId}/archive`, { claims: org.claims.recorder, headers: { 'if-match': d.etag } });
    if (r.status === 201) {
      expect(r.json.entryId).toBe(d.entryId);
      return { seq: r.json.seq as number, retriesAfter503, lostToTwin: false };
    }
    if (r.status === 503) {
      expectCleanProblem(r, 503);
      retriesAfter503++;
      await new Promise((ok) => setTimeout(ok, 20 * attempt));
      continue;
    }
    // a 409 after a 503 is fine too if the draft is archived by now (the twin, or our own earlier attempt)
    expect(twin || retriesAfter503 > 0, `archive of ${d.entryId}: ${r.status} ${r.text}`).toBe(true);
    expectCleanProblem(r, 409);
    // an archived draft is the archive: read by an A8 reader (the head of U1), not by the recorder
    const now = expect2xx(await callRoute('GET', `${file(officerId)}/drafts/${d.entryId}`, { claims: org.claims.deptHead }), 'read draft');
    expect(now.json.state).toBe('archived');
    return { retriesAfter503, lostToTwin: true, ...(twin ? {} : { seq: now.json.archivedSeq as number }) };
  }
  throw new Error(`archive of ${d.entryId} still failing after ${MAX_ATTEMPTS} attempts`);
};

// ---- concurrent appends -----------------------------------------------------------------------

describe('concurrent appends to ONE officer file', () => {
  it(`${ROUNDS} rounds × ${PARALLEL} archives fired at once: every entry exactly once, seq 1..N, chains verify`, async () => {
    const officerId = await org.newOfficerWithFile();
    const opened = (await storedChain(officerId)).length; // the file-opening link (A5)
    expect(opened).toBeGreaterThanOrEqual(1);
    const archived = new Map<string, string>(); // entryId → title
    let retries = 0;
    let twinsLost = 0;
    let round = 0;
    const started = Date.now();

    await fc.assert(
      fc.asyncProperty(fc.array(draftBody, { minLength: PARALLEL, maxLength: PARALLEL }), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), async (bodies, order) => {
        round++;
        // prepared one after another: the only concurrency is the archive burst
        const drafts: Approved[] = [];
        for (const [i, b] of bodies.entries()) drafts.push(await approvedDraft(officerId, b, `并发录入 第${round}轮 ${i + 1}号`));
        // every draft once, the first DUPLICATES twice, all fired at once in a random order
        const calls = [...drafts.map((d, i) => ({ d, twin: i < DUPLICATES })), ...drafts.slice(0, DUPLICATES).map((d) => ({ d, twin: true }))]
          .map((c) => ({ c, k: order.next().value as number }))
          .sort((a, b) => a.k - b.k)
          .map(({ c }) => c);
        const outcomes = await Promise.all(calls.map(({ d, twin }) => archive(officerId, d, twin)));
        retries += outcomes.reduce((n, o) => n + o.retriesAfter503, 0);
        twinsLost += outcomes.filter((o) => o.lostToTwin).length;

        // every draft archived by exactly one call, at distinct seqs
        const won = new Map<string, number[]>();
        outcomes.forEach((o, i) => {
          if (o.seq !== undefined) won.set(calls[i]!.d.entryId, [...(won.get(calls[i]!.d.entryId) ?? []), o.seq]);
        });
        expect(won.size).toBe(PARALLEL);
        for (const [id, seqs] of won) expect(seqs, `draft ${id} archived ${seqs.length} times`).toHaveLength(1);
        expect(new Set([...won.values()].flat()).size).toBe(PARALLEL);
        for (const d of drafts) archived.set(d.entryId, d.title);

        // the stored chain: exactly the expected links, seq 1..N, each archived draft once with its title
        const chain = await storedChain(officerId);
        const expected = opened + archived.size;
        expect(chain.map((i) => i.record.seq)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
        expect(chain.map((i) => i.sk)).toEqual(Array.from({ length: expected }, (_, i) => `E#${String(i + 1).padStart(10, '0')}`));
        const byEntry = new Map<string, number>();
        for (const i of chain) byEntry.set(i.record.entryId, (byEntry.get(i.record.entryId) ?? 0) + 1);
        for (const [id, title] of archived) {
          expect(byEntry.get(id), `entry ${id} in the chain`).toBe(1);
          expect(chain.find((i) => i.record.entryId === id)!.record.title).toBe(title);
        }
        for (const d of drafts) expect(chain.find((i) => i.record.entryId === d.entryId)!.record.seq).toBe(won.get(d.entryId)![0]);

        const v = await verifyFile(officerId);
        expect(v).toMatchObject({ ok: true, count: expected, headSeq: expected, problems: [] });
        const meta = expect2xx(await callRoute('GET', file(officerId), { claims: org.claims.leadership }), 'file').json;
        expect(meta.headSeq).toBe(expected);
        expect(meta.headHash).toBe(v.headHash);
      }),
      { numRuns: ROUNDS, endOnFailure: true },
    );

    expect(round).toBe(ROUNDS);
    expect(archived.size).toBe(ROUNDS * PARALLEL);
    const audit = await verifyAudit();
    expect(audit.ok, JSON.stringify(audit).slice(0, 500)).toBe(true);
    // the archive audit records: one per archived entry, none for the losers (they wrote nothing)
    const entryAudit = await callRoute('GET', '/audit', { claims: org.claims.auditor, query: { objectType: 'entry', objectId: [...archived.keys()][0]!, limit: 100 } });
    expect2xx(entryAudit, 'audit of one entry');
    expect(entryAudit.json.items.filter((a: { action: string; outcome: string }) => a.action === 'entry.archive' && a.outcome === 'allowed')).toHaveLength(1);
    console.log(
      `concurrent appends: ${ROUNDS} rounds × ${PARALLEL} archives (+${DUPLICATES} twin calls per round) on one file in ${((Date.now() - started) / 1000).toFixed(1)} s; ${retries} retries after a 503, ${twinsLost} twin calls lost with a 409`,
    );
  }, 600_000);
});

// ---- tampering ---------------------------------------------------------------------------------

describe('tampering with stored records is detected', () => {
  let officerId: string;
  let length: number;

  beforeAll(async () => {
    officerId = await org.newOfficerWithFile();
    const bodies = fc.sample(draftBody, { numRuns: 5, seed: 42 });
    for (const [i, b] of bodies.entries()) {
      const d = await approvedDraft(officerId, b, `待校验条目 ${i + 1}`);
      expect2xx(await callRoute('POST', `${file(officerId)}/drafts/${d.entryId}/archive`, { claims: org.claims.recorder, headers: { 'if-match': d.etag } }), 'archive');
    }
    length = (await storedChain(officerId)).length;
    expect(await verifyFile(officerId)).toMatchObject({ ok: true, count: length });
  }, 120_000);

  const entryKey = (seq: number) => ({ pk: `FILE#${officerId}`, sk: `E#${String(seq).padStart(10, '0')}` });

  it('an archived entry whose title is changed in the table fails verification (hashMismatch at its seq)', async () => {
    const seq = 3;
    const original = (await db.send(new GetCommand({ TableName: table, Key: entryKey(seq), ConsistentRead: true }))).Item!;
    await db.send(new PutCommand({ TableName: table, Item: { ...original, record: { ...original.record, title: '被篡改的标题' } } }));
    const v = await verifyFile(officerId);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([{ seq, problem: 'hashMismatch' }]);
    // the API still serves the stored (tampered) entry: verification is what tells
    expect((await callRoute('GET', `${file(officerId)}/entries/${seq}`, { claims: org.claims.leadership })).json.title).toBe('被篡改的标题');
    await db.send(new PutCommand({ TableName: table, Item: original }));
    expect(await verifyFile(officerId)).toMatchObject({ ok: true, problems: [] });
  });

  it('property: any field of any archived entry changed in the table is reported at exactly that seq', async () => {
    const fields = fc.constantFrom('title', 'occurredOn', 'content', 'archivedBy', 'custody', 'type', 'entryId');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: length }), fields, fc.string({ minLength: 1, maxLength: 20 }), async (seq, field, junk) => {
        const original = (await db.send(new GetCommand({ TableName: table, Key: entryKey(seq), ConsistentRead: true }))).Item!;
        const changed = field === 'content' || field === 'custody' ? { ...original.record[field], tampered: junk } : `${String(original.record[field])}${junk}`;
        await db.send(new PutCommand({ TableName: table, Item: { ...original, record: { ...original.record, [field]: changed } } }));
        try {
          const v = await verifyFile(officerId);
          expect(v.ok).toBe(false);
          expect(v.problems).toEqual([{ seq, problem: 'hashMismatch' }]);
        } finally {
          await db.send(new PutCommand({ TableName: table, Item: original }));
        }
        expect((await verifyFile(officerId)).ok).toBe(true);
      }),
      { numRuns: 8, endOnFailure: true },
    );
  });

  it('a removed link is reported (gap / headMismatch)', async () => {
    const seq = 2;
    const original = (await db.send(new GetCommand({ TableName: table, Key: entryKey(seq), ConsistentRead: true }))).Item!;
    await db.send(new DeleteCommand({ TableName: table, Key: entryKey(seq) }));
    try {
      const v = await verifyFile(officerId);
      expect(v.ok).toBe(false);
      expect(v.problems).toContainEqual({ seq: seq + 1, problem: 'gap' });
      expect(v.problems).toContainEqual({ seq: seq + 1, problem: 'brokenLink' });
    } finally {
      await db.send(new PutCommand({ TableName: table, Item: original }));
    }
    expect((await verifyFile(officerId)).ok).toBe(true);
  });

  it('an audit record changed in the table makes GET /audit/verify report ok=false (hashMismatch in its chain)', async () => {
    expect((await verifyAudit()).ok).toBe(true);
    const chains: Record<string, any>[] = [];
    for (let shard = 0; shard < 16 && chains.length === 0; shard++) {
      const q = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :p AND sk < :h',
          ExpressionAttributeValues: { ':p': `AUDIT#${org.agencyId}#${shard}`, ':h': 'HEAD' },
          ConsistentRead: true,
        }),
      );
      chains.push(...(q.Items ?? []));
    }
    expect(chains.length).toBeGreaterThan(2);
    const original = chains[Math.floor(chains.length / 2)]!;
    expect(original.sk).toMatch(/^\d{12}$/);
    expect(original.pk).toMatch(new RegExp(`^AUDIT#${org.agencyId}#\\d+$`));
    const tampered = { ...original.record, outcome: original.record.outcome === 'allowed' ? 'denied' : 'allowed', reason: '篡改' };
    await db.send(new PutCommand({ TableName: table, Item: { ...original, record: tampered } }));
    try {
      const v = await verifyAudit();
      expect(v.ok).toBe(false);
      const chain = v.chains.find((c: { chainId: string }) => `AUDIT#${c.chainId}` === original.pk);
      expect(chain.ok).toBe(false);
      expect(chain.problems).toContainEqual({ seq: original.record.seq, problem: 'hashMismatch' });
      expect(v.chains.filter((c: { ok: boolean }) => !c.ok)).toHaveLength(1);
    } finally {
      await db.send(new PutCommand({ TableName: table, Item: original }));
    }
    expect((await verifyAudit()).ok).toBe(true);
  });
});

// ---- idempotency --------------------------------------------------------------------------------

describe('idempotent creates (Idempotency-Key)', () => {
  const drafts = async () => expect2xx(await callRoute('GET', `${file(org.officerId)}/drafts`, { claims: org.claims.officer }), 'drafts').json.items as { entryId: string; title: string }[];
  const create = (key: string, body: unknown, claims: Claims = org.claims.officer) => callRoute('POST', `${file(org.officerId)}/drafts`, { claims, body, headers: { 'idempotency-key': key } });
  let n = 0;
  const uniqueBody = (b: Record<string, unknown>) => ({ ...b, title: `幂等创建 ${Date.now()}-${++n}` });

  it('the same create twice with one key: one draft, the second answer replays the first', async () => {
    const key = idempotencyKey('idem');
    const body = uniqueBody(fc.sample(draftBody, { numRuns: 1, seed: 7 })[0]!);
    const first = expect2xx(await create(key, body), 'first');
    const second = expect2xx(await create(key, body), 'second');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json.entryId).toBe(first.json.entryId);
    expect((await drafts()).filter((d) => d.title === body.title)).toHaveLength(1);
  });

  it('property: N identical creates at once with one key make exactly one draft, and every answer names it', async () => {
    await fc.assert(
      fc.asyncProperty(draftBody, fc.integer({ min: 2, max: 12 }), async (b, parallel) => {
        const key = idempotencyKey('idem-burst');
        const body = uniqueBody(b);
        const answers = await Promise.all(Array.from({ length: parallel }, () => create(key, body)));
        for (const a of answers) expect(a.status, a.text).toBe(201);
        expect(new Set(answers.map((a) => a.json.entryId)).size).toBe(1);
        const mine = (await drafts()).filter((d) => d.title === body.title);
        expect(mine).toHaveLength(1);
        expect(mine[0]!.entryId).toBe(answers[0]!.json.entryId);
      }),
      { numRuns: 6, endOnFailure: true },
    );
  });

  it("ten at once (the brief's case): one draft, ten answers with its entryId", async () => {
    const key = idempotencyKey('idem-ten');
    const body = uniqueBody({ type: 'innovation', occurredOn: '2026-05-01', content: { description: '移动执法终端现场取证即时上传' } });
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(key, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.json.entryId)).size).toBe(1);
    expect((await drafts()).filter((d) => d.title === body.title)).toHaveLength(1);
  });

  it('the same key with a different body is a 409 problem and writes nothing', async () => {
    const key = idempotencyKey('idem-reuse');
    const body = uniqueBody({ type: 'training', occurredOn: '2026-06-01', content: { course: '证据规则', hours: 4, result: 'passed' } });
    const first = expect2xx(await create(key, body), 'first');
    const other = { ...body, title: `${body.title}（另一请求）` };
    const reused = await create(key, other);
    expectCleanProblem(reused, 409);
    expect(reused.json.code).toBe('idempotency.keyReused');
    const all = await drafts();
    expect(all.filter((d) => d.title === body.title).map((d) => d.entryId)).toEqual([first.json.entryId]);
    expect(all.filter((d) => d.title === other.title)).toHaveLength(0);
    // the key belongs to its user: another caller's create with the same key is a create of its own
    const byRecorder = expect2xx(await create(key, other, org.claims.recorder), 'same key, other user');
    expect(byRecorder.json.entryId).not.toBe(first.json.entryId);
  });

  it('one key, two different bodies fired at once: one draft; its twins get it, the others a 409', async () => {
    const key = idempotencyKey('idem-race');
    const a = uniqueBody({ type: 'training', occurredOn: '2026-07-01', content: { course: '执法文书', hours: 2, result: 'passed' } });
    const b = { ...a, title: `${a.title}（乙）` };
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => create(key, i % 2 ? b : a)));
    const won = answers.filter((r) => r.status === 201);
    const lost = answers.filter((r) => r.status !== 201);
    for (const r of lost) {
      expectCleanProblem(r, 409);
      expect(r.json.code).toBe('idempotency.keyReused');
    }
    expect(won.length).toBe(5);
    expect(new Set(won.map((r) => r.json.entryId)).size).toBe(1);
    const winnerTitle = won[0]!.json.title as string;
    expect(answers.filter((r, i) => r.status === 201 && (i % 2 ? b : a).title !== winnerTitle)).toHaveLength(0);
    const all = await drafts();
    expect(all.filter((d) => d.title === a.title || d.title === b.title)).toHaveLength(1);
  });
});
