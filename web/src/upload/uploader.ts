import { api, call } from '../api/client';
import { getUpload, recordPart, saveUpload, type UploadRecord } from './store';

/**
 * Sends a declared recording straight to S3 with the presigned URLs the API issued: one PUT
 * (signed with its SHA-256 and `If-None-Match: *`: the browser sends exactly the signed headers) or
 * parts, `PARALLEL_PARTS` at a time, each accepted part's ETag kept in IndexedDB (store.ts) so a
 * reload resumes with the parts still missing; more part URLs come from GET /evidence/{id}/upload
 * (at most 100 per answer, fresh ones after a reload). Then the API completes the multipart upload;
 * S3's ObjectCreated starts the ingest, which hashes what arrived and verifies or quarantines it.
 */
export const PARALLEL_PARTS = 4;

export interface SingleUpload {
  mode: 'single';
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresIn: number;
}
export interface MultipartUpload {
  mode: 'multipart';
  partSize: number;
  partCount: number;
  expiresIn: number;
  parts: { partNumber: number; url: string }[];
}
export type UploadUrls = SingleUpload | MultipartUpload;

/** one PUT through XMLHttpRequest (fetch reports no upload progress); resolves with S3's ETag */
const put = (url: string, body: Blob, headers: Record<string, string>, onProgress: (loaded: number) => void, signal?: AbortSignal) =>
  new Promise<string>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.getResponseHeader('ETag') ?? '');
      else {
        const code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText)?.[1];
        reject(new Error(code === 'BadDigest' ? '文件内容与声明的 SHA-256 不符，对象存储拒收' : `对象存储拒收（${xhr.status}${code ? ` ${code}` : ''}）`));
      }
    };
    xhr.onerror = () => reject(new Error('上传中断：网络错误'));
    xhr.onabort = () => reject(new DOMException('已暂停', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(body);
  });

export const fetchUploadUrls = (evidenceId: string, from: number) => call<UploadUrls>(api().GET('/evidence/{evidenceId}/upload', { params: { path: { evidenceId }, query: { from } } }));

export interface SendOptions {
  file: Blob;
  /** the URLs of the declaration, if still fresh (otherwise fetched) */
  urls?: UploadUrls | undefined;
  onProgress: (sent: number, total: number) => void;
  signal?: AbortSignal | undefined;
}

/** Uploads whatever the record says is missing, then completes; returns the completed record. */
export const sendFile = async (record: UploadRecord, o: SendOptions): Promise<UploadRecord> => {
  const total = record.size;
  if (record.mode === 'single') {
    const urls = o.urls?.mode === 'single' ? o.urls : await fetchUploadUrls(record.evidenceId, 1);
    if (urls.mode !== 'single') throw new Error('上传方式与声明不符');
    await put(urls.url, o.file, urls.headers, (n) => o.onProgress(n, total), o.signal);
    o.onProgress(total, total);
  } else {
    const known = new Map<number, string>((o.urls?.mode === 'multipart' ? o.urls.parts : []).map((p) => [p.partNumber, p.url]));
    const urlOf = async (n: number) => {
      if (!known.has(n)) {
        const more = await fetchUploadUrls(record.evidenceId, n);
        if (more.mode !== 'multipart') throw new Error('上传方式与声明不符');
        for (const p of more.parts) known.set(p.partNumber, p.url);
      }
      return known.get(n)!;
    };
    const sizeOf = (n: number) => Math.min(record.partSize, total - (n - 1) * record.partSize);
    const done = new Set(Object.keys(record.etags).map(Number));
    let sent = [...done].reduce((s, n) => s + sizeOf(n), 0);
    const inFlight = new Map<number, number>();
    const report = () => o.onProgress(sent + [...inFlight.values()].reduce((a, b) => a + b, 0), total);
    report();
    const queue = Array.from({ length: record.partCount }, (_, i) => i + 1).filter((n) => !done.has(n));
    // once one part fails, the other lanes take no new part (the parts already sent stay recorded)
    let failed = false;
    const lane = async () => {
      for (let n = queue.shift(); n !== undefined && !failed; n = queue.shift()) {
        if (o.signal?.aborted) throw new DOMException('已暂停', 'AbortError');
        const url = await urlOf(n);
        const start = (n - 1) * record.partSize;
        const part = n;
        inFlight.set(part, 0);
        const etag = await put(
          url,
          o.file.slice(start, start + sizeOf(part)),
          {},
          (loaded) => {
            inFlight.set(part, loaded);
            report();
          },
          o.signal,
        );
        if (!etag) throw new Error('对象存储未返回分片 ETag（请检查存储桶 CORS 的 ExposeHeader）');
        await recordPart(record.evidenceId, part, etag);
        inFlight.delete(part);
        sent += sizeOf(part);
        report();
      }
    };
    // the parts in flight finish (and are recorded) before the failure is reported
    const lanes = await Promise.allSettled(
      Array.from({ length: Math.min(PARALLEL_PARTS, queue.length) }, () =>
        lane().catch((e: unknown) => {
          failed = true;
          throw e;
        }),
      ),
    );
    const refused = lanes.find((l) => l.status === 'rejected');
    if (refused) throw refused.reason;
    const saved = (await getUpload(record.evidenceId)) ?? record;
    const parts = Array.from({ length: record.partCount }, (_, i) => ({ partNumber: i + 1, etag: saved.etags[i + 1] ?? '' }));
    await call(api().POST('/evidence/{evidenceId}/complete', { params: { path: { evidenceId: record.evidenceId } }, body: { parts } }));
  }
  const completed: UploadRecord = { ...((await getUpload(record.evidenceId)) ?? record), state: 'completed' };
  await saveUpload(completed);
  return completed;
};
