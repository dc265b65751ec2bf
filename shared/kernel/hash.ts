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

export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

/** The hash of the first link's predecessor. */
export const GENESIS_HASH = '0'.repeat(64);

export const chainHash = (prevHash: string, body: unknown): string =>
  sha256Hex(`${prevHash}\n${canonicalJson(body)}`);
