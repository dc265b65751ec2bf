/// <reference lib="webworker" />
import { createSHA256, createSM3 } from 'hash-wasm';

/**
 * Hashes a file with SHA-256 and/or SM3 in a Web Worker (the page stays responsive):
 * reads the file in chunks with the next chunk already being read while the current one is hashed,
 * and reports progress. SHA-256 is what the declaration carries (and what S3 checks on a single
 * PUT); SM3 is shown beside it and compared with the server's own SM3 after the ingest (GB/T 32905).
 */
export type HashAlgorithm = 'sha256' | 'sm3';
export interface HashRequest {
  file: Blob;
  /** which digests (default both); hashing.ts runs one worker per digest, in parallel */
  algorithms?: HashAlgorithm[];
  /** bytes per read (default 4 MiB) */
  chunkSize?: number;
}
export type HashMessage = { type: 'progress'; done: number; total: number } | { type: 'done'; sha256?: string; sm3?: string; ms: number } | { type: 'error'; message: string };

const CHUNK = 4 * 1024 * 1024;
/**
 * Up to this size SHA-256 alone is taken in one call of the platform's WebCrypto (native, with the
 * CPU's SHA instructions: several times faster than WebAssembly) at the cost of holding the file in
 * memory once; larger files stream through hash-wasm in chunks. A client tuning, not a rule.
 */
const ONE_SHOT_SHA256_MAX = 256 * 1024 * 1024;
const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const post = (m: HashMessage) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);

self.onmessage = async (ev: MessageEvent<HashRequest>) => {
  const { file, chunkSize = CHUNK, algorithms = ['sha256', 'sm3'] } = ev.data;
  const started = performance.now();
  try {
    if (algorithms.length === 1 && algorithms[0] === 'sha256' && file.size <= ONE_SHOT_SHA256_MAX && crypto.subtle) {
      const sha256 = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
      post({ type: 'progress', done: file.size, total: file.size });
      post({ type: 'done', sha256, ms: performance.now() - started });
      return;
    }
    const hashers = await Promise.all(algorithms.map(async (a) => [a, await (a === 'sha256' ? createSHA256() : createSM3())] as const));
    for (const [, h] of hashers) h.init();
    const read = (at: number) => (at < file.size ? file.slice(at, Math.min(file.size, at + chunkSize)).arrayBuffer() : undefined);
    let offset = 0;
    let next = read(0);
    while (next) {
      const buf = new Uint8Array(await next);
      offset += buf.byteLength;
      next = read(offset);
      for (const [, h] of hashers) h.update(buf);
      post({ type: 'progress', done: offset, total: file.size });
    }
    post({ type: 'done', ...Object.fromEntries(hashers.map(([a, h]) => [a, h.digest('hex')])), ms: performance.now() - started });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
