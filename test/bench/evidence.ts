/**
 * Evidence upload and ingest benchmark (issue 4): `npx tsx test/bench/evidence.ts` (run by
 * `npm run bench`, test/bench/run.ts). Figures only, nothing asserted (docs/architecture.md §13).
 *
 * On an in-memory embedded platform (DynamoDB Local in memory, s3rver in a temporary folder) with a
 * small organisation built as test/bench/processes.ts does (root agency provisioned in-process; a
 * district bureau, a unit and an officer with a certificate through the API, in-process via
 * `router.dispatch`), the officer declares the recordings. The platform's S3 ObjectCreated hook is
 * replaced by one that only records the events, so that the ingest is timed on its own.
 *
 *   1. Upload throughput, presigned vs raw, same s3rver, same bucket, same bytes, in the same run.
 *      The product sends a file of up to 16 MiB as ONE presigned PUT and anything larger in 16 MiB
 *      parts (shared/evidence/model.ts partPlan), so the sizes are 16 MiB (single PUT), 64 MiB
 *      (4 parts) and 256 MiB (16 parts):
 *        presigned — POST /evidence → the presigned PUT (with its signed content-type and
 *                    x-amz-checksum-sha256 headers) or the presigned UploadPart URLs, PART_CONCURRENCY
 *                    (4) parts in flight as a browser would → POST /evidence/{id}/complete; the PUTs
 *                    with fetch (undici, the browser's API) and, to tell the client library's cost
 *                    from the presigned path's, with node:http (the transport the S3 SDK uses);
 *        raw       — the S3 SDK: CreateMultipartUpload / UploadPart (same part size and concurrency) /
 *                    CompleteMultipartUpload for multipart sizes, and one PutObjectCommand for every size.
 *      Timed: the byte transfer alone (the PUTs) and the whole (API calls, or Create/Complete,
 *      included), with this process's CPU time. BENCH_UPLOAD_N repetitions per size (default 3),
 *      interleaved with a rotating order, after one warm-up round of every path. Goal (issue 4):
 *      presigned ≥ 0.9× raw (the raw path of the same shape).
 *   2. Ingest: `ingestArrival` (shared/evidence/service.ts) on each presigned (fetch) upload — HEAD,
 *      one GET streamed once through SHA-256 + SM3, the DynamoDB commit, tags — in MB/s; the process
 *      RSS before / peak (sampled every 5 ms) / after each ingest, and the peak growth of Buffer
 *      memory (Lambda memory must stay flat in file size); against `openssl dgst -sha256` +
 *      `openssl dgst -sm3` (two child processes, two passes, summed; their CPU time from
 *      /proc/self/stat) on the same bytes in a temporary file, interleaved. Goal (issue 4): ingest
 *      ≥ 0.8× openssl. References: the same GET without hashing, and digestFile on the temp file
 *      (hashing without S3), to show where the ingest's time goes.
 *
 * Caveats: s3rver runs in this process (the embedded platform), so client and server share one event
 * loop, one heap (GC) and the CPU figure, and the RSS includes s3rver's side of the GET; both paths
 * of every comparison pay it alike. On a busy machine the wall-clock figures swing: the load average
 * is printed, and the CPU column is steadier. Throughput is in MB/s = 10⁶ bytes per second. Writes
 * .data/bench-results-evidence.json; temporary files (the S3 folder, the openssl inputs) are deleted.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, type S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { type Platform, startPlatform } from '../../infra/local/platform.ts';
import { localS3Client } from '../../infra/local/s3.ts';
import { readObject } from '../../shared/adapters/s3/evidence.ts';
import { MIN_PART_BYTES, partPlan } from '../../shared/evidence/model.ts';
import { ingestArrival } from '../../shared/evidence/service.ts';
import { digestFile } from '../../shared/preservation/digest.ts';
import { logger } from '../../shared/http/logger.ts';
import { newId } from '../../shared/kernel/ids.ts';
import { type Caller, benchOrganisation, ok } from './support.ts';

const UA = 'test/bench/evidence.ts';
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS_FILE = join(REPO_ROOT, '.data', 'bench-results-evidence.json');
const MiB = 1024 * 1024;
const N = Number(process.env.BENCH_UPLOAD_N ?? 3);
const PART_CONCURRENCY = 4;
const UPLOAD_GOAL = 0.9;
const INGEST_GOAL = 0.8;
/** 16 MiB is the largest file the product sends as ONE presigned PUT (partPlan: size ≤ MIN_PART_BYTES) */
const SIZES = [
  { label: '16 MiB', bytes: 16 * MiB },
  { label: '64 MiB', bytes: 64 * MiB },
  { label: '256 MiB', bytes: 256 * MiB },
] as const;
const WARMUP_BYTES = 8 * MiB;
const MEDIA_TYPE = 'video/mp4';

