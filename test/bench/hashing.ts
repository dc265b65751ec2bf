/**
 * Fixity hashing benchmark (figures only, never asserted; docs/architecture.md §13): SHA-256 and SM3 of one
 * file in ONE streaming pass (shared/preservation/digest.ts, node:crypto = Node's bundled OpenSSL),
 * against the `openssl dgst` command line in the same run — `-sha256` and `-sm3` each as a child
 * process, and their sum, since the command line needs two passes for the two digests.
 *
 *   npx tsx test/bench/hashing.ts                  # 512 MiB of random bytes
 *   BENCH_HASH_MB=2048 npx tsx test/bench/hashing.ts
 *
 * The file is written first, so every contender reads it from the page cache (CPU-bound
 * comparison, not a disk test). Memory: RSS is sampled every 5 ms while hashing a 64 MiB file and
 * the large one; a streaming hasher's peak does not grow with the file. Temporary files are deleted.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { digestFile, sm3Available, type FixityDigest } from '../../shared/preservation/digest.ts';

const MiB = 1024 * 1024;
const RUNS = 3;

const out = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

const writeRandomFile = async (path: string, bytes: number) => {
  const ws = createWriteStream(path);
  for (let left = bytes; left > 0; left -= 8 * MiB) {
    if (!ws.write(randomBytes(Math.min(left, 8 * MiB)))) await new Promise<void>((r) => ws.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
};

const run = (cmd: string, args: string[]) =>
  new Promise<{ ok: boolean; stdout: string; stderr: string; ms: number }>((resolve) => {
    const t0 = performance.now();
    execFile(cmd, args, { maxBuffer: MiB }, (err, stdout, stderr) => resolve({ ok: !err, stdout, stderr: stderr || String(err ?? ''), ms: performance.now() - t0 }));
  });

/** Hash while sampling RSS; returns the digest, the time and the peak RSS seen. */
const ours = async (path: string) => {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const d = await digestFile(path);
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { d, ms, base, peak };
};

const opensslDigest = (stdout: string) => stdout.trim().split('= ').pop()?.trim();

export async function benchHashing(): Promise<void> {
  const sizeMiB = Number(process.env.BENCH_HASH_MB ?? 512);
  if (!Number.isFinite(sizeMiB) || sizeMiB <= 0) throw new Error(`BENCH_HASH_MB must be a positive number, got ${process.env.BENCH_HASH_MB}`);
  const big = Math.round(sizeMiB * MiB);
  const small = 64 * MiB;

  const osslVersion = await run('openssl', ['version']);
  out(
    `node ${process.version} (OpenSSL ${process.versions.openssl}, SM3 ${sm3Available() ? 'available' : 'NOT available'}); command line: ${osslVersion.ok ? osslVersion.stdout.trim() : 'openssl not found'}`,
  );
  if (!sm3Available()) {
    out('this Node has no SM3: digest.ts cannot run here');
    return;
  }

  const dir = await mkdtemp(join(tmpdir(), 'bench-hash-'));
  try {
    const bigPath = join(dir, 'big.bin');
    const smallPath = join(dir, 'small.bin');
    await writeRandomFile(smallPath, small);
    await writeRandomFile(bigPath, big);
    out(`files: ${mib(small)} MiB and ${mib(big)} MiB of random bytes in ${dir}; ${RUNS} runs each, median`);

    // Memory: same streaming code, file 8× (or more) larger — the peak should not follow.
    await digestFile(smallPath); // warm-up (JIT, page cache)
    const s = await ours(smallPath);
    const b = await ours(bigPath);
    out(
      `RSS before ${mib(s.base)} MiB · peak hashing ${mib(small)} MiB file: ${mib(s.peak)} MiB · peak hashing ${mib(big)} MiB file: ${mib(b.peak)} MiB · after: ${mib(process.memoryUsage().rss)} MiB`,
    );

    // Throughput, alternating contenders so none is favoured by the order.
    const t = { ours: [] as number[], sha256: [] as number[], sm3: [] as number[] };
    let digest: FixityDigest = b.d;
    let sm3Cli: { ok: boolean; note?: string; value?: string } = { ok: true };
    let shaCli: string | undefined;
    for (let r = 0; r < RUNS; r++) {
      const sh = await run('openssl', ['dgst', '-sha256', bigPath]);
      if (sh.ok) {
        t.sha256.push(sh.ms);
        shaCli = opensslDigest(sh.stdout);
      }
      if (sm3Cli.ok) {
        const sm = await run('openssl', ['dgst', '-sm3', bigPath]);
        if (sm.ok) {
          t.sm3.push(sm.ms);
          sm3Cli.value = opensslDigest(sm.stdout);
        } else sm3Cli = { ok: false, note: sm.stderr.trim().split('\n')[0] ?? '' };
      }
      const o = await ours(bigPath);
      t.ours.push(o.ms);
      digest = o.d;
    }

    const rate = (ms: number) => (big / MiB / (ms / 1000)).toFixed(0).padStart(6);
    const oursMs = median(t.ours);
    out(`${'digest.ts: SHA-256 + SM3, one pass'.padEnd(40)} ${oursMs.toFixed(0).padStart(7)} ms ${rate(oursMs)} MiB/s`);
    if (t.sha256.length) {
      const ms = median(t.sha256);
      out(`${'openssl dgst -sha256'.padEnd(40)} ${ms.toFixed(0).padStart(7)} ms ${rate(ms)} MiB/s   digest ${shaCli === digest.sha256 ? 'identical' : `DIFFERS (${shaCli})`}`);
    } else out('openssl dgst -sha256: not available');
    if (t.sm3.length) {
      const ms = median(t.sm3);
      out(`${'openssl dgst -sm3'.padEnd(40)} ${ms.toFixed(0).padStart(7)} ms ${rate(ms)} MiB/s   digest ${sm3Cli.value === digest.sm3 ? 'identical' : `DIFFERS (${sm3Cli.value})`}`);
    } else out(`openssl dgst -sm3: not available${sm3Cli.note ? ` (${sm3Cli.note})` : ''}`);
    if (t.sha256.length && t.sm3.length) {
      const sum = median(t.sha256) + median(t.sm3);
      out(`${'openssl, both (two passes, sum)'.padEnd(40)} ${sum.toFixed(0).padStart(7)} ms ${rate(sum)} MiB/s`);
      out(
        `ratio (openssl time / digest.ts time, goal ≥ 0.8): vs both ${(sum / oursMs).toFixed(2)}×` +
          ` · vs -sm3 alone ${(median(t.sm3) / oursMs).toFixed(2)}× · vs -sha256 alone ${(median(t.sha256) / oursMs).toFixed(2)}×`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    out('temporary files deleted');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchHashing();
