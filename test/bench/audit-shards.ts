/**
 * Audit-shard benchmark (issue 9; docs/scale.md): `npx tsx test/bench/audit-shards.ts` (run by
 * `npm run bench`, test/bench/run.ts). Figures only, nothing asserted (docs/architecture.md §13).
 *
 * On one in-memory DynamoDB Local (the official emulator), in one run:
 *   1. the raw baseline: WRITERS concurrent loops of unconditional PutItem of an item shaped like an
 *      audit record (same keys, same two index entries, same size) — what this DynamoDB Local on this
 *      machine does with no condition, no transaction, no chain;
 *   2. for 1, 2, 4, 8 and 16 shards: WRITERS concurrent writers appending audit records to ONE agency
 *      through the product's writer (shared/adapters/dynamodb/commit.ts: chain head read or cached,
 *      hash, one TransactWriteItems with the conditional head update). Each writer is its own writer
 *      state (createAuditWriter): its own cached heads, shard count and home shard, one append at a
 *      time — as WRITERS Lambda containers would be. Appends/s, ratio to 1 shard, head conflicts
 *      (retries) per append, refusals (503 after the writer's attempts), latency per append;
 *      afterwards every chain of the agency is verified and its records counted;
 *   3. a single writer on its own (1 shard, no contention) for the round trip of one append and one
 *      PutItem, the `t` of the model;
 *   4. the pure check of a chain (verifyAuditChain: canonical JSON + SHA-256 per record) on
 *      HASHED_RECORDS records made from the sample record, in memory: the CPU side of verification.
 * Each phase runs PHASE_MS. Item sizes are computed with DynamoDB's item-size rules for the model.
 * Writes .data/bench-results-audit-shards.json. BENCH_AUDIT_WRITERS (16), BENCH_AUDIT_PHASE_MS (3000).
 *
 * DynamoDB Local is not DynamoDB: no partitions, no per-partition limits, no capacity accounting,
 * and its speed is this machine's (docs/scale.md §2 says what these figures can and cannot tell).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, LOCAL_CREDENTIALS, startDynamoLocal } from '../../infra/local/dynamodb.ts';
import { documentClient } from '../../shared/adapters/dynamodb/client.ts';
import { createAuditWriter, type AuditContext, type AuditWriter } from '../../shared/adapters/dynamodb/commit.ts';
import { verifyAgencyAudit } from '../../shared/audit/query.ts';
import { hashAudit, verifyAuditChain, type AuditDraft, type AuditRecord } from '../../shared/audit/record.ts';
import { shardSettingItem } from '../../shared/audit/shard-setting.ts';
import { resetConfig } from '../../shared/config.ts';
import { newId } from '../../shared/kernel/ids.ts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS_FILE = join(REPO_ROOT, '.data', 'bench-results-audit-shards.json');
const WRITERS = Number(process.env.BENCH_AUDIT_WRITERS ?? 16);
const PHASE_MS = Number(process.env.BENCH_AUDIT_PHASE_MS ?? 3000);
const WARMUP_MS = 1500;
const SHARD_COUNTS = [1, 2, 4, 8, 16];
const HASHED_RECORDS = 20_000;
const TABLE = 'bench-audit-shards';

const log = (s: string) => process.stderr.write(`[bench:audit-shards] ${s}\n`);
const out = (s: string) => process.stdout.write(`${s}\n`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : NaN);

// ---- DynamoDB's item size (docs: "Item sizes and formats"): names + values, numbers ≈ digits/2 + 1 ----
const sizeOfValue = (v: unknown): number => {
  if (v === null || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (typeof v === 'number')
    return (
      Math.ceil(
        String(Math.abs(v))
          .replace(/[.\-e+]/g, '')
          .replace(/^0+/, '').length / 2,
      ) + 1
    );
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + sizeOfValue(x), 0);
  if (typeof v === 'object') {
    return 3 + Object.entries(v as Record<string, unknown>).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k, 'utf8') + sizeOfValue(x), 0);
  }
  return 0;
};
const itemSize = (item: Record<string, unknown>) => Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + sizeOfValue(v), 0);

// ---- the load -----------------------------------------------------------------------------------
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const ctxOf = (i: number, agencyId: string): AuditContext => ({
  principal: { userId: `bench-officer-${String(i).padStart(4, '0')}`, agencyId, roles: ['deptHead', 'officer'] },
  source: { ip: '10.12.34.56', userAgent: BROWSER, requestId: newId() },
});
/** a department head reading an officer's file: the commonest audited read of the morning */
const draftOf = (agencyId: string, officerId: string): AuditDraft => ({
  action: 'file.read',
  objectType: 'file',
  objectId: officerId,
  objectAgencyId: agencyId,
  outcome: 'allowed',
  basis: 'deptHead',
});

