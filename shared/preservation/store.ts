/**
 * Where a bag lives, as the BagIt writer and validator see it: files named by '/'-separated paths
 * relative to the bag's base directory (RFC 8493 §2), read and written as streams so a bag of
 * recordings never has to fit in memory. Adapters: MemoryBagStore (tests), FsBagStore (a local
 * folder, fs-store.ts); an S3 prefix can implement the same five methods.
 */
export interface BagStore {
  /** Every file (not directory) whose path starts with `prefix` ('' = the whole bag), any order. */
  list(prefix: string): Promise<string[]>;
  /** The file's bytes in chunks; rejects (on first pull) if the file is absent or unreadable. */
  read(path: string): AsyncIterable<Uint8Array>;
  /** Create a file; never overwrites one (preserved bytes are written once). */
  write(path: string, content: Uint8Array | AsyncIterable<Uint8Array>): Promise<void>;
  /** Create a directory (and its parents); RFC 8493 §2.1.2 needs `data/` even for an empty payload. */
  ensureDirectory(path: string): Promise<void>;
  hasDirectory(path: string): Promise<boolean>;
}

const READ_CHUNK = 64 * 1024;

/** A bag in memory. `files` is exposed so tests can damage a bag the way storage or people do. */
export class MemoryBagStore implements BagStore {
  readonly files = new Map<string, Uint8Array>();
  readonly directories = new Set<string>();

  async list(prefix: string): Promise<string[]> {
    return [...this.files.keys()].filter((p) => p.startsWith(prefix));
  }

  async *read(path: string): AsyncGenerator<Uint8Array> {
    const bytes = this.files.get(path);
    if (!bytes) throw Object.assign(new Error(`no such file: ${path}`), { code: 'ENOENT' });
    // Several chunks, so consumers are exercised the way a real stream exercises them.
    for (let i = 0; i < bytes.length; i += READ_CHUNK) yield bytes.subarray(i, i + READ_CHUNK);
  }

  async write(path: string, content: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    if (this.files.has(path)) throw Object.assign(new Error(`file exists: ${path}`), { code: 'EEXIST' });
    if (content instanceof Uint8Array) {
      this.files.set(path, new Uint8Array(content)); // a copy (Buffer#slice would share memory)
      return;
    }
    const parts: Uint8Array[] = [];
    for await (const c of content) parts.push(c);
    this.files.set(path, Buffer.concat(parts)); // copies the chunks
  }

  async ensureDirectory(path: string): Promise<void> {
    const segs = path.split('/').filter(Boolean);
    for (let i = 1; i <= segs.length; i++) this.directories.add(segs.slice(0, i).join('/'));
  }

  async hasDirectory(path: string): Promise<boolean> {
    const dir = path.replace(/\/+$/, '');
    if (this.directories.has(dir)) return true;
    for (const p of this.files.keys()) if (p.startsWith(`${dir}/`)) return true;
    return false;
  }
}
