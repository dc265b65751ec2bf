import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Hash chains (officer files, audit) hash the RFC 8785 canonical JSON of a record, so the same
 * content hashes the same whatever the key order or the language that re-verifies it.
 */
export const canonicalJson = (value: unknown): string => {
  const s = canonicalize(value);
  if (s === undefined) throw new TypeError('value cannot be canonicalised');
  return s;
};

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The hash of the first link's predecessor. */
export const GENESIS_HASH = '0'.repeat(64);

export const chainHash = (prevHash: string, body: unknown): string => sha256Hex(`${prevHash}\n${canonicalJson(body)}`);

export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

export type LinkProblem = { seq: number; problem: 'hashMismatch' | 'brokenLink' | 'gap' };

/**
 * Walk a hash chain in seq order: every link must follow its predecessor (seq + 1), name its hash,
 * and hash to what it says. One walker for officer files and audit chains alike.
 */
export const walkChain = <T extends ChainLink>(links: readonly T[], rehash: (body: Omit<T, 'hash'>) => string) => {
  const problems: LinkProblem[] = [];
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const link of links) {
    if (link.seq !== expected) problems.push({ seq: link.seq, problem: 'gap' });
    if (link.prevHash !== prev) problems.push({ seq: link.seq, problem: 'brokenLink' });
    const { hash, ...body } = link;
    if (rehash(body) !== hash) problems.push({ seq: link.seq, problem: 'hashMismatch' });
    prev = link.hash;
    expected = link.seq + 1;
  }
  return { problems, headHash: prev, headSeq: links.length ? links[links.length - 1]!.seq : 0 };
};
