import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { putVersioned, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import { evidenceIndexes, evidenceKey, fixityRotaKey } from '../adapters/dynamodb/keys/evidence.ts';
import { conflict } from '../kernel/errors.ts';
import type { EvidenceHold, RecordingKind, RetentionDecision } from './retention.ts';

/**
 * An evidence item (声像资料, D1–D8 in docs/rules.md): an original recording in S3 and its record here —
 * capture metadata, the declared and the computed hashes (SHA-256 and SM3 over the whole file), the
 * object version it was verified at, retention, holds. The original's bytes are never touched again;
 * derived copies (clips, redactions, transcodes) are items of their own pointing back to it.
 */
/** 'disposing': an approved disposition is being carried out (nothing else may change the item) */
export type EvidenceStatus = 'uploading' | 'verified' | 'quarantined' | 'disposing' | 'disposed';
export const DERIVATIONS = ['clip', 'redaction', 'transcode'] as const;

export interface Capture {
  officerId: string;
  deviceId: string;
  startedAt: string;
  endedAt: string;
  place: string;
}

export interface Upload {
  mode: 'single' | 'multipart';
  uploadId?: string | undefined;
  partSize: number;
  parts: number;
  completedAt?: string | undefined;
}

/** The S3 ObjectCreated an item was ingested from: a redelivery of it is no new write (shared/evidence/tamper.ts). */
export interface Arrival {
  key: string;
  versionId?: string | undefined;
  sequencer?: string | undefined;
  eTag?: string | undefined;
  size?: number | undefined;
}

/** A write of the item's key after the ingest (D7: tampering), and whether the verified bytes survived it. */
export interface StrayArrival {
  at: string;
  versionId?: string | undefined;
  sequencer?: string | undefined;
  eTag?: string | undefined;
  size?: number | undefined;
  intact: boolean;
  actualSha256?: string | undefined;
}

/** D2: a capture declared older than its storage due time plus the late window, with the reason given. */
export interface LateDeclaration {
  reason: string;
  storageDueAt: string;
  windowEndedAt: string;
  declaredAt: string;
  ruleVersion: string;
}

/** the flag a fixity mismatch puts on the record (shared/evidence/fixity.ts) */
export interface FixityMismatchFlag {
  checkId: string;
  at: string;
  expectedSha256: string;
  actualSha256?: string | undefined;
  actualSm3?: string | undefined;
  actualBytes?: number | undefined;
  missing?: boolean | undefined;
}

export interface EvidenceItem {
  evidenceId: string;
  agencyId: string;
  agencyPath: string[];
  unitId: string;
  kind: RecordingKind;
  title: string;
  capture: Capture;
  caseId?: string | undefined;
  fileName: string;
  mediaType: string;
  size: number;
  declaredSha256: string;
  key: string;
  status: EvidenceStatus;
  upload: Upload;
  /** set at ingest: the version of the object the hashes are of; every read is by this version */
  versionId?: string | undefined;
  sha256?: string | undefined;
  sm3?: string | undefined;
  ingestedAt?: string | undefined;
  /** D2: stored after the end of the working day of capture */
  late?: boolean | undefined;
  retention?: RetentionDecision | undefined;
  holds: (EvidenceHold & { holdId: string; note?: string | undefined; releasedBy?: string | undefined })[];
  derivedFrom?: { evidenceId: string; derivation: (typeof DERIVATIONS)[number] } | undefined;
  quarantine?: { reason: string; at: string; actualSha256?: string | undefined; actualSize?: number | undefined } | undefined;
  /** what the S3 adapter could apply (the local S3 server has no Object Lock: the domain enforces it) */
  objectLock?: { retainUntil?: string | undefined; legalHold: boolean; applied: boolean } | undefined;
  /** set by the fixity job when the stored object no longer matches its hashes (never cleared silently) */
  fixityMismatch?: FixityMismatchFlag | undefined;
  /** the ObjectCreated the ingest took (S3 may deliver it again) */
  arrival?: Omit<Arrival, 'key' | 'size'> | undefined;
  /** later writes of the key: tampering, never cleared */
  strayArrivals?: StrayArrival[] | undefined;
  lateDeclaration?: LateDeclaration | undefined;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export const originalKey = (agencyId: string, evidenceId: string) => `evidence/${agencyId}/${evidenceId}/original`;
/** derived copies are items of their own, stored and ingested like originals (the layout is the same) */
export const evidenceIdOfKey = (key: string) => /^evidence\/[^/]+\/([0-9A-HJKMNP-TV-Z]{26})\/original$/.exec(key)?.[1];

const keysOf = (e: EvidenceItem) => ({
  ...evidenceKey(e.evidenceId),
  ...evidenceIndexes({
    evidenceId: e.evidenceId,
    // by case once linked, else by the capturing officer
    caseId: e.caseId,
    officerId: e.capture.officerId,
    capturedAt: e.capture.startedAt,
    // retention expiry by month, for the sweep: only items with a fixed end and no hold
    retainUntil: e.status === 'verified' && e.retention?.retainUntil && !e.retention.legalHold ? e.retention.retainUntil : undefined,
  }),
});

export const putEvidence = (e: EvidenceItem, expected: number | undefined): DomainWrite =>
  putVersioned({ ...keysOf(e), kind: 'evidence', record: JSON.parse(JSON.stringify(e)) as EvidenceItem }, expected, () =>
    conflict('evidence.versionConflict', '证据记录已被他人修改，请刷新后重试（ETag 不匹配）'),
  );

export const findEvidence = async (evidenceId: string, consistent = false) =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: evidenceKey(evidenceId), ConsistentRead: consistent }))).Item?.record as EvidenceItem | undefined;

/**
 * Part size for a multipart upload: at least 16 MiB (S3's minimum is 5 MiB), grown in whole MiB so
 * that no file needs more than 10,000 parts (S3's maximum); a file up to one part goes as one PUT.
 */
export const MIN_PART_BYTES = 16 * 1024 * 1024;
export const MAX_PARTS = 10_000;
export const partPlan = (size: number): { mode: 'single' | 'multipart'; partSize: number; parts: number } => {
  if (size <= MIN_PART_BYTES) return { mode: 'single', partSize: size, parts: 1 };
  const mib = 1024 * 1024;
  const partSize = Math.max(MIN_PART_BYTES, Math.ceil(size / MAX_PARTS / mib) * mib);
  return { mode: 'multipart', partSize, parts: Math.ceil(size / partSize) };
};

/**
 * The fixity rota: every verified item belongs to one of 365 daily buckets (by a hash of its id), and
 * the daily fixity job re-hashes that day's bucket — every item at least once a year (issue 4).
 */
export const FIXITY_BUCKETS = 365;
export const fixityBucketOf = (evidenceId: string) => Number.parseInt(createHash('sha256').update(evidenceId).digest('hex').slice(0, 8), 16) % FIXITY_BUCKETS;
export const fixityQueueWrite = (e: Pick<EvidenceItem, 'evidenceId' | 'agencyId'>): DomainWrite => ({
  item: { Put: { TableName: tableName(), Item: { ...fixityRotaKey(fixityBucketOf(e.evidenceId), e.evidenceId), agencyId: e.agencyId, kind: 'fixityRota' } } },
});