if (!Number.isInteger(N) || N < 1) throw new Error(`BENCH_UPLOAD_N must be a positive integer, got ${process.env.BENCH_UPLOAD_N}`);
if (!process.env.LOG_LEVEL) logger.setLogLevel('WARN');

// a full GC before each RSS reading, where V8 lets us have one
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;
const collect = () => {
  gc?.();
  gc?.();
};

const log = (s: string) => process.stderr.write(`[bench:evidence] ${s}\n`);
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const mib = (bytes: number) => round(bytes / MiB, 1);
const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

// ---- calling the API (in-process, as processes.ts) ------------------------------------------------

/** run `tasks` with at most `limit` in flight (a browser's parallel part uploads) */
const pool = async <T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> => {
  const out = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
};

// CPU time, to read the figures on a busy machine: this process (every thread: client, s3rver, the
// API, GC), and the children it has waited for (openssl), from /proc/self/stat (Linux; else undefined)
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const childCpuMs = (): number | undefined => {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK; // cutime + cstime (fields 16, 17)
  } catch {
    return undefined;
  }
};

/** a child process, its wall time and (sequential runs only) its CPU time */
const run = (cmd: string, args: string[]) =>
  new Promise<{ ok: boolean; stdout: string; stderr: string; ms: number; cpuMs: number | undefined }>((resolve) => {
    const c0 = childCpuMs();
    const t0 = performance.now();
    execFile(cmd, args, { maxBuffer: MiB }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      const c1 = childCpuMs();
      resolve({ ok: !err, stdout, stderr: stderr || String(err ?? ''), ms, cpuMs: c0 === undefined || c1 === undefined ? undefined : c1 - c0 });
    });
  });

