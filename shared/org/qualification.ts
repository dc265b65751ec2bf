import { conflict, validationError } from '../kernel/errors.ts';
import type { RuleParameters } from '../rules/catalog.ts';

/** The enforcement certificate (执法证) and its life: E1 (who may hold one) and E2 (docs/rules.md). */
export type QualificationStatus = 'valid' | 'withdrawn' | 'suspended' | 'revoked';

export interface QualificationEvent {
  event: 'issued' | 'inspected' | 'withdrawn' | 'restored' | 'revoked';
  on: string;
  passed?: boolean;
  reason?: string;
  note?: string;
  by: string;
  ruleVersion: string;
}

export interface Qualification {
  qualificationId: string;
  officerId: string;
  certificateNumber: string;
  certificateType: string;
  issuedOn: string;
  issuedBy: string;
  status: QualificationStatus;
  withdrawalCount: number;
  lastInspectedOn?: string | undefined;
  revokedOn?: string | undefined;
  revokedReason?: string | undefined;
  events: QualificationEvent[];
  version: number;
}

/** E1: a certificate only after training and an exam, never to contract, temporary or seconded staff. */
export const checkIssuance = (input: { employment: string; trainingCompleted: boolean; examPassed: boolean }, e1: RuleParameters<'E1'>) => {
  const issues = [];
  if ((e1.excludedEmployment as string[]).includes(input.employment)) {
    issues.push({ path: 'body', message: '合同工、临时工、借调人员不得核发执法证（E1）' });
  }
  if (e1.trainingAndExamRequired && !input.trainingCompleted) issues.push({ path: 'body.trainingCompleted', message: '须经培训方可核发执法证（E1）' });
  if (e1.trainingAndExamRequired && !input.examPassed) issues.push({ path: 'body.examPassed', message: '须考试合格方可核发执法证（E1）' });
  if (issues.length) throw validationError('qualification.notEligible', '不符合执法证核发条件', issues);
};

type Input =
  | { event: 'inspected'; on: string; passed: boolean; note?: string | undefined }
  | { event: 'withdrawn'; on: string; reason: string }
  | { event: 'restored'; on: string; note?: string | undefined }
  | { event: 'revoked'; on: string; reason: string; note?: string | undefined };

/** E2: annual inspection; temporary withdrawal; revocation, automatic after N withdrawals. */
export const applyQualificationEvent = (q: Qualification, input: Input, e2: RuleParameters<'E2'>, by: string, ruleVersion: string): { next: Qualification; autoRevoked: boolean } => {
  if (q.status === 'revoked') throw conflict('qualification.revoked', '执法证已吊销，不能再登记事项');
  if (input.on < q.issuedOn) throw validationError('qualification.dateBeforeIssue', '日期早于发证日期', [{ path: 'body.on', message: '日期早于发证日期' }]);
  const ev: QualificationEvent = { ...input, by, ruleVersion } as QualificationEvent;
  const next: Qualification = { ...q, events: [...q.events, ev], version: q.version + 1 };
  let autoRevoked = false;
  switch (input.event) {
    case 'inspected':
      next.lastInspectedOn = input.on;
      // a failed annual inspection suspends enforcement until a passed one (E2)
      next.status = input.passed ? (q.status === 'withdrawn' ? 'withdrawn' : 'valid') : 'suspended';
      break;
    case 'withdrawn':
      if (q.status === 'withdrawn') throw conflict('qualification.alreadyWithdrawn', '执法证已被暂扣');
      next.withdrawalCount = q.withdrawalCount + 1;
      next.status = 'withdrawn';
      if (next.withdrawalCount >= e2.revokeAfterTemporaryWithdrawals) {
        // E2: revoked after N temporary withdrawals
        next.status = 'revoked';
        next.revokedOn = input.on;
        next.revokedReason = 'repeatedWithdrawal';
        autoRevoked = true;
      }
      break;
    case 'restored':
      if (q.status !== 'withdrawn') throw conflict('qualification.notWithdrawn', '执法证未被暂扣，无需发还');
      next.status = 'valid';
      break;
    case 'revoked':
      next.status = 'revoked';
      next.revokedOn = input.on;
      next.revokedReason = input.reason;
      break;
  }
  return { next, autoRevoked };
};

const addMonths = (date: string, months: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

/** May the holder act on `date`? Valid status and inspected within the E2 interval. */
export const isQualificationValidOn = (q: Qualification, date: string, e2: RuleParameters<'E2'>): boolean => {
  if (q.status !== 'valid' || date < q.issuedOn) return false;
  const since = q.lastInspectedOn ?? q.issuedOn;
  return date <= addMonths(since, e2.inspectionInterval.value);
};
