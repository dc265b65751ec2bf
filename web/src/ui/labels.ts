import type { EntryCategory, EntryState, EntryType, ProcessKind } from '../api/views';

/**
 * Chinese labels of the API's codes. Maps keyed by a type generated from the route contracts
 * (EntryType, EntryCategory, …) must stay complete: adding a value to a contract without a label
 * here fails the console's type check. Codes without a generated type fall back to the code.
 */
export const CATEGORY_LABELS: Record<EntryCategory, string> = {
  basic: '基本情况',
  work: '执法工作',
  special: '专项工作',
  assessment: '考核结果',
  rewardPunishment: '奖惩情况',
  custody: '档案保管',
};

/** A3 entry types */
export const ENTRY_TYPE_LABELS: Record<EntryType, string> = {
  resume: '个人简历',
  qualification: '执法资格',
  postDuty: '岗位职责',
  training: '培训情况',
  caseHandled: '办理案件',
  caseQualityReview: '案卷评查',
  caseResultChanged: '执法决定被依法变更或撤销',
  inspection: '执法检查',
  covertVisit: '明察暗访',
  substantiatedComplaint: '有效投诉',
  investigationResult: '调查结果',
  workSummary: '工作总结',
  innovation: '执法创新',
  campaign: '专项行动',
  petition: '涉法涉诉信访',
  supervisedCase: '督办交办案件',
  stabilityMatter: '重大维稳事项',
  assessmentResult: '考核结果',
  commendation: '表彰嘉奖',
  merit: '记功',
  promotion: '晋职晋级',
  wrongfulCaseFinding: '错案认定',
  faultFinding: '执法过错认定',
  accountability: '责任追究',
  sanction: '纪律处分',
  stateCompensationRecovery: '国家赔偿追偿',
};
const SYSTEM_ENTRY_LABELS: Record<string, string> = { fileOpened: '建立执法档案', transferredIn: '档案转入', transferredOut: '档案转出', leftEnforcement: '离开执法岗位' };
export const entryTypeLabel = (t: string) => (ENTRY_TYPE_LABELS as Record<string, string>)[t] ?? SYSTEM_ENTRY_LABELS[t] ?? t;

export const ENTRY_STATE_LABELS: Record<EntryState, string> = {
  draft: '草稿',
  underReview: '待审核',
  approved: '已审核待录入',
  notified: '待本人知悉',
  acknowledged: '本人已知悉待录入',
  archived: '已录入档案',
  rejected: '已退回',
};
export const ENTRY_STATE_COLORS: Record<EntryState, string> = {
  draft: 'default',
  underReview: 'processing',
  approved: 'cyan',
  notified: 'warning',
  acknowledged: 'cyan',
  archived: 'success',
  rejected: 'error',
};

export const WORKFLOW_EVENT_LABELS: Record<string, string> = {
  draft: '起草',
  edit: '修改',
  submit: '提交审核',
  approve: '审核通过',
  reject: '退回',
  notify: '告知本人',
  acknowledge: '本人知悉',
  archive: '录入档案',
  handover: '移交',
};

export const PROCESS_KIND_LABELS: Record<ProcessKind, string> = {
  'legal-review': '重大执法决定法制审核',
  complaint: '投诉举报',
  'fault-investigation': '执法过错责任追究',
  'supervised-case': '督办交办案件',
  filing: '备案与报告',
};

export const PROCESS_STATE_LABELS: Record<string, string> = {
  registered: '已登记',
  received: '已收件',
  underReview: '审核中',
  handling: '办理中',
  assigned: '已交办',
  investigating: '调查中',
  collectiveDiscussion: '待集体讨论',
  collectivelyDecided: '已集体讨论',
  replying: '待答复',
  serving: '待送达',
  pending: '待备案',
  filed: '已备案',
  reported: '已报告',
  reexamination: '复查中',
  transferred: '已移送',
  closed: '已办结',
};

export const PROCESS_EVENT_LABELS: Record<string, string> = {
  opened: '发起',
  accepted: '受理',
  assigned: '交办',
  reviewAccepted: '法制审核受理',
  reviewDecided: '审核意见',
  resubmitted: '补充材料后重新提交',
  collectivelyDecided: '集体讨论决定',
  decided: '作出决定',
  extensionRequested: '申请延期',
  extensionApproved: '批准延期',
  extensionRefused: '不予延期',
  completed: '办结',
  complainantTold: '答复投诉人',
  disputed: '提出异议',
  closedUnsubstantiated: '不予追责并结案',
  filed: '备案',
  reported: '报告',
  reexaminationRequested: '申请复查',
  reexaminationDecided: '复查决定',
  remind: '到期提醒',
  chase: '逾期催办',
  report: '逾期通报',
  clockRecomputed: '期限重算',
  clockRestarted: '期限重启',
  dueDateMoved: '期限变更',
};

export const SKIPPED_DAY_LABELS: Record<string, string> = { weekend: '周末休息日', holiday: '法定节假日', localClosure: '本机关停止办公' };

export const NOTIFICATION_KIND_LABELS: Record<string, string> = {
  remind: '到期提醒',
  chase: '逾期催办',
  report: '逾期通报',
  dueDateMoved: '期限变更',
  assigned: '交办',
  opened: '新事项',
  decided: '决定',
};

export const AUDIT_OUTCOME_LABELS: Record<string, string> = { allowed: '允许', denied: '拒绝', notFound: '不存在', failed: '失败' };

export const ROLE_LABELS: Record<string, string> = {
  officer: '执法人员',
  deptHead: '部门负责人',
  leadership: '机关领导',
  political: '政工部门',
  discipline: '纪检监察部门',
  legal: '法制部门',
  supervision: '执法监督部门',
  recorder: '档案记录员',
  personnel: '人事档案保管',
  sysAdmin: '系统管理员',
  secAdmin: '安全保密管理员',
  auditor: '安全审计员',
};

export const label = (map: Record<string, string>, code: string | undefined) => (code === undefined ? '—' : (map[code] ?? code));
