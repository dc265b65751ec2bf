import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/**
 * Below the S3 API of the test run's s3rver: its files on disk. What bit rot, or someone with
 * access to the storage itself, does to an object — no request, no signature, no guard
 * (infra/local/s3-guard.ts), no ObjectCreated event. Keys of letters, digits, `/`, `.`, `-`, `_`
 * only (s3rver escapes other characters in its file names).
 */
export const storedObjectPath = (bucket: string, key: string) => {
  if (!/^[A-Za-z0-9/._-]+$/.test(key)) throw new Error(`storedObjectPath: unsupported key ${key}`);
  const parts = key.split('/');
  const last = parts.pop()!;
  return join(inject('s3Directory'), bucket, ...parts, `${last}._S3rver_object`);
};

/** Replaces an object's bytes in place, behind S3's back (s3rver reports the file's size on reads). */
export const overwriteStoredObject = (bucket: string, key: string, bytes: Buffer) => writeFileSync(storedObjectPath(bucket, key), bytes);
