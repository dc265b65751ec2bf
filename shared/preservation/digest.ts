import { createHash, getHashes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Fixity digests for long-term preservation: SHA-256 (FIPS 180-4, the interoperable algorithm of
 * RFC 8493 BagIt and of the S3 checksums the platform already records) and SM3 (GB/T 32905-2016,
 * the national cryptographic hash that DA/T 97-2023 names for maintaining the evidential value of
 * electronic records), computed together in ONE pass over a stream, in constant memory.
 *
 * Both come from node:crypto, i.e. the OpenSSL 3 that Node 22 ships (SM3 is in OpenSSL's default
 * provider since 1.1.1): C implementations, no npm dependency, the same code the Lambda runtime
 * (`nodejs22.x`) runs. A Node built against an OpenSSL without SM3 (e.g. a FIPS-only build) fails
 * loudly on first use instead of silently dropping the SM3 manifest.
 */

/**
 * Algorithm names as BagIt spells them (RFC 8493 §2.4: the common name lower-cased with every
 * non-alphanumeric removed) → the OpenSSL name. `sm3` is not in IANA's Named Information Hash
 * Algorithm Registry, which RFC 8493 §2.4 says an algorithm SHOULD be registered in: SHA-256 is the
 * manifest every BagIt tool can check, SM3 the one Chinese archival practice asks for.
 */
export const DIGEST_ALGORITHMS = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha3256: 'sha3-256',
  sha3512: 'sha3-512',
  sm3: 'sm3',
} as const;

export type DigestAlgorithm = keyof typeof DIGEST_ALGORITHMS;

/** Length of each algorithm's hex digest, to reject a malformed checksum before comparing. */
export const HEX_LENGTH: Record<DigestAlgorithm, number> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
  sha3256: 64,
  sha3512: 128,
  sm3: 64,
};

export const isDigestAlgorithm = (name: string): name is DigestAlgorithm => Object.hasOwn(DIGEST_ALGORITHMS, name);

/** True when this Node's OpenSSL provides SM3 (Node 22's bundled OpenSSL 3 does). */
export const sm3Available = (): boolean => getHashes().includes('sm3');

const newHash = (alg: DigestAlgorithm): Hash => {
  try {
    return createHash(DIGEST_ALGORITHMS[alg]);
  } catch (cause) {
    throw new Error(`this Node.js build's OpenSSL does not provide ${alg} (${DIGEST_ALGORITHMS[alg]})`, { cause });
  }
};

/**
 * Chunks of bytes: a Node Readable (without setEncoding), a web ReadableStream, any async or sync
 * iterable of Uint8Array, or one Uint8Array.
 */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;

/** Several digests fed from the same chunks; each chunk is seen once and never retained. */
export class MultiDigest<A extends DigestAlgorithm = DigestAlgorithm> {
  readonly #hashes: [A, Hash][];
  #bytes = 0;
  #done = false;

  constructor(algorithms: readonly A[]) {
    if (algorithms.length === 0) throw new TypeError('at least one digest algorithm is needed');
    this.#hashes = [...new Set(algorithms)].map((a) => [a, newHash(a)]);
  }

  update(chunk: Uint8Array): this {
    if (this.#done) throw new Error('digest already finalised');
    // A string chunk means someone called setEncoding(): the bytes are no longer the file's bytes.
    if (!(chunk instanceof Uint8Array)) throw new TypeError(`expected a Uint8Array chunk, got ${typeof chunk}`);
    for (const [, h] of this.#hashes) h.update(chunk);
    this.#bytes += chunk.byteLength;
    return this;
  }

  get bytes(): number {
    return this.#bytes;
  }

  digest(): { bytes: number; hex: Record<A, string> } {
    this.#done = true;
    const hex = {} as Record<A, string>;
    for (const [a, h] of this.#hashes) hex[a] = h.digest('hex');
    return { bytes: this.#bytes, hex };
  }
}

/** Feed every chunk of `source` to `sink`, one at a time (backpressure is the iterator's). */
const drain = async (source: ByteSource, sink: (chunk: Uint8Array) => void): Promise<void> => {
  if (source instanceof Uint8Array) {
    sink(source);
    return;
  }
  if (Symbol.asyncIterator in source) {
    for await (const chunk of source) sink(chunk);
  } else {
    for (const chunk of source) sink(chunk);
  }
};

/** Any set of digests in one pass. */
export const digestWith = async <A extends DigestAlgorithm>(source: ByteSource, algorithms: readonly A[]) => {
  const md = new MultiDigest(algorithms);
  await drain(source, (c) => md.update(c));
  return md.digest();
};

/** The preservation fixity of one object: both digests (lower-case hex) and its length in bytes. */
export interface FixityDigest {
  sha256: string;
  sm3: string;
  bytes: number;
}

const FIXITY = ['sha256', 'sm3'] as const;

/** SHA-256 and SM3 of a stream in one pass, constant memory. */
export const digestStream = async (source: ByteSource): Promise<FixityDigest> => {
  const { bytes, hex } = await digestWith(source, FIXITY);
  return { sha256: hex.sha256, sm3: hex.sm3, bytes };
};

/** SHA-256 and SM3 of bytes already in memory (a string is hashed as its UTF-8 bytes). */
export const digestBytes = (data: Uint8Array | string): FixityDigest => {
  const md = new MultiDigest(FIXITY);
  md.update(typeof data === 'string' ? new TextEncoder().encode(data) : data);
  const { bytes, hex } = md.digest();
  return { sha256: hex.sha256, sm3: hex.sm3, bytes };
};

/** Read size for files: 1 MiB chunks amortise the per-chunk cost without holding more in memory. */
export const FILE_CHUNK_BYTES = 1 << 20;

/** SHA-256 and SM3 of a local file, streamed. */
export const digestFile = (path: string): Promise<FixityDigest> => digestStream(createReadStream(path, { highWaterMark: FILE_CHUNK_BYTES }));

/**
 * Pass chunks through unchanged while hashing them, so bytes can be written and hashed in the same
 * pass (the BagIt writer stores a payload file and computes its manifest lines at once).
 */
export async function* hashThrough(source: ByteSource, digest: MultiDigest<DigestAlgorithm>): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    digest.update(source);
    yield source;
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    digest.update(chunk);
    yield chunk;
  }
}
