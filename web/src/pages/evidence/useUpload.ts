import { useCallback, useRef, useState } from 'react';
import { api, call, idempotencyKey } from '../../api/client';
import { hashFile } from '../../upload/hashing';
import { saveUpload, type UploadRecord } from '../../upload/store';
import { sendFile } from '../../upload/uploader';
import type { DeclaredEvidence } from './evidence-views';

/**
 * The page's side of an upload: hash in the Worker (progress), declare (both hashes known; the
 * declaration carries the SHA-256), keep the state in IndexedDB, send the bytes (progress); or
 * resume a stored upload after checking that the re-selected file is the same one.
 */
export type Phase = 'idle' | 'hashing' | 'declaring' | 'uploading' | 'done' | 'failed';

export interface UploadProgress {
  phase: Phase;
  hashed: number;
  sent: number;
  total: number;
  error?: string | undefined;
  record?: UploadRecord | undefined;
}

export interface DeclareFields {
  kind: string;
  title: string;
  deviceId: string;
  startedAt: string;
  endedAt: string;
  place: string;
  caseId?: string | undefined;
}

const mediaTypeOf = (f: File) => (/^(video|audio|image)\/[a-z0-9.+-]{1,60}$|^application\/pdf$/.test(f.type) ? f.type : 'application/octet-stream');

export const sameFile = (r: UploadRecord, f: File) => r.fileName === f.name && r.size === f.size && r.lastModified === f.lastModified;

export const useUpload = () => {
  const [p, setP] = useState<UploadProgress>({ phase: 'idle', hashed: 0, sent: 0, total: 0 });
  const abort = useRef<AbortController | undefined>(undefined);

  const run = useCallback(async (file: File, start: (h: { sha256: string; sm3: string }) => Promise<UploadRecord & { urls?: DeclaredEvidence['upload'] }>) => {
    abort.current = new AbortController();
    const signal = abort.current.signal;
    setP({ phase: 'hashing', hashed: 0, sent: 0, total: file.size });
    try {
      const h = await hashFile(file, (done) => setP((x) => ({ ...x, hashed: done })), signal);
      setP((x) => ({ ...x, phase: 'declaring', hashed: file.size }));
      const { urls, ...record } = await start(h);
      setP((x) => ({ ...x, phase: 'uploading', record }));
      const done = await sendFile(record, { file, urls, signal, onProgress: (sent) => setP((x) => ({ ...x, sent })) });
      setP((x) => ({ ...x, phase: 'done', sent: file.size, record: done }));
      return done;
    } catch (e) {
      setP((x) => ({ ...x, phase: 'failed', error: e instanceof Error ? e.message : String(e) }));
      return undefined;
    }
  }, []);

  /** a new recording: hash, declare, upload */
  const upload = useCallback(
    (file: File, userId: string, officerId: string, f: DeclareFields) =>
      run(file, async (h) => {
        const key = idempotencyKey();
        const d = await call<DeclaredEvidence>(
          api().POST('/evidence', {
            params: { header: { 'idempotency-key': key } },
            body: {
              kind: f.kind as never,
              title: f.title,
              fileName: file.name,
              mediaType: mediaTypeOf(file),
              size: file.size,
              sha256: h.sha256,
              capture: { officerId, deviceId: f.deviceId, startedAt: f.startedAt, endedAt: f.endedAt, place: f.place },
              ...(f.caseId ? { caseId: f.caseId } : {}),
            },
          }),
        );
        const u = d.upload;
        const record: UploadRecord = {
          evidenceId: d.evidence.evidenceId,
          userId,
          title: f.title,
          fileName: file.name,
          size: file.size,
          lastModified: file.lastModified,
          sha256: h.sha256,
          sm3: h.sm3,
          mode: u.mode,
          partSize: u.mode === 'multipart' ? u.partSize : file.size,
          partCount: u.mode === 'multipart' ? u.partCount : 1,
          etags: {},
          state: 'uploading',
          createdAt: new Date().toISOString(),
        };
        await saveUpload(record);
        return { ...record, urls: u };
      }),
    [run],
  );

  /** a stored upload, the same file selected again: its hash must match what was declared */
  const resume = useCallback(
    (file: File, record: UploadRecord) =>
      run(file, async (h) => {
        if (h.sha256 !== record.sha256 || h.sm3 !== record.sm3) throw new Error('所选文件的哈希与声明时不同，不是同一文件，不能续传');
        return record;
      }),
    [run],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);
  return { progress: p, upload, resume, cancel };
};
