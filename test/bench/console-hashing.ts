/**
 * Browser hashing benchmark (figures only, never asserted; docs/architecture.md §13): SHA-256 and
 * SM3 of the same 64 MiB file, in ONE run, by
 *  - the console's Web Workers (web/src/upload/hash.worker.ts: hash-wasm; WebCrypto for SHA-256 alone up to 256 MiB) in headless Debian
 *    Chromium, the file fetched into a Blob first (as a picked file is), timed from postMessage to
 *    the digests (worker start and WebAssembly set-up included): one worker computing both in one
 *    reading pass, and the console's way — a worker per digest, in parallel (hashing.ts);
 *  - Node's `crypto` (shared/preservation/digest.ts, the server's own ingest hashing, one pass).
 * The goal of issue 10 is a browser/Node throughput ratio of at least 0.5. The built console is
 * served under its real CSP (infra/local/console.ts), so the Worker runs as it does for users.
 *
 *   npx tsx test/bench/console-hashing.ts          # 64 MiB, 5 interleaved runs each, median
 *   BENCH_BROWSER_HASH_MB=256 npx tsx test/bench/console-hashing.ts
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildConsole, consoleBuildNeeded, createConsoleHandler } from '../../infra/local/console.ts';
import { digestFile, sm3Available } from '../../shared/preservation/digest.ts';
import { DIST_DIR, launchChromium } from '../../web/test-support/console-driver.ts';

const MiB = 1024 * 1024;
const RUNS = 5;
const out = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);

interface BrowserRun {
  ms: number;
  workerMs: number;
  sha256: string;
  sm3: string;
}

export async function benchConsoleHashing(): Promise<void> {
  const sizeMiB = Number(process.env.BENCH_BROWSER_HASH_MB ?? 64);
  if (!Number.isFinite(sizeMiB) || sizeMiB <= 0) throw new Error(`BENCH_BROWSER_HASH_MB must be a positive number, got ${process.env.BENCH_BROWSER_HASH_MB}`);
  if (!sm3Available()) {
    out("this Node has no SM3: the comparison needs Node's crypto with SM3");
    return;
  }
  const why = consoleBuildNeeded();
  if (why) {
    out(`building the console (${why}) …`);
    await buildConsole();
  }
  const worker = readdirSync(join(DIST_DIR, 'assets')).find((f) => /^hash\.worker-.*\.js$/.test(f));
  if (!worker) throw new Error('no hash.worker-*.js in web/dist/assets');

  const dir = await mkdtemp(join(tmpdir(), 'bench-console-hash-'));
  const bytes = randomBytes(Math.round(sizeMiB * MiB));
  const path = join(dir, 'file.bin');
  await writeFile(path, bytes);

  // the built console under its CSP, plus the file
  const consoleHandler = createConsoleHandler();
  const server = createServer((req, res) => {
    if (req.url === '/bench.bin') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      return res.end(bytes);
    }
    const r = consoleHandler({ method: req.method ?? 'GET', url: req.url ?? '/' });
    if (!r) return res.writeHead(404).end();
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${origin}/config.json`);
    await page.evaluate(`fetch('/bench.bin').then((r) => r.blob()).then((b) => { globalThis.benchBlob = b; })`);
    // runs in the page (this file is type-checked without the DOM library): one worker with both
    // digests, or the console's way (web/src/upload/hashing.ts): one worker per digest, in parallel
    const inPage = (parallel: boolean) => `(async () => {
      const one = (algorithms) => new Promise((resolve, reject) => {
        const w = new Worker('/assets/${worker}', { type: 'module' });
        w.onmessage = (e) => { if (e.data.type === 'progress') return; w.terminate(); e.data.type === 'done' ? resolve(e.data) : reject(new Error(e.data.message)); };
        w.onerror = (e) => reject(new Error(e.message));
        w.postMessage({ file: globalThis.benchBlob, algorithms });
      });
      const t0 = performance.now();
      const parts = ${parallel} ? await Promise.all([one(['sha256']), one(['sm3'])]) : [await one(['sha256', 'sm3'])];
      const ms = performance.now() - t0;
      const r = Object.assign({}, ...parts);
      return { ms, workerMs: Math.max(...parts.map((p) => p.ms)), sha256: r.sha256, sm3: r.sm3 };
    })()`;
    // interleaved, so that the load of a shared machine falls on all three alike
    const node: { ms: number; sha256: string; sm3: string }[] = [];
    const single: BrowserRun[] = [];
    const runs: BrowserRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const d = await digestFile(path);
      node.push({ ms: performance.now() - t0, sha256: d.sha256, sm3: d.sm3 });
      single.push((await page.evaluate(inPage(false))) as BrowserRun);
      runs.push((await page.evaluate(inPage(true))) as BrowserRun);
    }

    const same = [...single, ...runs].every((r) => r.sha256 === node[0]!.sha256 && r.sm3 === node[0]!.sm3);
    const nodeMs = median(node.map((n) => n.ms));
    const singleMs = median(single.map((r) => r.ms));
    const browserMs = median(runs.map((r) => r.ms));
    out(`file: ${sizeMiB} MiB of random bytes; ${RUNS} runs each, median; digests ${same ? 'identical' : 'DIFFERENT'} (SHA-256 ${node[0]!.sha256.slice(0, 16)}…, SM3 ${node[0]!.sm3.slice(0, 16)}…)`);
    out(`  Node crypto (SHA-256 + SM3, one pass):                                      ${nodeMs.toFixed(0)} ms  ${rate(bytes.length, nodeMs).toFixed(1)} MiB/s`);
    out(
      `  browser, one Worker (hash-wasm SHA-256 + SM3, one pass):                     ${singleMs.toFixed(0)} ms  ${rate(bytes.length, singleMs).toFixed(1)} MiB/s  → ${(nodeMs / singleMs).toFixed(2)}× Node`,
    );
    out(
      `  browser, console (Workers in parallel: WebCrypto SHA-256 ∥ hash-wasm SM3): ${browserMs.toFixed(0)} ms  ${rate(bytes.length, browserMs).toFixed(1)} MiB/s  → ${(nodeMs / browserMs).toFixed(2)}× Node (goal ≥ 0.5×)`,
    );
    out(`  (timed from postMessage to the digests: worker start and WebAssembly set-up included; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)})`);
    if (problems.length) out(`  page errors: ${problems.join(' | ')}`);
    if (!same) throw new Error('the browser and Node digests differ');
  } finally {
    await browser.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchConsoleHashing();