interface Phase {
  name: string;
  shards?: number;
  writers: number;
  ms: number;
  ok: number;
  refused: number;
  retries: number;
  latencies: number[];
}

/** `writers` loops doing `op` until the deadline; one operation at a time per loop */
const load = async (name: string, writers: number, ms: number, op: (w: number) => Promise<void>, extra: Partial<Phase> = {}): Promise<Phase> => {
  const phase: Phase = { name, writers, ms, ok: 0, refused: 0, retries: 0, latencies: [], ...extra };
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await op(w);
          phase.ok++;
          phase.latencies.push(performance.now() - t0);
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code !== 'audit.contention' && code !== 'audit.unavailable') throw e;
          phase.refused++;
        }
      }
    }),
  );
  phase.ms = performance.now() - started;
  return phase;
};

const rate = (p: Phase) => (p.ok / p.ms) * 1000;

/** a valid chain of n records shaped like `sample`, and the time verifyAuditChain takes over it */
const hashingRate = (sample: AuditRecord, n: number) => {
  const chain: AuditRecord[] = [];
  let prevHash = '0'.repeat(64);
  for (let seq = 1; seq <= n; seq++) {
    const { hash: _h, ...body } = { ...sample, id: newId(), seq, prevHash };
    const hash = hashAudit(body);
    chain.push({ ...body, hash });
    prevHash = hash;
  }
  const t0 = performance.now();
  const v = verifyAuditChain(chain);
  const ms = performance.now() - t0;
  if (!v.ok) throw new Error('synthetic chain does not verify');
  return (n / ms) * 1000;
};
/** records read back and verified after the phases (shared/audit/query.ts verifyAgencyAudit) */
const verified = { records: 0, ms: 0 };

const putBaseline = async (name: string, writers: number, ms: number, template: Record<string, unknown>) => {
  let n = 0;
  return load(name, writers, ms, async (w) => {
    const k = `BENCH#${w}#${++n}`;
    await documentClient().send(new PutCommand({ TableName: TABLE, Item: { ...template, pk: k, gsi2pk: `${template.gsi2pk as string}#${w}` } }));
  });
};

const appendPhase = async (name: string, shards: number, writers: number, ms: number) => {
  const agencyId = newId();
  // the agency's count, as a raise would leave it (shared/audit/shard-admin.ts)
  await documentClient().send(new PutCommand({ TableName: TABLE, Item: shardSettingItem({ agencyId, shards, version: 1, history: [] }) }));
  const fleet: AuditWriter[] = Array.from({ length: writers }, () => createAuditWriter());
  const officers = Array.from({ length: writers }, () => newId());
  const phase = await load(
    name,
    writers,
    ms,
    async (w) => {
      await fleet[w]!.audit(ctxOf(w, agencyId), [draftOf(agencyId, officers[w]!)]);
    },
    { shards },
  );
  phase.retries = fleet.reduce((n, f) => n + f.stats.retries, 0);
  const t0 = performance.now();
  const v = await verifyAgencyAudit(agencyId);
  const verifyMs = performance.now() - t0;
  const records = v.chains.reduce((n, c) => n + c.count, 0);
  const used = v.chains.filter((c) => c.count > 0).length;
  log(`${name}: ${phase.ok} appends, verified ${v.ok ? 'intact' : 'BROKEN'}: ${records} records in ${used}/${v.shards} chains (${Math.round(verifyMs)} ms)`);
  if (!v.ok || records !== phase.ok) throw new Error(`${name}: verification ${v.ok ? 'ok' : 'failed'}, ${records} records for ${phase.ok} appends`);
  verified.records += records;
  verified.ms += verifyMs;
  return { phase, agencyId, used };
};

