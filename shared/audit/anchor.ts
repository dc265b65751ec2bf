import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { commit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import { auditAnchorKey, auditHeadKey } from '../adapters/dynamodb/keys/audit.ts';
import { isMissingObject, s3Client } from '../adapters/s3/client.ts';
import { readObject } from '../adapters/s3/evidence.ts';
import { config } from '../config.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { conflict, DomainError } from '../kernel/errors.ts';
import { canonicalJson, GENESIS_HASH, sha256Hex } from '../kernel/hash.ts';
import { auditChainIds } from './shard-store.ts';

/**
 * The daily anchoring of the audit chains (docs/security.md §3 "Anchoring"): for an agency and a
 * day, one object `anchors/<date>/<agencyId>.json` — every chain head (seq and hash), the SHA-256
 * of the heads' canonical JSON — written once (If-None-Match), with COMPLIANCE retention where the
 * bucket has Object Lock (set on the PUT itself), and the record `ANCHOR#<agency>` / `<date>` with
 * the file's SHA-256 and version, audited. Idempotent per day: a day anchored is skipped; a file
 * written by a run that died before its record is recorded as it is, never rewritten. The nightly
 * job that runs it for every agency is shared/evidence/audit-anchoring.ts.
 */

export interface AnchorHead {
  chainId: string;
  seq: number;
  hash: string;
}
export interface AnchorRecord {
  agencyId: string;
  date: string;
  key: string;
  versionId?: string | undefined;
  /** SHA-256 of the anchor file's bytes */
  sha256: string;
  headsSha256: string;
  heads: AnchorHead[];
  locked: boolean;
  retainUntil: string;
  anchoredAt: string;
}

/** the anchor object of an agency's day in the evidence bucket (write-once) */
export const anchorKey = (date: string, agencyId: string) => `anchors/${date}/${agencyId}.json`;

const readItem = async (key: { pk: string; sk: string }) => (await documentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;

export const findAnchor = async (agencyId: string, date: string) => (await readItem(auditAnchorKey(agencyId, date)))?.record as AnchorRecord | undefined;

/**
 * Every chain head of an agency (commit.ts: `AUDIT#<agency>#<shard>` / HEAD; an unused shard is at genesis):
 * every chain below its stored shard count, which only grows (shared/audit/shard-setting.ts).
 */
export const auditHeads = async (agencyId: string): Promise<AnchorHead[]> =>
  Promise.all(
    (await auditChainIds(agencyId)).map(async (chainId) => {
      const h = await readItem(auditHeadKey(chainId));
      return { chainId, seq: (h?.seq as number | undefined) ?? 0, hash: (h?.hash as string | undefined) ?? GENESIS_HASH };
    }),
  );

export interface AnchorResult {
  date: string;
  written: number;
  alreadyAnchored: number;
  recovered: number;
}

export type AnchorOutcome = 'written' | 'recovered' | 'alreadyAnchored';

/**
 * Anchors one agency's chains for `date`, as `ctx` (the job's system principal), locked until
 * `retainUntil` where the bucket is `lockable` (shared/adapters/s3/evidence.ts bucketHasObjectLock).
 */
export const anchorAgency = async (ctx: AuditContext, agency: { agencyId: string; name: string }, date: string, opts: { retainUntil: string; lockable: boolean }): Promise<AnchorOutcome> => {
  if (await findAnchor(agency.agencyId, date)) return 'alreadyAnchored';
  const { retainUntil, lockable } = opts;
  const Bucket = config().bucketName;
  const Key = anchorKey(date, agency.agencyId);
  let body: Buffer;
  let versionId: string | undefined;
  let heads: AnchorHead[];
  let recovered = false;
  const present = await s3Client()
    .send(new HeadObjectCommand({ Bucket, Key }))
    .then(
      () => true,
      (e: unknown) => {
        if (isMissingObject(e)) return false;
        throw e;
      },
    );
  if (present) {
    const stored = await readObject(Key);
    const chunks: Buffer[] = [];
    for await (const c of stored) chunks.push(c as Buffer);
    body = Buffer.concat(chunks);
    const parsed = JSON.parse(body.toString('utf8')) as { heads: AnchorHead[] };
    heads = parsed.heads;
    recovered = true;
  } else {
    heads = await auditHeads(agency.agencyId);
    const doc = {
      type: 'auditChainAnchor',
      version: 1,
      agencyId: agency.agencyId,
      agencyName: agency.name,
      date,
      anchoredAt: nowIso(systemClock),
      hashAlgorithm: 'SHA-256',
      canonicalization: 'RFC 8785',
      heads,
      headsSha256: sha256Hex(canonicalJson(heads)),
    };
    body = Buffer.from(`${canonicalJson(doc)}\n`);
    const put = await s3Client().send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: body,
        ContentType: 'application/json',
        ChecksumSHA256: Buffer.from(sha256Hex(body), 'hex').toString('base64'),
        IfNoneMatch: '*',
        ...(lockable ? { ObjectLockMode: 'COMPLIANCE' as const, ObjectLockRetainUntilDate: new Date(`${retainUntil}T23:59:59+08:00`) } : {}),
      }),
    );
    versionId = put.VersionId;
  }
  const rec: AnchorRecord = {
    agencyId: agency.agencyId,
    date,
    key: Key,
    versionId,
    sha256: sha256Hex(body),
    headsSha256: sha256Hex(canonicalJson(heads)),
    heads,
    locked: lockable,
    retainUntil,
    anchoredAt: nowIso(systemClock),
  };
  try {
    await commit(
      ctx,
      [
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: JSON.parse(JSON.stringify({ ...auditAnchorKey(agency.agencyId, date), kind: 'auditAnchor', record: rec })) as Record<string, unknown>,
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onConditionFailed: () => conflict('anchor.exists', '当日已锚定'),
        },
      ],
      [{ action: 'audit.anchor', objectType: 'audit', objectId: `${agency.agencyId}:${date}`, objectAgencyId: agency.agencyId, outcome: 'allowed', reason: `${Key} sha256 ${rec.sha256}` }],
    );
  } catch (err) {
    if (!(err instanceof DomainError && err.code === 'anchor.exists')) throw err;
    return 'alreadyAnchored';
  }
  return recovered ? 'recovered' : 'written';
};
