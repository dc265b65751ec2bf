import type { Dirent } from 'node:fs';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FILE_CHUNK_BYTES } from './digest.ts';
import type { BagStore } from './store.ts';

/**
 * A bag in a local folder. RFC 8493 §5.1: "Implementers MUST ensure that files outside the bag
 * directory structure are not accessed when reading or writing files based on paths specified in a
 * bag" — so every path is checked lexically (no absolute path, no `..`) and, on read, physically:
 * the real path must be the path itself (no symbolic link anywhere below the bag's root), and the
 * file is opened with O_NOFOLLOW.
 *
 * File names are taken as UTF-8 (what Linux tools and Node assume); a name that is not valid UTF-8
 * cannot be represented faithfully and shows up with U+FFFD, so it will not match its manifest line.
 */
export class FsBagStore implements BagStore {
  #realRoot: Promise<string> | undefined;

  constructor(readonly root: string) {}

  #full(path: string): string {
    const segs = path.split('/');
    if (path.startsWith('/') || isAbsolute(path) || segs.some((s) => s === '..' || s === '.') || path.includes('\0')) {
      throw Object.assign(new Error(`path escapes the bag: ${JSON.stringify(path)}`), { code: 'EBAGPATH' });
    }
    const full = join(this.root, ...segs.filter(Boolean));
    const rel = relative(this.root, full);
    if (rel.startsWith('..') || isAbsolute(rel)) throw Object.assign(new Error(`path escapes the bag: ${path}`), { code: 'EBAGPATH' });
    return full;
  }

  async list(prefix: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: string[] = [];
    for (const d of entries) {
      // Symbolic links are listed (so a manifest naming one is not reported "missing") but read() refuses them.
      if (!d.isFile() && !d.isSymbolicLink()) continue;
      const rel = relative(this.root, join(d.parentPath, d.name)).split(sep).join('/');
      if (rel.startsWith(prefix)) out.push(rel);
    }
    return out;
  }

  async *read(path: string): AsyncGenerator<Uint8Array> {
    const full = this.#full(path);
    this.#realRoot ??= realpath(this.root);
    const expected = join(await this.#realRoot, relative(this.root, full));
    if ((await realpath(full)) !== expected) {
      throw Object.assign(new Error(`refusing to follow a symbolic link inside the bag: ${path}`), { code: 'EBAGLINK' });
    }
    const fh = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW);
    yield* createReadStream('', { fd: fh, highWaterMark: FILE_CHUNK_BYTES }) as AsyncIterable<Uint8Array>;
  }

  async write(path: string, content: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const full = this.#full(path);
    await mkdir(dirname(full), { recursive: true });
    // 'wx': fail if the file exists — preserved bytes are written once, never overwritten.
    if (content instanceof Uint8Array) await writeFile(full, content, { flag: 'wx' });
    else await pipeline(Readable.from(content), createWriteStream(full, { flags: 'wx' }));
  }

  async ensureDirectory(path: string): Promise<void> {
    await mkdir(this.#full(path), { recursive: true });
  }

  async hasDirectory(path: string): Promise<boolean> {
    try {
      return (await stat(this.#full(path))).isDirectory();
    } catch {
      return false;
    }
  }
}
