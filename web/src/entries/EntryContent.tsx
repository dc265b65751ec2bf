import { Descriptions, Timeline } from 'antd';
import type { WorkflowEvent } from '../api/views';
import { formatDate, formatDateTime } from '../ui/format';
import { label, ROLE_LABELS, WORKFLOW_EVENT_LABELS } from '../ui/labels';
import { FIELD_LABELS, VALUE_LABELS } from './field-labels';

/**
 * An entry's content (A3: each type has its own fields) and its recording history (A6). Field
 * names are shown in Chinese where known (field-labels.ts); nested objects (a case reference, a decision) are
 * flattened one level.
 */
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
