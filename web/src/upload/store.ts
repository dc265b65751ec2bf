/**
 * Upload state kept in IndexedDB, so that an upload interrupted by a reload, a closed tab or a lost
 * connection resumes where it stopped: the declaration (evidence id, part size and count), the
 * file's identity (name, size, last modified, hashes: the user re-selects the same file) and the
 * ETag of every part S3 has accepted. Per signed-in user; removed once the upload is complete.
 */
export interface UploadRecord {
  evidenceId: string;
  userId: string;
  title: string;
  fileName: string;
  size: number;
  lastModified: number;
  sha256: string;
  sm3: string;
  mode: 'single' | 'multipart';
  partSize: number;
  partCount: number;
  /** ETag of each part S3 accepted, by part number */
  etags: Record<number, string>;
  /** declared, bytes sent (uploaded), or completed (S3 assembled the parts; the ingest decides) */
  state: 'uploading' | 'completed';
  createdAt: string;
}

const DB = 'enforcement-archive-console';
const STORE = 'uploads';

const open = () =>
  new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: 'evidenceId' });
      store.createIndex('userId', 'userId');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB 不可用'));
  });

const run = async <T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = f(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB 写入失败'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB 写入中止'));
    });
  } finally {
    db.close();
  }
};

export const saveUpload = (r: UploadRecord) => run('readwrite', (s) => s.put(r)).then(() => undefined);
export const getUpload = (evidenceId: string) => run<UploadRecord | undefined>('readonly', (s) => s.get(evidenceId));
export const removeUpload = (evidenceId: string) => run('readwrite', (s) => s.delete(evidenceId)).then(() => undefined);
export const uploadsOf = (userId: string) => run<UploadRecord[]>('readonly', (s) => s.index('userId').getAll(userId)).then((l) => l.sort((a, b) => b.createdAt.localeCompare(a.createdAt)));

/** Records one accepted part (read-modify-write in one transaction: parts finish in parallel). */
export const recordPart = async (evidenceId: string, partNumber: number, etag: string) => {
  const db = await open();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      const s = tx.objectStore(STORE);
      const get = s.get(evidenceId);
      get.onsuccess = () => {
        const r = get.result as UploadRecord | undefined;
        if (r) s.put({ ...r, etags: { ...r.etags, [partNumber]: etag } });
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB 写入失败'));
    });
  } finally {
    db.close();
  }
};
