/**
 * Where audiovisual evidence lives in the evidence bucket and which S3 storage class it moves to,
 * as plain data: the CDK app (infra/aws/evidence-store.ts) turns TIER_RULES into lifecycle rules,
 * and the domain (shared/evidence/) imports the tag keys and values it writes from here, so that
 * the two cannot drift. No AWS or CDK import: this file is safe to bundle into a Lambda function.
 *
 * How it works. The ingest and retention code tags each original (a current version under
 * `evidence/`) with
 *  - `retention-class` (RETENTION_CLASSES, the domain's RetentionClass): why it is kept. Descriptive
 *    only (S3 Inventory, cost reports, spot-check sampling); no lifecycle rule reads it;
 *  - `tier-schedule` (TIER_SCHEDULES): when S3 moves it to a colder class, in days after the object
 *    was created. One lifecycle rule per value; S3 keeps the time, no job has to touch the object
 *    when a day comes. The domain picks the value with `tierScheduleFor` whenever the retention
 *    decision changes (ingest, hold, case link or close) and re-tags; a tag change only ever
 *    selects a schedule for the future, because S3 never moves an object back to a warmer class.
 *
 * Nothing here expires anything: an original is destroyed only by the disposition step of the
 * evidence jobs function (infra/aws/access.ts), never by a lifecycle rule.
 */

/** Key prefixes of the evidence bucket (keys: shared/evidence/model.ts originalKey, derivedKey). */
export const EVIDENCE_PREFIXES = {
  /** originals: `evidence/<agencyId>/<evidenceId>/original`, written once, Object Lock per version */
  originals: 'evidence/',
  /** derived copies (clips, redactions, transcodes): regenerable, no Object Lock */
  derived: 'derived/',
  /** BagIt preservation packages written by the preservation job, COMPLIANCE-locked */
  packages: 'packages/',
  /** audit chain heads anchored in write-once storage by the anchor audit job, COMPLIANCE-locked */
  anchors: 'anchors/',
} as const;
export type EvidencePrefix = (typeof EVIDENCE_PREFIXES)[keyof typeof EVIDENCE_PREFIXES];

/**
 * Key prefixes whose objects are written once (D7: an original is never altered; an attachment is
 * verified against the hash declared for it): every PutObject and CompleteMultipartUpload there
 * must carry `If-None-Match: *`, so a second write of a key — a presigned upload URL replayed after
 * the upload — is refused (412) instead of creating a new version. The bucket policy in AWS
 * (infra/aws/evidence-store.ts) and the embedded platform's S3 guard (infra/local/s3-guard.ts) both
 * enforce it from this list. `attachments/` is the prefix of shared/archive/attachments.ts attachmentKey.
 */
export const WRITE_ONCE_PREFIXES = [EVIDENCE_PREFIXES.originals, 'attachments/'] as const;

/** The tag naming why an original is kept (descriptive; values = the domain's RetentionClass). */
export const RETENTION_CLASS_TAG = 'retention-class';
export const RETENTION_CLASSES = ['routine', 'case', 'longTerm', 'permanent'] as const;
export type RetentionClassTag = (typeof RETENTION_CLASSES)[number];

/** The tag selecting an original's lifecycle schedule (one lifecycle rule per value of TIER_SCHEDULES). */
export const TIER_SCHEDULE_TAG = 'tier-schedule';

/** The tag the ingest puts on an upload whose hash or size does not match; such an object carries no tier-schedule and stays in STANDARD. */
export const QUARANTINE_TAG = { key: 'quarantine', value: 'true' } as const;

/**
 * Object Lock mode of originals, packages and anchors: COMPLIANCE. D7 (docs/rules.md) forbids deleting or
 * altering an original recording; a COMPLIANCE retention cannot be shortened or removed by anyone,
 * the account root included, so no stolen credential and no later code change can destroy evidence
 * before its period ends. The price: a date, once set, cannot be taken back, so the code sets only
 * dates the retention decision already guarantees (`atLeastUntil`), extends them as the decision
 * grows, and uses a legal hold (removable, and only by the roles granted s3:PutObjectLegalHold) for
 * anything open-ended (a D4 hold, a pending case, a permanent item); and the disposition has to wait
 * until the date passes. GOVERNANCE would let a role holding s3:BypassGovernanceRetention shorten or
 * delete: that permission is granted to nobody (infra/aws/access.ts), but COMPLIANCE does not depend
 * on an IAM policy staying that way. The bucket has no default retention (infra/aws/evidence-store.ts).
 */
export const OBJECT_LOCK_MODE = 'COMPLIANCE' as const;

/** The colder storage classes lifecycle rules move objects to (S3 API names). */
export type ColdStorageClass = 'GLACIER_IR' | 'DEEP_ARCHIVE';

