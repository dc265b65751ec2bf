import type { CaseKind, CaseState, OfficerRole } from '../../api/case-views';

/** Chinese labels of the case codes (一案一表, A2); keyed by the generated types, so they stay complete. */
export const CASE_KIND_LABELS: Record<CaseKind, string> = {
  penalty: '行政处罚',
  licence: '行政许可',
  confirmation: '行政确认',
  levy: '行政征收',
  inspection: '行政检查',
  compulsion: '行政强制',
  benefit: '行政给付',
  other: '其他',
};

/** the stages in order: 立案 → 调查取证 → 告知 → 听证 → 法制审核 → 集体讨论 → 决定 → 送达 → 执行 → 结案 → 归档 */
export const CASE_STEP_LABELS: Record<CaseState, string> = {
  filed: '立案',
  investigation: '调查取证',
  notice: '告知',
  hearing: '听证',
  legalReview: '法制审核',
  collectiveDiscussion: '集体讨论',
  decision: '决定',
  service: '送达',
  execution: '执行',
  closed: '结案',
  archived: '归档',
};
export const CASE_STEPS = Object.keys(CASE_STEP_LABELS) as CaseState[];

export const OFFICER_ROLE_LABELS: Record<OfficerRole, string> = { lead: '主办', assist: '协办', review: '审核', approve: '批准' };

export const OBSTRUCTION_LABELS = { evasion: '逃避', refusal: '拒绝', obstruction: '阻挠', insult: '侮辱', assault: '殴打' } as const;
export const SERVICE_METHOD_LABELS = { direct: '直接送达', mail: '邮寄送达', lodged: '留置送达', public: '公告送达', electronic: '电子送达' } as const;

/** steps recorded more than once (several interviews, several services) */
const REPEATABLE: readonly CaseState[] = ['investigation', 'notice', 'service', 'execution'];

/**
 * The steps worth offering next (the API decides: an offered step may still be refused with the
 * API's own sentence). Recorded non-repeatable steps and everything after 结案/归档 are left out.
 */
export const offeredSteps = (done: readonly CaseState[]): Exclude<CaseState, 'filed'>[] => {
  if (done.includes('archived')) return [];
  if (done.includes('closed')) return ['archived'];
  return CASE_STEPS.filter((s): s is Exclude<CaseState, 'filed'> => s !== 'filed' && s !== 'archived' && (REPEATABLE.includes(s) || !done.includes(s)));
};
