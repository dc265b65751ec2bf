import { Collapse, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { DraftEntry } from '../api/views';
import { formatDate, formatDateTime } from '../ui/format';
import { CATEGORY_LABELS, ENTRY_STATE_COLORS, ENTRY_STATE_LABELS, entryTypeLabel } from '../ui/labels';
import { EntryContent, WorkflowHistory } from './EntryContent';

/** An entry in the recording workflow as a queue shows it: who, what, its content and history, and the actions. */
export const DraftCard = ({ draft, officerName, actions }: { draft: DraftEntry; officerName: string; actions: ReactNode }) => (
  <article className="ea-draft" aria-label={`${officerName}：${draft.title}`}>
    <div className="ea-row">
      <div className="ea-row-main">
        <div className="ea-row-title">
          {draft.title} <Tag color={ENTRY_STATE_COLORS[draft.state]}>{ENTRY_STATE_LABELS[draft.state]}</Tag>
          {draft.conclusive ? <Tag color="gold">结论性材料</Tag> : null}
        </div>
        <div className="ea-row-desc">
          {officerName} · {entryTypeLabel(draft.type)}（{CATEGORY_LABELS[draft.category] ?? draft.category}）· 发生于 {formatDate(draft.occurredOn)} · 提交于 {formatDateTime(draft.updatedAt)}
        </div>
      </div>
      <div className="ea-row-actions">{actions}</div>
    </div>
    <Collapse
      ghost
      size="small"
      items={[
        {
          key: 'detail',
          label: '内容与记录过程',
          children: (
            <>
              {draft.summary ? <Typography.Paragraph>{draft.summary}</Typography.Paragraph> : null}
              <EntryContent content={draft.content} />
              <div style={{ marginTop: 16 }}>
                <WorkflowHistory history={draft.history} />
              </div>
            </>
          ),
        },
      ]}
    />
  </article>
);
