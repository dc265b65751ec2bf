import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { systemPrincipal } from '../access/principal.ts';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { audit, type AuditContext, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import type { AuditDraft } from '../audit/record.ts';
import { addCalendarDays } from '../calendar/calendar.ts';
import { shanghaiDate, systemClock } from '../kernel/clock.ts';
import type { DomainError } from '../kernel/errors.ts';
import type { EvidenceItem } from './model.ts';

/**
 * The scheduled evidence jobs, run nightly by EventBridge Scheduler through
 * functions/jobs/evidence.ts (and by the embedded platform's local scheduler), and what they share:
 *
 * 1. retentionSweep (retention-sweep.ts) — proposes the disposition of every original whose
 *    retention has ended (D3, the gsi2 expiry buckets), then carries out the dispositions two
 *    distinct people approved (custody.ts destroy: the one code path that deletes an original; S3
 *    Object Lock still has the last word and a refusal is audited, never forced).
 * 2. fixity (fixity.ts) — today's rota bucket (model.ts fixityBucketOf): every original re-hashed by
 *    version, SHA-256 and SM3, once a year; a mismatch flags the record and alerts.
 * 3. preservation (packaging.ts) — every closed case becomes one RFC 8493 BagIt bag under
 *    `packages/` (case form, originals streamed by version, audit trail, PREMIS events), validated
 *    and checked for the four properties (四性检测) at the filing stage, recorded so it is packaged once.
 * 4. spotCheck (spot-check.ts) — the D8 daily draw into the spot-check ledger, deterministic from the date.
 * 5. anchorAudit (audit-anchoring.ts, the anchoring itself in shared/audit/anchor.ts) — every audit
 *    chain head of every agency, written once a day to write-once storage (docs/security.md §3 "Anchoring").
 *
 * What people read of their records (packages, the ledger, fixity history) is job-records.ts.
 * Every job is idempotent: EventBridge Scheduler and Lambda's asynchronous retries may run it
 * twice. Every change goes through the one writer (commit.ts) with its audit record; every read of
 * an original's bytes is audited first.
 */

export const EVIDENCE_JOBS = ['retentionSweep', 'fixity', 'preservation', 'spotCheck', 'anchorAudit'] as const;
export type EvidenceJob = (typeof EVIDENCE_JOBS)[number];

/** Every job acts as the evidence jobs' system actor, for the agency concerned; the request id names the job. */
export const jobContext = (agencyId: string, job: EvidenceJob): AuditContext => ({
  principal: systemPrincipal('evidence-jobs', agencyId),
  source: { requestId: `evidence-jobs:${job}` },
});
export const today = () => shanghaiDate(systemClock.now());
export const yesterday = () => addCalendarDays(today(), -1);
export const auditObject = (e: Pick<EvidenceItem, 'evidenceId' | 'agencyId'>) => ({ objectType: 'evidence' as const, objectId: e.evidenceId, objectAgencyId: e.agencyId });
/** a write of an immutable item (never overwritten) */
export const putNew = (Item: Record<string, unknown>, onConditionFailed?: () => DomainError): DomainWrite => ({
  item: { Put: { TableName: tableName(), Item: JSON.parse(JSON.stringify(Item)) as Record<string, unknown>, ConditionExpression: 'attribute_not_exists(pk)' } },
  ...(onConditionFailed ? { onConditionFailed } : {}),
});
/** one item, read consistently */
export const getItem = async (key: { pk: string; sk: string }) => (await documentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
export const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** the jobs function runs 15 minutes at most (infra/aws/evidence-jobs.ts): stop starting work before that */
export const JOB_BUDGET_MS = 12 * 60_000;

/** Audit drafts in chunks that fit one transaction (100 items: the drafts, the head, the domain writes). */
export const auditInChunks = async (ctx: AuditContext, drafts: AuditDraft[]) => {
  for (let i = 0; i < drafts.length; i += 40) await audit(ctx, drafts.slice(i, i + 40));
};