const main = async () => {
  const t0 = performance.now();
  const dynamo = await startDynamoLocal({ fastStart: false });
  try {
    Object.assign(process.env, {
      TABLE_NAME: TABLE,
      BUCKET_NAME: 'unused',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_REGION: 'cn-north-1',
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    resetConfig();
    await ensureTable(dynamo.client, TABLE);
    log(`DynamoDB Local ready in ${Math.round(performance.now() - t0)} ms; ${WRITERS} writers, ${PHASE_MS} ms per phase`);

    // one real record, for the sizes and the baseline's template
    const sample = createAuditWriter();
    const sampleAgency = newId();
    const [rec] = await sample.audit(ctxOf(1, sampleAgency), [draftOf(sampleAgency, newId())]);
    const recordItem = {
      pk: `AUDIT#${rec!.chainId}`,
      sk: '000000000001',
      gsi1pk: `AUDITDAY#${sampleAgency}#${rec!.at.slice(0, 10)}`,
      gsi1sk: `${rec!.at}#${rec!.id}`,
      gsi2pk: `AUDITOBJ#file#${rec!.objectId}`,
      gsi2sk: `${rec!.at}#${rec!.id}`,
      kind: 'audit',
      record: rec,
    };
    const headItem = { pk: `AUDIT#${rec!.chainId}`, sk: 'HEAD', seq: 123456, hash: rec!.hash, kind: 'auditHead' };
    const sizes = { auditRecordItem: itemSize(recordItem), chainHeadItem: itemSize(headItem) };
    log(`item sizes: audit record ${sizes.auditRecordItem} B, chain head ${sizes.chainHeadItem} B`);

    // warm the JIT of both sides
    await putBaseline('warm-up', WRITERS, WARMUP_MS / 2, recordItem);
    await appendPhase('warm-up', 4, WRITERS, WARMUP_MS / 2);

    const solo = {
      put: await putBaseline('solo PutItem', 1, Math.min(PHASE_MS, 1500), recordItem),
      append: (await appendPhase('solo append', 1, 1, Math.min(PHASE_MS, 1500))).phase,
    };
    const baseline = await putBaseline('PutItem (unconditional)', WRITERS, PHASE_MS, recordItem);
    const shardPhases: { phase: Phase; used: number }[] = [];
    for (const s of SHARD_COUNTS) shardPhases.push(await appendPhase(`append, ${s} shard${s > 1 ? 's' : ''}`, s, WRITERS, PHASE_MS));

    const hashPerSecond = hashingRate(rec!, HASHED_RECORDS);
    const one = rate(shardPhases[0]!.phase);
    const rows = shardPhases.map(({ phase: p, used }) => ({
      shards: p.shards!,
      appendsPerSecond: round(rate(p)),
      ratioToOneShard: round(rate(p) / one, 2),
      ratioToPutItem: round(rate(p) / rate(baseline), 2),
      retriesPerAppend: round(p.retries / Math.max(1, p.ok), 2),
      refused: p.refused,
      chainsUsed: used,
      p50ms: round(pct(p.latencies, 0.5)),
      p99ms: round(pct(p.latencies, 0.99)),
    }));
    out(`\nAudit appends vs shard count — ${WRITERS} concurrent writers (one writer state each, as Lambda containers), ` + `${PHASE_MS / 1000} s per row, DynamoDB Local in memory`);
    out('| shards | appends/s | × 1 shard | × PutItem | head retries / append | refused (503) | chains used | p50 ms | p99 ms |');
    out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      const cells = [r.shards, r.appendsPerSecond, r.ratioToOneShard, r.ratioToPutItem, r.retriesPerAppend, r.refused, r.chainsUsed, r.p50ms, r.p99ms];
      out(`| ${cells.join(' | ')} |`);
    }
    const b50 = round(pct(baseline.latencies, 0.5));
    const b99 = round(pct(baseline.latencies, 0.99));
    out(`| raw baseline: unconditional PutItem, same item, ${WRITERS} writers | ${round(rate(baseline))}/s | | 1 | | | | ${b50} | ${b99} |`);
    const soloAppend = `${round(pct(solo.append.latencies, 0.5), 2)} ms (${round(rate(solo.append))}/s)`;
    out(`\nOne writer alone: append p50 ${soloAppend}, PutItem p50 ${round(pct(solo.put.latencies, 0.5), 2)} ms (${round(rate(solo.put))}/s)`);
    out(
      `Verification read back and checked ${verified.records} records at ${round((verified.records / verified.ms) * 1000, 0)} records/s; ` +
        `the pure check alone (canonical JSON + SHA-256, ${HASHED_RECORDS} records in memory): ${round(hashPerSecond, 0)} records/s`,
    );
    const units = Math.ceil(sizes.auditRecordItem / 1024);
    out(`Item sizes (DynamoDB rules): audit record ${sizes.auditRecordItem} B → ${units} KB unit(s); chain head ${sizes.chainHeadItem} B`);
    const totalMs = performance.now() - t0;
    out(`Total ${round(totalMs / 1000)} s (DynamoDB Local start included)`);

    const results = {
      at: new Date().toISOString(),
      writers: WRITERS,
      phaseMs: PHASE_MS,
      sizes,
      rows,
      baseline: { putItemPerSecond: round(rate(baseline)), p50ms: round(pct(baseline.latencies, 0.5)), p99ms: round(pct(baseline.latencies, 0.99)) },
      solo: { appendP50ms: round(pct(solo.append.latencies, 0.5), 2), putItemP50ms: round(pct(solo.put.latencies, 0.5), 2) },
      verificationRecordsPerSecond: round((verified.records / verified.ms) * 1000, 0),
      pureCheckRecordsPerSecond: round(hashPerSecond, 0),
      totalSeconds: round(totalMs / 1000),
    };
    mkdirSync(dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    out(`figures written to ${RESULTS_FILE.slice(REPO_ROOT.length + 1)}`);
  } finally {
    await dynamo.stop();
  }
};

await main();