/** PUT with node:http — the transport the S3 SDK uses — to tell the client library's cost from the presigned path's */
const httpAgent = new Agent({ keepAlive: true, maxSockets: 16 });
const httpPut = (url: string, headers: Record<string, string>, body: Uint8Array) =>
  new Promise<{ status: number; etag: string | undefined; text: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: 'PUT', agent: httpAgent, headers: { ...headers, 'content-length': String(body.byteLength) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
type Transport = 'fetch' | 'http';
const put = async (transport: Transport, url: string, headers: Record<string, string>, body: Uint8Array) => {
  if (transport === 'http') return httpPut(url, headers, body);
  const res = await fetch(url, { method: 'PUT', headers, body });
  return { status: res.status, etag: res.headers.get('etag') ?? undefined, text: await res.text() };
};
const opensslDigest = (stdout: string) => stdout.trim().split('= ').pop()?.trim();

// ---- the two upload paths -----------------------------------------------------------------------

interface UploadTiming {
  /** the PUTs alone */
  transferMs: number;
  /** declare + PUTs + complete (presigned) or create + PUTs + complete (raw multipart) */
  wholeMs: number;
  /** the API calls (presigned) or Create/Complete (raw) */
  apiMs: number;
  /** CPU time of this process over the whole (client, s3rver and the API all run here) */
  cpuMs: number;
}

interface Presigned extends UploadTiming {
  evidenceId: string;
  key: string;
}

const presignedUpload = async (officer: Caller, officerId: string, bytes: Buffer, sha: string, transport: Transport = 'fetch'): Promise<Presigned> => {
  const c0 = cpuMs();
  const t0 = performance.now();
  const declared = ok(
    await officer('POST', '/evidence', {
      idem: true,
      body: {
        kind: 'patrol',
        title: '基准测试执法记录',
        fileName: `DSJ_${bytes.length}.mp4`,
        mediaType: MEDIA_TYPE,
        size: bytes.length,
        sha256: sha,
        capture: { officerId, deviceId: 'DSJ-BENCH', startedAt: minutesAgo(30), endedAt: minutesAgo(5), place: '基准市某路口' },
      },
    }),
    'POST /evidence',
  ).json as { evidence: { evidenceId: string; key: string }; upload: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const t1 = performance.now();
  const { evidenceId, key } = declared.evidence;
  const u = declared.upload;
  let completeMs = 0;
  if (u.mode === 'single') {
    const r = await put(transport, u.url, u.headers, bytes);
    if (r.status !== 200) throw new Error(`presigned PUT → ${r.status}: ${r.text.slice(0, 300)}`);
  } else {
    const urls = u.parts as { partNumber: number; url: string }[];
    if (urls.length !== u.partCount) throw new Error(`declaration returned ${urls.length} of ${u.partCount} part URLs`);
    const parts = await pool(urls.length, PART_CONCURRENCY, async (i) => {
      const p = urls[i]!;
      const r = await put(transport, p.url, {}, bytes.subarray((p.partNumber - 1) * u.partSize, p.partNumber * u.partSize));
      if (r.status !== 200 || !r.etag) throw new Error(`presigned UploadPart ${p.partNumber} → ${r.status}: ${r.text.slice(0, 300)}`);
      return { partNumber: p.partNumber, etag: r.etag };
    });
    const tc = performance.now();
    ok(await officer('POST', `/evidence/${evidenceId}/complete`, { body: { parts } }), 'POST /evidence/{id}/complete');
    completeMs = performance.now() - tc;
  }
  const t2 = performance.now();
  return { evidenceId, key, transferMs: t2 - t1 - completeMs, wholeMs: t2 - t0, apiMs: t1 - t0 + completeMs, cpuMs: cpuMs() - c0 };
};

type RawMode = 'put' | 'parts';
/** raw SDK upload: one PutObject, or a multipart upload with the product's part plan and PART_CONCURRENCY */
const rawUpload = async (s3: S3Client, bucket: string, bytes: Buffer, mode: RawMode): Promise<UploadTiming & { key: string }> => {
  const key = `bench-raw/${newId()}/original`;
  const plan = partPlan(bytes.length);
  const c0 = cpuMs();
  const t0 = performance.now();
  if (mode === 'put') {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: MEDIA_TYPE, ContentLength: bytes.length }));
    const ms = performance.now() - t0;
    return { key, transferMs: ms, wholeMs: ms, apiMs: 0, cpuMs: cpuMs() - c0 };
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: MEDIA_TYPE }));
  const t1 = performance.now();
  const parts = await pool(plan.parts, PART_CONCURRENCY, async (i) => {
    const body = bytes.subarray(i * plan.partSize, (i + 1) * plan.partSize);
    const r = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: body, ContentLength: body.length }));
    return { PartNumber: i + 1, ETag: r.ETag! };
  });
  const t2 = performance.now();
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  const t3 = performance.now();
  return { key, transferMs: t2 - t1, wholeMs: t3 - t0, apiMs: t1 - t0 + (t3 - t2), cpuMs: cpuMs() - c0 };
};

// ---- the run -------------------------------------------------------------------------------------

