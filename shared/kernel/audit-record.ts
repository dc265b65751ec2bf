import { chainHash, walkChain } from './hash.ts';

/**
 * An audit record (docs/security.md §3): who did what to which record, when, from where, why, with
 * what outcome. Append-only and hash-chained; no code path updates or deletes one. Its shape and
 * hash are the kernel's because the one writer (shared/adapters/dynamodb/commit.ts) builds every
 * record and the audit area reads, verifies and anchors them: both sit above this module.
 */
export const AUDIT_OUTCOMES = ['allowed', 'denied', 'notFound', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditDraft {
  action: string;
  objectType: 'file' | 'entry' | 'grant' | 'rule' | 'officer' | 'agency' | 'attachment' | 'qualification' | 'audit' | 'process' | 'notification' | 'calendar' | 'case' | 'evidence';
  objectId: string;
  /** the agency that holds the record; its chain receives the record */
  objectAgencyId?: string | undefined;
  outcome: AuditOutcome;
  /** the authorisation basis (self, deptHead, agency:legal, grant:…) */
  basis?: string | undefined;
  /** required for grant-based reads (D6/A8): why the record was looked at */
  purpose?: string | undefined;
  reason?: string | undefined;
}

export type AuditObjectType = AuditDraft['objectType'];

/** What an access check establishes about the object of a request, for the request's audit record. */
export type AuditFacts = Partial<Pick<AuditDraft, 'objectAgencyId' | 'basis' | 'purpose' | 'reason'>>;

export interface AuditActor {
  userId: string;
  agencyId: string;
  roles: string[];
}

export interface AuditRecord extends AuditDraft {
  id: string;
  at: string;
  actor: AuditActor;
  source: { ip?: string | undefined; userAgent?: string | undefined; requestId?: string | undefined };
  chainId: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export type AuditBody = Omit<AuditRecord, 'hash'>;

export const hashAudit = (body: AuditBody): string => chainHash(body.prevHash, body);

/** Verify one chain given its records in seq order. Pure, used by the API, the CLI and tests. */
export const verifyAuditChain = (records: readonly AuditRecord[]) => {
  const { problems, headHash } = walkChain<AuditRecord>(records, hashAudit);
  return { ok: problems.length === 0, count: records.length, problems, headHash };
};
