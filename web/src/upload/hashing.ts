import type { HashAlgorithm, HashMessage, HashRequest } from './hash.worker';

/** SHA-256 and SM3 of a file, computed in Web Workers (hash.worker.ts) while it is read. */
export interface FileHashes {
  sha256: string;
  sm3: string;
  ms: number;
}

export const startHashWorker = () => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module', name: 'hash' });

/** one worker, the digests asked for */
const runWorker = (file: Blob, algorithms: HashAlgorithm[], onProgress: (done: number) => void, signal?: AbortSignal) =>
  new Promise<Extract<HashMessage, { type: 'done' }>>((resolve, reject) => {
    const worker = startHashWorker();
    const stop = () => worker.terminate();
    signal?.addEventListener('abort', () => {
      stop();
      reject(new DOMException('已取消', 'AbortError'));
    });
    worker.onmessage = (ev: MessageEvent<HashMessage>) => {
      const m = ev.data;
      if (m.type === 'progress') onProgress(m.done);
      else {
        stop();
        if (m.type === 'done') resolve(m);
        else reject(new Error(`计算哈希失败：${m.message}`));
      }
    };
    worker.onerror = (e) => {
      stop();
      reject(new Error(`计算哈希失败：${e.message}`));
    };
    worker.postMessage({ file, algorithms } satisfies HashRequest);
  });

/**
 * SHA-256 and SM3 each in its own worker, at the same time (two cores hash while one would
 * take the sum of both); progress is the slower of the two.
 */
export const hashFile = async (file: Blob, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<FileHashes> => {
  const started = performance.now();
  const done = { sha256: 0, sm3: 0 };
  const report = (a: HashAlgorithm) => (n: number) => {
    done[a] = n;
    onProgress?.(Math.min(done.sha256, done.sm3), file.size);
  };
  const [sha, sm3] = await Promise.all([runWorker(file, ['sha256'], report('sha256'), signal), runWorker(file, ['sm3'], report('sm3'), signal)]);
  return { sha256: sha.sha256!, sm3: sm3.sm3!, ms: performance.now() - started };
};