/**
 * Minimum storage durations S3 bills (days): an object deleted, overwritten or moved on earlier is
 * charged for the rest of the period. A transition does not end the period of the class it leaves
 * early either: moving from GLACIER_IR to DEEP_ARCHIVE within 90 days is billed as GLACIER_IR up to 90.
 */
export const MINIMUM_STORAGE_DAYS: Readonly<Record<ColdStorageClass, number>> = { GLACIER_IR: 90, DEEP_ARCHIVE: 180 };

/** When an original moves, in days after the object was created; a missing step never happens. */
export interface TierSchedule {
  glacierIrAfterDays?: number | undefined;
  deepArchiveAfterDays?: number | undefined;
}

/** Days after creation at which the schedules may move an original to GLACIER_IR / DEEP_ARCHIVE. */
export const GLACIER_IR_DAYS = [30, 90] as const;
export const DEEP_ARCHIVE_DAYS = [180, 365, 730] as const;

/** The tag value of a schedule: `standard-only`, `ir-30`, `ir-90-deep-730`, … */
export const tierScheduleName = (s: TierSchedule): string => {
  if (s.glacierIrAfterDays === undefined && s.deepArchiveAfterDays === undefined) return 'standard-only';
  if (s.glacierIrAfterDays === undefined) return `deep-${s.deepArchiveAfterDays}`;
  return s.deepArchiveAfterDays === undefined ? `ir-${s.glacierIrAfterDays}` : `ir-${s.glacierIrAfterDays}-deep-${s.deepArchiveAfterDays}`;
};

/**
 * Every schedule an original may be tagged with: STANDARD only; GLACIER_IR after 30 or 90 days and
 * never DEEP_ARCHIVE (items under a legal hold, in an open or unlinked case, or kept too briefly for
 * DEEP_ARCHIVE's 180-day minimum); or GLACIER_IR after 30 or 90 days, then DEEP_ARCHIVE after 180,
 * 365 or 730 days. What each costs: docs/storage-cost-model.md.
 */
export const TIER_SCHEDULES: Readonly<Record<string, TierSchedule>> = Object.fromEntries(
  [{}, ...GLACIER_IR_DAYS.map((ir) => ({ glacierIrAfterDays: ir })), ...GLACIER_IR_DAYS.flatMap((ir) => DEEP_ARCHIVE_DAYS.map((deep) => ({ glacierIrAfterDays: ir, deepArchiveAfterDays: deep })))].map(
    (s: TierSchedule) => [tierScheduleName(s), s],
  ),
);

/** One lifecycle rule: objects under `prefix` carrying `tag` move to each storage class `afterDays` after creation. */
export interface TierRule {
  id: string;
  prefix: EvidencePrefix;
  tag?: { key: string; value: string } | undefined;
  transitions: { storageClass: ColdStorageClass; afterDays: number }[];
}

/**
 * BagIt packages go to GLACIER_IR a week after they are written: they are the preservation copy and
 * also what is exported to a court or an archives office (presigned GETs of every bag file,
 * shared/evidence/job-records.ts exportPackage), which DEEP_ARCHIVE would turn into an hours-long restore.
 * GLACIER_IR reads at once for ~17% of STANDARD's price. The week leaves time to read a freshly
 * written package back cheaply if the preservation job finds it faulty.
 */
export const PACKAGES_GLACIER_IR_AFTER_DAYS = 7;

const transitionsOf = (s: TierSchedule): TierRule['transitions'] => [
  ...(s.glacierIrAfterDays !== undefined ? [{ storageClass: 'GLACIER_IR' as const, afterDays: s.glacierIrAfterDays }] : []),
  ...(s.deepArchiveAfterDays !== undefined ? [{ storageClass: 'DEEP_ARCHIVE' as const, afterDays: s.deepArchiveAfterDays }] : []),
];

/**
 * The lifecycle rules of the evidence bucket besides the abort of incomplete multipart uploads:
 * one per tier schedule that moves anything (`standard-only` needs no rule), on originals only,
 * plus packages to GLACIER_IR. Derived copies (played back often) and anchors (tiny; DEEP_ARCHIVE
 * adds 40 KB of billed overhead per object) stay in STANDARD.
 */
export const TIER_RULES: readonly TierRule[] = [
  ...Object.entries(TIER_SCHEDULES)
    .filter(([, s]) => transitionsOf(s).length > 0)
    .map(([value, s]) => ({ id: `originals-${value}`, prefix: EVIDENCE_PREFIXES.originals, tag: { key: TIER_SCHEDULE_TAG, value }, transitions: transitionsOf(s) })),
  { id: 'packages-to-glacier-ir', prefix: EVIDENCE_PREFIXES.packages, transitions: [{ storageClass: 'GLACIER_IR', afterDays: PACKAGES_GLACIER_IR_AFTER_DAYS }] },
];