const main = async () => {
  const started = Date.now();
  const loadAvgStart = loadavg().map((v) => round(v, 2));
  const work = mkdtempSync(join(tmpdir(), 'bench-evidence-'));
  const dataDir = join(work, 'platform');

  // the hook S3 calls on ObjectCreated: it only records what arrived (ingest is timed separately)
  const arrived = new Map<string, { event: S3Event; at: number }>();
  const onObjectCreated = async (event: S3Event) => {
    for (const r of event.Records) arrived.set(decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')), { event, at: performance.now() });
  };

  const platform = await startPlatform({ dataDir, inMemory: true, reconcileEveryMs: 0, onObjectCreated });
  const raw = localS3Client(platform.s3Endpoint, platform.region);
  try {
    log(`platform up in ${Date.now() - started} ms; building the organisation`);

    // ---- the organisation (test/bench/support.ts) ------------------------------------------
    const { as, agencyId, unitId, officerIds } = await benchOrganisation(platform, UA, [{ name: '张三', staffNumber: 'BM0101', certificate: '基司执证〔2026〕0101' }]);
    const officerId = officerIds[0]!;
    const officer = as({ userId: 'bench-officer-zhangsan', name: '张三', agencyId, unitId, officerId, roles: ['officer'] });

    // ---- the bytes: random, written once to temporary files for openssl ------------------------
    const inputs = SIZES.map((s, i) => {
      const bytes = randomBytes(s.bytes);
      const t0 = performance.now();
      const sha = sha256Hex(bytes);
      const clientSha256Ms = performance.now() - t0;
      const path = join(work, `input-${i}.bin`);
      writeFileSync(path, bytes);
      return { label: s.label, size: s.bytes, data: bytes as Buffer | undefined, sha, clientSha256Ms, path, plan: partPlan(s.bytes) };
    });
    // warm-up objects: 8 MiB (single PUT) and a 3-part multipart (a prefix of the 256 MiB input)
    let warmInputs = [randomBytes(WARMUP_BYTES), Buffer.from(inputs.at(-1)!.data!.subarray(0, 2 * MIN_PART_BYTES + 1))].map((bytes) => ({ bytes, sha: sha256Hex(bytes) }));
    log(
      `inputs ready (${inputs.map((x) => `${x.label} ${x.plan.mode === 'single' ? 'single PUT' : `${x.plan.parts} parts`}`).join(', ')}); part size ${MIN_PART_BYTES / MiB} MiB, ${PART_CONCURRENCY} parts in flight`,
    );

    // ---- 1. uploads --------------------------------------------------------------------------
    // warm-up: one round of each path per mode (JIT, sockets, s3rver's code paths)
    const warmups: Presigned[] = [];
    for (const w of warmInputs) {
      warmups.push(await presignedUpload(officer, officerId, w.bytes, w.sha));
      await presignedUpload(officer, officerId, w.bytes, w.sha, 'http');
      await rawUpload(raw, platform.bucketName, w.bytes, partPlan(w.bytes.length).mode === 'single' ? 'put' : 'parts');
    }

    type Contender = 'presigned' | 'presignedHttp' | RawMode;
    const samples = inputs.map(() => ({ presigned: [] as Presigned[], presignedHttp: [] as Presigned[], parts: [] as UploadTiming[], put: [] as UploadTiming[] }));
    const uploadStarted = performance.now();
    for (let rep = 0; rep < N; rep++) {
      for (const [i, input] of inputs.entries()) {
        // raw: the same part plan as the product (like for like) and, for multipart sizes, one PutObject as well
        const all: Contender[] = input.plan.mode === 'single' ? ['presigned', 'presignedHttp', 'put'] : ['presigned', 'presignedHttp', 'parts', 'put'];
        const k = (rep + i) % all.length;
        for (const c of [...all.slice(k), ...all.slice(0, k)]) {
          if (c === 'presigned') samples[i]!.presigned.push(await presignedUpload(officer, officerId, input.data!, input.sha));
          else if (c === 'presignedHttp') samples[i]!.presignedHttp.push(await presignedUpload(officer, officerId, input.data!, input.sha, 'http'));
          else samples[i]![c].push(await rawUpload(raw, platform.bucketName, input.data!, c));
        }
      }
      log(`upload round ${rep + 1}/${N} done`);
    }
    const uploadSeconds = (performance.now() - uploadStarted) / 1000;
    await platform.drainEvents();
    const missing = [...warmups, ...samples.flatMap((s) => [...s.presigned, ...s.presignedHttp])].filter((p) => !arrived.has(p.key));
    if (missing.length) throw new Error(`no ObjectCreated event for ${missing.length} presigned upload(s)`);

    // the upload buffers go: the ingest's RSS should not carry them
    const warmMeta = warmInputs.map((w) => ({ size: w.bytes.length, sha: w.sha }));
    warmInputs = [];
    for (const input of inputs) input.data = undefined;

    // ---- 2. ingest -----------------------------------------------------------------------------
    interface Mem {
      rss: number;
      arrayBuffers: number;
    }
    const ingestOne = async (p: Presigned, size: number, sha: string) => {
      collect();
      const m0 = process.memoryUsage();
      const before: Mem = { rss: m0.rss, arrayBuffers: m0.arrayBuffers };
      const peak: Mem = { ...before };
      const sample = () => {
        const m = process.memoryUsage();
        peak.rss = Math.max(peak.rss, m.rss);
        peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
      };
      const timer = setInterval(sample, 5);
      const c0 = cpuMs();
      const t0 = performance.now();
      const r = await ingestArrival(p.evidenceId, { key: p.key });
      const ms = performance.now() - t0;
      const cpu = cpuMs() - c0;
      clearInterval(timer);
      sample();
      const after = process.memoryUsage().rss;
      collect();
      const afterGc = process.memoryUsage().rss;
      if (r.outcome !== 'verified' || r.sha256 !== sha) throw new Error(`ingest of ${p.evidenceId} (${size} B): ${JSON.stringify(r)}`);
      return { ms, cpu, sm3: r.sm3, rss: { before: before.rss, peak: peak.rss, after, afterGc, arrayBuffersPeakGrowth: peak.arrayBuffers - before.arrayBuffers } };
    };
    const getOnly = async (key: string) => {
      const c0 = cpuMs();
      const t0 = performance.now();
      let n = 0;
      for await (const chunk of (await readObject(key)) as Readable) n += (chunk as Buffer).length;
      return { ms: performance.now() - t0, cpu: cpuMs() - c0, bytes: n };
    };
    // warm-up: the two warm-up objects (DynamoDB, rule and calendar caches, JIT)
    for (const [i, w] of warmMeta.entries()) await ingestOne(warmups[i]!, w.size, w.sha);
    collect();
    const memoryBeforeIngest = process.memoryUsage();

    const ossl = await run('openssl', ['version']);
    let sm3Cli: { ok: boolean; note?: string } = { ok: true };
    type Rss = Awaited<ReturnType<typeof ingestOne>>['rss'];
    const series = () => ({ ms: [] as number[], cpu: [] as number[] });
    const push = (t: ReturnType<typeof series>, ms: number, cpu: number | undefined) => {
      t.ms.push(ms);
      if (cpu !== undefined) t.cpu.push(cpu);
    };
    const ing = inputs.map(() => ({ ingest: series(), sha256Cli: series(), sm3Cli: series(), getOnly: series(), digestFile: series(), rss: [] as Rss[], sm3: '', cliSha: '', cliSm3: '' }));
    for (let rep = 0; rep < N; rep++) {
      for (const [i, f] of inputs.entries()) {
        const x = ing[i]!;
        const cli = async () => {
          const sh = await run('openssl', ['dgst', '-sha256', f.path]);
          if (sh.ok) {
            push(x.sha256Cli, sh.ms, sh.cpuMs);
            x.cliSha = opensslDigest(sh.stdout) ?? '';
          }
          if (sm3Cli.ok) {
            const sm = await run('openssl', ['dgst', '-sm3', f.path]);
            if (sm.ok) {
              push(x.sm3Cli, sm.ms, sm.cpuMs);
              x.cliSm3 = opensslDigest(sm.stdout) ?? '';
            } else sm3Cli = { ok: false, note: sm.stderr.trim().split('\n')[0] ?? '' };
          }
        };
        const ours = async () => {
          const r = await ingestOne(samples[i]!.presigned[rep]!, f.size, f.sha);
          push(x.ingest, r.ms, r.cpu);
          x.rss.push(r.rss);
          x.sm3 = r.sm3;
        };
        if (rep % 2 === 0) {
          await ours();
          await cli();
        } else {
          await cli();
          await ours();
        }
        // references: the GET alone (no hash), and the hashing alone (digestFile on the temp file, no S3)
        const g = await getOnly(samples[i]!.presigned[rep]!.key);
        push(x.getOnly, g.ms, g.cpu);
        const c0 = cpuMs();
        const t0 = performance.now();
        const d = await digestFile(f.path);
        push(x.digestFile, performance.now() - t0, cpuMs() - c0);
        if (d.sha256 !== f.sha) throw new Error(`digestFile of ${f.label}: wrong SHA-256`);
      }
      log(`ingest round ${rep + 1}/${N} done`);
    }

    // ---- report -----------------------------------------------------------------------------
    const stat = (xs: number[], bytes: number) => ({
      n: xs.length,
      medianMs: round(median(xs), 1),
      minMs: round(Math.min(...xs), 1),
      maxMs: round(Math.max(...xs), 1),
      mbps: round(mbps(bytes, median(xs)), 1),
      samplesMs: xs.map((v) => round(v, 1)),
    });
    const pathStat = (xs: UploadTiming[], bytes: number) => ({
      transfer: stat(
        xs.map((x) => x.transferMs),
        bytes,
      ),
      whole: stat(
        xs.map((x) => x.wholeMs),
        bytes,
      ),
      apiMs: round(median(xs.map((x) => x.apiMs)), 1),
      cpuMs: round(median(xs.map((x) => x.cpuMs)), 1),
    });
    type PathStat = ReturnType<typeof pathStat>;
    const ratio = (a: PathStat, b: PathStat) => ({ transfer: round(a.transfer.mbps / b.transfer.mbps, 2), whole: round(a.whole.mbps / b.whole.mbps, 2), cpu: round(b.cpuMs / a.cpuMs, 2) });
    const uploads = inputs.map((f, i) => {
      const s = samples[i]!;
      const pre = pathStat(s.presigned, f.size);
      const preHttp = pathStat(s.presignedHttp, f.size);
      const putObject = pathStat(s.put, f.size);
      const parts = s.parts.length ? pathStat(s.parts, f.size) : undefined;
      /** the raw path of the same shape: the product's part plan for a multipart size, PutObject for a single PUT */
      const like = parts ?? putObject;
      return {
        size: f.label,
        bytes: f.size,
        mode: f.plan.mode,
        partSize: f.plan.partSize,
        parts: f.plan.parts,
        concurrency: f.plan.mode === 'multipart' ? PART_CONCURRENCY : 1,
        presigned: { fetch: pre, nodeHttp: preHttp },
        raw: { ...(parts ? { multipartSamePlan: parts } : {}), putObject },
        /** presigned/raw in MB/s (cpu: raw CPU / presigned CPU), against the raw path of the same shape and against one PutObject */
        ratioPresignedToRaw: {
          fetch: { sameShape: ratio(pre, like), putObject: ratio(pre, putObject) },
          nodeHttp: { sameShape: ratio(preHttp, like), putObject: ratio(preHttp, putObject) },
        },
        clientSha256Ms: round(f.clientSha256Ms, 1),
        goal: UPLOAD_GOAL,
      };
    });
    const cpuStat = (xs: number[]) => (xs.length ? round(median(xs), 1) : undefined);
    const ingest = inputs.map((f, i) => {
      const x = ing[i]!;
      const ours = { ...stat(x.ingest.ms, f.size), cpuMs: cpuStat(x.ingest.cpu) };
      const sha = x.sha256Cli.ms.length ? { ...stat(x.sha256Cli.ms, f.size), cpuMs: cpuStat(x.sha256Cli.cpu) } : undefined;
      const sm3 = x.sm3Cli.ms.length ? { ...stat(x.sm3Cli.ms, f.size), cpuMs: cpuStat(x.sm3Cli.cpu) } : undefined;
      const bothMs = sha && sm3 ? median(x.sha256Cli.ms) + median(x.sm3Cli.ms) : undefined;
      const bothCpu = sha?.cpuMs !== undefined && sm3?.cpuMs !== undefined ? sha.cpuMs + sm3.cpuMs : undefined;
      const first = x.rss[0]!;
      return {
        size: f.label,
        bytes: f.size,
        ingest: ours,
        references: { s3GetNoHash: { ...stat(x.getOnly.ms, f.size), cpuMs: cpuStat(x.getOnly.cpu) }, digestFileNoS3: { ...stat(x.digestFile.ms, f.size), cpuMs: cpuStat(x.digestFile.cpu) } },
        openssl: {
          sha256: sha,
          sm3,
          bothMs: bothMs === undefined ? undefined : round(bothMs, 1),
          bothMbps: bothMs === undefined ? undefined : round(mbps(f.size, bothMs), 1),
          bothCpuMs: bothCpu === undefined ? undefined : round(bothCpu, 1),
        },
        /** openssl time (both, summed) / ingest time: ≥ 1 means the ingest is as fast as openssl */
        ratioIngestToOpenssl: bothMs === undefined ? undefined : round(bothMs / median(x.ingest.ms), 2),
        ratioIngestToOpensslCpu: bothCpu === undefined || ours.cpuMs === undefined ? undefined : round(bothCpu / ours.cpuMs, 2),
        ratioDigestFileToOpenssl: bothMs === undefined ? undefined : round(bothMs / median(x.digestFile.ms), 2),
        digestsMatchOpenssl: { sha256: x.cliSha === f.sha, sm3: x.cliSm3 === x.sm3 },
        rssMiB: {
          first: { before: mib(first.before), peak: mib(first.peak), after: mib(first.after), afterGc: mib(first.afterGc), peakGrowth: mib(first.peak - first.before) },
          maxPeakGrowth: mib(Math.max(...x.rss.map((r) => r.peak - r.before))),
          maxArrayBuffersPeakGrowth: mib(Math.max(...x.rss.map((r) => r.arrayBuffersPeakGrowth))),
          samples: x.rss.map((r) => ({ before: mib(r.before), peak: mib(r.peak), after: mib(r.after), afterGc: mib(r.afterGc), arrayBuffersPeakGrowth: mib(r.arrayBuffersPeakGrowth) })),
        },
        goal: INGEST_GOAL,
      };
    });
    const loadAvgEnd = loadavg().map((v) => round(v, 2));
    const results = {
      benchmark: 'evidence',
      generatedAt: new Date().toISOString(),
      environment: {
        node: process.version,
        openssl: process.versions.openssl,
        opensslCli: ossl.ok ? ossl.stdout.trim() : 'not found',
        platform: `${process.platform}/${process.arch}`,
        cpus: cpus().length,
        loadAvgStart,
        loadAvgEnd,
        s3: 's3rver (in this process, files in a temporary folder)',
        dynamodb: 'DynamoDB Local, in memory',
        gcBeforeRss: Boolean(gc),
      },
      config: {
        repetitions: N,
        partBytes: MIN_PART_BYTES,
        partConcurrency: PART_CONCURRENCY,
        singlePutUpTo: MIN_PART_BYTES,
        warmup: '8 MiB single + 3-part multipart, every path',
        interleaved: true,
        mbps: '10^6 bytes per second',
        apiCalls: 'in-process router.dispatch',
        presignedClients: ['fetch (undici, as a browser would)', "node:http (the SDK's transport)"],
        rawClient: '@aws-sdk/client-s3',
        cpuMs: 'process.cpuUsage of this process (client, s3rver, API); openssl: children CPU from /proc/self/stat',
      },
      uploads,
      uploadSeconds: round(uploadSeconds, 1),
      memoryBeforeIngestMiB: Object.fromEntries(Object.entries(memoryBeforeIngest).map(([k, v]) => [k, mib(v)])),
      ingest,
      sm3Cli: sm3Cli.ok ? 'available' : `not available (${sm3Cli.note})`,
      durationSeconds: Math.round((Date.now() - started) / 1000),
    };

    const f1 = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
    const row = (size: string, path: string, p: PathStat) =>
      `${size.padEnd(9)}${path.padEnd(44)}${f1(p.transfer.medianMs).padStart(9)}${f1(p.transfer.mbps).padStart(8)}${f1(p.whole.medianMs).padStart(9)}${f1(p.whole.mbps).padStart(8)}${f1(p.apiMs).padStart(8)}${f1(p.cpuMs).padStart(8)}`;
    const verdict = (r: number, goal: number) => `${r}× ${r >= goal ? 'meets' : 'BELOW'}`;
    const lines: string[] = [];
    lines.push('');
    lines.push(
      `证据上传与入库基准 / evidence upload and ingest — Node ${process.version}, ${cpus().length} CPU (load average ${loadAvgStart.join(' ')} at start, ${loadAvgEnd.join(' ')} at end), s3rver + DynamoDB Local in memory`,
    );
    lines.push(`${N} interleaved repetitions per size after a warm-up of every path; medians; ms; MB/s = 10⁶ B/s; CPU = this process's CPU ms (client, s3rver and API alike)`);
    lines.push('');
    lines.push(`1. upload: presigned URLs (POST /evidence → PUT(s) → /complete) vs the raw S3 SDK, same s3rver, same bucket, same bytes (goal presigned ≥ ${UPLOAD_GOAL}× raw)`);
    lines.push(`${'size'.padEnd(9)}${'path'.padEnd(44)}${'transfer'.padStart(9)}${'MB/s'.padStart(8)}${'whole'.padStart(9)}${'MB/s'.padStart(8)}${'API'.padStart(8)}${'CPU'.padStart(8)}`);
    for (const u of uploads) {
      const how = u.mode === 'single' ? 'single PUT' : `${u.parts} × ${u.partSize / MiB} MiB, ${u.concurrency} in flight`;
      lines.push(row(u.size, `presigned, fetch (${how})`, u.presigned.fetch));
      lines.push(row('', 'presigned, node:http (same)', u.presigned.nodeHttp));
      if (u.raw.multipartSamePlan) lines.push(row('', 'raw SDK Create/UploadPart/Complete (same)', u.raw.multipartSamePlan));
      lines.push(row('', 'raw SDK PutObject (one PUT)', u.raw.putObject));
      for (const t of ['fetch', 'nodeHttp'] as const) {
        const r = u.ratioPresignedToRaw[t];
        const same =
          u.mode === 'multipart'
            ? `vs raw multipart: transfer ${r.sameShape.transfer}×, whole ${verdict(r.sameShape.whole, UPLOAD_GOAL)};  vs PutObject: whole ${r.putObject.whole}×`
            : `vs PutObject: transfer ${r.putObject.transfer}×, whole ${verdict(r.putObject.whole, UPLOAD_GOAL)}`;
        lines.push(`${''.padEnd(9)}presigned (${t === 'fetch' ? 'fetch' : 'node:http'})/raw ${same}`);
      }
      lines.push(`${''.padEnd(9)}(the client's SHA-256 before declaring: ${u.clientSha256Ms} ms, in none of the figures)`);
    }
    lines.push(`  transfer = the PUTs alone; whole = with POST /evidence and /complete, or the raw CreateMultipartUpload and CompleteMultipartUpload;`);
    lines.push(
      `  s3rver assembles the parts on complete (re-reads and rewrites the object); the product sends up to ${MIN_PART_BYTES / MiB} MiB as one PUT, more in ${MIN_PART_BYTES / MiB} MiB parts`,
    );
    lines.push('');
    lines.push('2. ingest: ingestArrival (HEAD, one GET through SHA-256 + SM3, DynamoDB commit, tags) vs openssl dgst -sha256 + -sm3 on a temp file (two passes, sum)');
    lines.push(`${'size'.padEnd(9)}${'contender'.padEnd(44)}${'ms'.padStart(9)}${'MB/s'.padStart(8)}${'CPU'.padStart(9)}`);
    const line = (size: string, what: string, ms: number, bytes: number, cpu: number | undefined, tail = '') =>
      lines.push(`${size.padEnd(9)}${what.padEnd(44)}${f1(ms).padStart(9)}${f1(mbps(bytes, ms)).padStart(8)}${f1(cpu).padStart(9)}${tail}`);
    for (const g of ingest) {
      line(g.size, 'ingestArrival', g.ingest.medianMs, g.bytes, g.ingest.cpuMs);
      if (g.openssl.sha256) line('', 'openssl dgst -sha256', g.openssl.sha256.medianMs, g.bytes, g.openssl.sha256.cpuMs, `   digest ${g.digestsMatchOpenssl.sha256 ? 'identical' : 'DIFFERS'}`);
      if (g.openssl.sm3) line('', 'openssl dgst -sm3', g.openssl.sm3.medianMs, g.bytes, g.openssl.sm3.cpuMs, `   digest ${g.digestsMatchOpenssl.sm3 ? 'identical' : 'DIFFERS'}`);
      if (g.openssl.bothMs !== undefined) line('', 'openssl, both (sum)', g.openssl.bothMs, g.bytes, g.openssl.bothCpuMs);
      line('', '(reference) the S3 GET alone, no hashing', g.references.s3GetNoHash.medianMs, g.bytes, g.references.s3GetNoHash.cpuMs);
      line('', '(reference) digestFile on the temp file, no S3', g.references.digestFileNoS3.medianMs, g.bytes, g.references.digestFileNoS3.cpuMs);
      if (g.ratioIngestToOpenssl !== undefined) {
        lines.push(
          `${''.padEnd(9)}ingest/openssl ${verdict(g.ratioIngestToOpenssl, INGEST_GOAL)} the ${INGEST_GOAL}× goal (CPU ${g.ratioIngestToOpensslCpu ?? '–'}×);  hashing alone (digestFile)/openssl ${g.ratioDigestFileToOpenssl}×`,
        );
      }
      const r = g.rssMiB.first;
      lines.push(
        `${''.padEnd(9)}RSS MiB, first ingest: before ${r.before}, peak ${r.peak} (+${r.peakGrowth}), after ${r.after}, after GC ${r.afterGc};  over ${N} ingests: peak growth ≤ +${g.rssMiB.maxPeakGrowth}, Buffers ≤ +${g.rssMiB.maxArrayBuffersPeakGrowth}`,
      );
    }
    if (!sm3Cli.ok) lines.push(`openssl dgst -sm3 not available: ${sm3Cli.note}`);
    const mb = results.memoryBeforeIngestMiB;
    lines.push(
      `  RSS includes s3rver serving the GET in this process; ${gc ? 'a full GC runs before each reading' : 'no GC available before the readings'}; before the ingests: rss ${mb.rss}, heap ${mb.heapUsed}/${mb.heapTotal}, external ${mb.external}, Buffers ${mb.arrayBuffers} MiB`,
    );
    lines.push('');
    lines.push(`uploads took ${results.uploadSeconds} s; whole run ${results.durationSeconds} s`);
    process.stdout.write(`${lines.join('\n')}\n`);

    mkdirSync(dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`figures written to ${RESULTS_FILE.slice(REPO_ROOT.length + 1)}\n`);
  } finally {
    raw.destroy();
    httpAgent.destroy();
    await platform.stop();
    rmSync(work, { recursive: true, force: true });
    process.stdout.write('temporary files deleted\n');
  }
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`[bench:evidence] failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
