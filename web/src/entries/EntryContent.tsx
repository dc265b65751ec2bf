import { Descriptions, Timeline } from 'antd';
import type { WorkflowEvent } from '../api/views';
import { formatDate, formatDateTime } from '../ui/format';
import { label, ROLE_LABELS, WORKFLOW_EVENT_LABELS } from '../ui/labels';

/**
 * An entry's content (A3: each type has its own fields) and its recording history (A6). Field
 * names are shown in Chinese where known; nested objects (a case reference, a decision) are
 * flattened one level.
 */
const FIELD_LABELS: Record<string, string> = {
  course: '培训课程',
  hours: '学时',
  result: '结果',
  case: '案件',
  caseNumber: '案号',
  role: '承办角色',
  kind: '类别',
  period: '期间',
  grade: '等次',
  explanation: '说明',
  findings: '发现问题',
  inspectionKind: '检查方式',
  signedByInspected: '被检查人签字确认',
  level: '级别',
  decision: '决定',
  documentNumber: '文号',
  decidedOn: '决定日期',
  decidedBy: '决定机关',
  class: '等级',
  matter: '事项',
  conclusion: '结论',
  body: '内容',
  score: '得分',
  reviewKind: '评查方式',
  post: '岗位',
  duties: '岗位职责',
  organisation: '单位',
  position: '职务',
  certificateNumber: '执法证号',
  certificateType: '证件类型',
  event: '事项',
  basis: '依据',
  agencyId: '机关',
  unitId: '部门',
  reason: '原因',
};
const VALUE_LABELS: Record<string, Record<string, string>> = {
  result: { passed: '合格', failed: '不合格', attended: '参加' },
  role: { lead: '主办', assist: '协办', review: '审核', approve: '审批' },
  inspectionKind: { random: '双随机抽查', routine: '日常检查', special: '专项检查' },
  reviewKind: { cross: '交叉评查', self: '自查', superior: '上级评查' },
  class: { first: '一等功', second: '二等功', third: '三等功' },
  grade: { qualified: '合格', excellent: '优秀', unqualified: '不合格' },
};

const show = (key: string, v: unknown): string => {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v) : (VALUE_LABELS[key]?.[v] ?? v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map((x) => show(key, x)).join('、');
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${FIELD_LABELS[k] ?? k}：${show(k, x)}`)
    .join('；');
};

export const EntryContent = ({ content }: { content: Record<string, unknown> }) => (
  <Descriptions size="small" column={1} bordered items={Object.entries(content).map(([k, v]) => ({ key: k, label: FIELD_LABELS[k] ?? k, children: show(k, v) }))} />
);

export const WorkflowHistory = ({ history }: { history: WorkflowEvent[] }) => (
  <Timeline
    items={history.map((h, i) => ({
      key: `${h.at}-${i}`,
      color: h.event === 'reject' ? 'red' : h.event === 'archive' ? 'green' : 'blue',
      title: formatDateTime(h.at),
      content: (
        <span>
          <strong>{label(WORKFLOW_EVENT_LABELS, h.event)}</strong>　{h.by}
          {h.roles?.length ? `（${h.roles.map((r) => label(ROLE_LABELS, r)).join('、')}）` : ''}
          {h.comment ? (
            <div>
              {h.event === 'reject' ? '退回理由' : '意见'}：{h.comment}
            </div>
          ) : null}
        </span>
      ),
    }))}
  />
);