/**
 * Noncurrent versions of derived copies (a copy rendered again over the same key) are removed after
 * this many days. Only `derived/`: a noncurrent version under `evidence/` may be the very original
 * the record points to (an upload over its key makes it noncurrent), so nothing expires there, and
 * packages and anchors are write-once records.
 */
export const DERIVED_NONCURRENT_EXPIRE_DAYS = 30;

/**
 * The schedule tag for an original, given the plan the retention decision wants (the domain's
 * storage-tier table for the item's class) and how long the item will certainly still be kept:
 * GLACIER_IR only if the item stays there at least its 90-day minimum, DEEP_ARCHIVE only if allowed
 * (no legal hold, no pending case) and the item stays there at least 180 days. `keptDays` = days
 * from the object's creation to the earliest day it could be disposed of; null = no end yet
 * (permanent, or the end is still pending). Throws if the result has no lifecycle rule.
 */
export const tierScheduleFor = (plan: { glacierIrAfterDays: number; deepArchiveAfterDays: number }, opts: { keptDays: number | null; deepArchiveAllowed: boolean }): string => {
  const stays = (afterDays: number, tier: ColdStorageClass) => opts.keptDays === null || opts.keptDays - afterDays >= MINIMUM_STORAGE_DAYS[tier];
  const ir = stays(plan.glacierIrAfterDays, 'GLACIER_IR') ? plan.glacierIrAfterDays : undefined;
  const deep = opts.deepArchiveAllowed && stays(plan.deepArchiveAfterDays, 'DEEP_ARCHIVE') ? plan.deepArchiveAfterDays : undefined;
  const name = tierScheduleName({ glacierIrAfterDays: ir, deepArchiveAfterDays: ir === undefined ? undefined : deep });
  if (!(name in TIER_SCHEDULES)) throw new RangeError(`no lifecycle rule for tier schedule "${name}" (shared/evidence/tiers.ts TIER_SCHEDULES)`);
  return name;
};

// ---------------------------------------------------------------------------------------------
// Storage cost model (docs/storage-cost-model.md): the doc's figures are this function's output.

/** Prices in one currency; per GB-month for storage, per 1,000 requests, per 10,000 tags per month. */
export interface StoragePrices {
  currency: string;
  source: string;
  standardPerGbMonth: number;
  glacierIrPerGbMonth: number;
  deepArchivePerGbMonth: number;
  /** PUT, COPY, POST, LIST into S3 Standard: each multipart CreateMultipartUpload, UploadPart, CompleteMultipartUpload */
  putPer1000: number;
  /** lifecycle transition requests into the class */
  transitionToGlacierIrPer1000: number;
  transitionToDeepArchivePer1000: number;
  taggingPer10000TagsMonth: number;
}

/**
 * S3 list prices of us-east-1 (first 50 TB tier), from https://aws.amazon.com/s3/pricing/ as last
 * checked for this model (2025). Other regions differ; aws-cn bills in CNY from
 * https://www.amazonaws.cn/en/s3/pricing/ — pass those prices instead.
 */
export const US_EAST_1_PRICES: StoragePrices = {
  currency: 'USD',
  source: 'https://aws.amazon.com/s3/pricing/ (us-east-1, first 50 TB/month; checked 2025)',
  standardPerGbMonth: 0.023,
  glacierIrPerGbMonth: 0.004,
  deepArchivePerGbMonth: 0.00099,
  putPer1000: 0.005,
  transitionToGlacierIrPer1000: 0.02,
  transitionToDeepArchivePer1000: 0.05,
  taggingPer10000TagsMonth: 0.01,
};

/** S3 bills storage per GB-month; a month here is a twelfth of a 365-day year. */
export const DAYS_PER_MONTH = 365 / 12;
/** Per object in DEEP_ARCHIVE, S3 bills 8 KB at the STANDARD price and 32 KB at the DEEP_ARCHIVE price (index and metadata). */
export const DEEP_ARCHIVE_OVERHEAD_KB = { standard: 8, deepArchive: 32 } as const;

export interface CostScenario {
  /** footage stored, in GB (1 TB = 1024 GB) */
  gigabytes: number;
  /** how long it is kept, in months */
  months: number;
  /** average object size in MB (MiB); body-camera clips ≈ 500 */
  averageObjectMb: number;
  /** multipart part size in MB (shared/evidence/model.ts partPlan: 16 MiB at least); objects up to one part go as one PUT */
  partMb: number;
  /** tags per object (retention-class, tier-schedule, evidence) */
  tagsPerObject: number;
  schedule: TierSchedule;
  /** deleted at the end of `months` (a minimum storage duration not yet met is then billed) */
  deletedAtEnd?: boolean | undefined;
}

