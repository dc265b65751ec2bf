import { Alert, Descriptions, Table, Tag, Typography } from 'antd';
import type { DueExplanation, ProcessClock } from '../../api/views';
import { formatDate, formatDateTime, formatDateWithWeekday, formatPeriod } from '../../ui/format';
import { label, SKIPPED_DAY_LABELS } from '../../ui/labels';

/**
 * Why a due date is what it is: the start (not counted), the period of the rule version, and every
 * day that was skipped with its reason (weekend, a holiday of the State Council notice, a local
 * closure), then each approved extension counted on from the previous due date.
 */
const skippedReason = (d: { kind: string; name?: string }) => `${label(SKIPPED_DAY_LABELS, d.kind)}${d.name ? `（${d.name}）` : ''}`;

const Computation = ({ e, caption }: { e: DueExplanation; caption: string }) => (
  <div style={{ marginBottom: 16 }}>
    <Typography.Paragraph style={{ marginBottom: 8 }}>
      {caption}：自 {formatDate(e.start)}（当日不计入）起算 {formatPeriod(e.period)}， 至 <strong>{formatDateWithWeekday(e.due)}</strong>
      {e.rolledFrom ? `（期限末日 ${formatDate(e.rolledFrom)} 为休息日，顺延至其后第一个工作日）` : ''}
      {e.skipped.length ? `，其间跳过 ${e.skipped.length} 个非工作日：` : '，其间没有非工作日。'}
    </Typography.Paragraph>
    {e.skipped.length ? (
      <Table
        size="small"
        pagination={false}
        rowKey="date"
        dataSource={e.skipped}
        columns={[
          { title: '跳过的日期', dataIndex: 'date', render: (d: string) => formatDateWithWeekday(d) },
          { title: '原因', key: 'why', render: (_: unknown, d) => skippedReason(d) },
        ]}
        scroll={{ y: 240 }}
      />
    ) : null}
    <Typography.Text type="secondary">
      依据的节假日安排版本：
      {Object.entries(e.calendarVersions)
        .map(([y, v]) => `${y}年第 ${v} 版`)
        .join('，') || '—'}
    </Typography.Text>
  </div>
);

const RUNG_LABELS: Record<string, string> = { remind: '到期提醒', chase: '逾期催办', report: '逾期通报' };

export const DueDateExplanation = ({ clock }: { clock: ProcessClock }) => (
  <div>
    {clock.provisional ? (
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="暂定期限" description="期限跨入国务院尚未公布节假日安排的年度，暂按周末推算；安排公布后将自动重算并通知承办人。" />
    ) : null}
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2 }}
      bordered
      style={{ marginBottom: 16 }}
      items={[
        { key: 'label', label: '期限', children: clock.label },
        { key: 'due', label: '到期日', children: <strong>{formatDateWithWeekday(clock.due)}</strong> },
        { key: 'rule', label: '依据规则', children: `${clock.rule.ruleId}（版本 ${clock.rule.versionId}）` },
        { key: 'period', label: '期限长度', children: clock.period ? formatPeriod(clock.period) : clock.setDue ? `由交办人指定（${clock.setDue.setBy}）` : '—' },
        {
          key: 'ladder',
          label: '提醒与催办',
          span: 2,
          children: (['remind', 'chase', 'report'] as const).map((r) => (
            <Tag key={r} color={clock.fired.includes(r) ? 'red' : 'default'}>
              {RUNG_LABELS[r]}：{formatDateTime(clock.checkpoints[r])}
              {clock.fired.includes(r) ? '（已发出）' : ''}
            </Tag>
          )),
        },
      ]}
    />
    {clock.base ? (
      <Computation e={clock.base} caption="原定期限" />
    ) : clock.setDue ? (
      <Typography.Paragraph>到期日由交办人指定为 {formatDateWithWeekday(clock.setDue.due)}。</Typography.Paragraph>
    ) : null}
    {clock.extensions.map((x, i) => (
      <div key={x.approvedAt}>
        <Typography.Paragraph style={{ marginBottom: 4 }}>
          <Tag color="blue">第 {i + 1} 次延期</Tag>延长 {formatPeriod(x.period)}，理由：{x.reason}；{x.approvedBy} 于 {formatDateTime(x.approvedAt)} 批准。
        </Typography.Paragraph>
        <Computation e={x.explanation} caption="延期后" />
      </div>
    ))}
  </div>
);