export interface CostBreakdown {
  objects: number;
  storage: { standard: number; glacierIr: number; deepArchive: number; deepArchiveOverhead: number };
  requests: { uploads: number; transitions: number; tagging: number };
  earlyDeletion: number;
  total: number;
}

/**
 * What keeping `gigabytes` of footage for `months` costs under a tier schedule: storage per class
 * (days in each class × price ÷ DAYS_PER_MONTH), the DEEP_ARCHIVE per-object overhead, the upload
 * requests (multipart: create + parts + complete), one transition request per object per move, tag
 * storage, and early-deletion charges when the objects are deleted before a minimum duration ends.
 * Retrievals and reads are not included (docs/storage-cost-model.md prices them separately).
 */
export const storageCost = (scenario: CostScenario, prices: StoragePrices = US_EAST_1_PRICES): CostBreakdown => {
  const { gigabytes: gb, months, averageObjectMb, partMb, tagsPerObject, schedule } = scenario;
  if (!(gb >= 0 && months >= 0 && averageObjectMb > 0 && partMb > 0 && tagsPerObject >= 0)) throw new RangeError('storageCost: sizes and durations must be positive');
  const horizon = months * DAYS_PER_MONTH;
  const objects = (gb * 1024) / averageObjectMb;
  const ir = schedule.glacierIrAfterDays;
  const deep = schedule.deepArchiveAfterDays;
  if (ir !== undefined && deep !== undefined && deep <= ir) throw new RangeError('storageCost: DEEP_ARCHIVE must come after GLACIER_IR');
  const clip = (d: number | undefined) => (d === undefined ? horizon : Math.min(d, horizon));
  const standardDays = Math.min(clip(ir), clip(deep));
  const irDays = ir === undefined || ir >= horizon ? 0 : clip(deep) - ir;
  const deepDays = deep === undefined || deep >= horizon ? 0 : horizon - deep;
  const perMonth = (days: number, price: number) => (gb * price * days) / DAYS_PER_MONTH;
  const kbToGb = (kb: number) => kb / 1024 / 1024;
  const storage = {
    standard: perMonth(standardDays, prices.standardPerGbMonth),
    glacierIr: perMonth(irDays, prices.glacierIrPerGbMonth),
    deepArchive: perMonth(deepDays, prices.deepArchivePerGbMonth),
    deepArchiveOverhead:
      (objects * deepDays * (kbToGb(DEEP_ARCHIVE_OVERHEAD_KB.standard) * prices.standardPerGbMonth + kbToGb(DEEP_ARCHIVE_OVERHEAD_KB.deepArchive) * prices.deepArchivePerGbMonth)) / DAYS_PER_MONTH,
  };
  const uploadRequests = averageObjectMb <= partMb ? 1 : Math.ceil(averageObjectMb / partMb) + 2;
  const requests = {
    uploads: (objects * uploadRequests * prices.putPer1000) / 1000,
    transitions: (objects * ((irDays > 0 ? prices.transitionToGlacierIrPer1000 : 0) + (deepDays > 0 ? prices.transitionToDeepArchivePer1000 : 0))) / 1000,
    tagging: (objects * tagsPerObject * months * prices.taggingPer10000TagsMonth) / 10_000,
  };
  // the class an object ends in, if it is deleted then, bills the rest of its minimum duration
  let earlyDeletion = 0;
  if (scenario.deletedAtEnd) {
    if (deepDays > 0) earlyDeletion = perMonth(Math.max(0, MINIMUM_STORAGE_DAYS.DEEP_ARCHIVE - deepDays), prices.deepArchivePerGbMonth);
    else if (irDays > 0) earlyDeletion = perMonth(Math.max(0, MINIMUM_STORAGE_DAYS.GLACIER_IR - irDays), prices.glacierIrPerGbMonth);
  }
  // leaving GLACIER_IR for DEEP_ARCHIVE before 90 days bills the rest of the 90 as GLACIER_IR
  if (irDays > 0 && deepDays > 0 && irDays < MINIMUM_STORAGE_DAYS.GLACIER_IR) earlyDeletion += perMonth(MINIMUM_STORAGE_DAYS.GLACIER_IR - irDays, prices.glacierIrPerGbMonth);
  const total = storage.standard + storage.glacierIr + storage.deepArchive + storage.deepArchiveOverhead + requests.uploads + requests.transitions + requests.tagging + earlyDeletion;
  return { objects, storage, requests, earlyDeletion, total };
};

/** The model's scenario for 1 TB of 500 MB body-camera clips kept 3 years (docs/storage-cost-model.md). */
export const BODY_CAMERA_TB_3_YEARS: Omit<CostScenario, 'schedule'> = { gigabytes: 1024, months: 36, averageObjectMb: 500, partMb: 16, tagsPerObject: 3 };
