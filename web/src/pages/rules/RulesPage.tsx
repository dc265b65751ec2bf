import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Flex, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { hasRole, useSession } from '../../auth/session';
import { DATE_INPUT_FORMAT, formatDate, shanghaiToday } from '../../ui/format';
import { EmptyState, QueryView } from '../../ui/states';
import { citationText, parameterLines } from './format-parameters';
import './rules.css';
import { PublishYearDialog } from './PublishYearDialog';
import type { CalendarYearSummary, RuleVersion } from './rule-views';

/**
 * 规则与日历 (系统管理员): the rule versions in force for the agency on a chosen day, each with its
 * parameters and its citation (the regulation and article it comes from), every version of a rule
 * on demand; the official holiday calendar by year and, for the root agency's administrator,
 * publishing or correcting a year (the API recomputes every open clock the change moves).
 */
const RulesPage = () => {
  const user = useSession()!.user;
  const [on, setOn] = useState<Dayjs>(dayjs(shanghaiToday()));
  const [publishing, setPublishing] = useState(false);
  const day = on.format('YYYY-MM-DD');
  const rules = useQuery({ queryKey: ['rules', day], queryFn: () => call<{ on: string; items: RuleVersion[] }>(api().GET('/rules', { params: { query: { on: day } } })) });
  const years = useQuery({ queryKey: ['calendar', 'years'], queryFn: () => call<{ items: CalendarYearSummary[] }>(api().GET('/calendar/years')) });
  const jurisdiction = (j: string) => (j === 'default' ? <Tag>产品默认</Tag> : j === user.agencyId ? <Tag color="blue">本机关</Tag> : <Tag color="purple">上级机关</Tag>);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} className="ea-page-title">
        规则与日历
      </Typography.Title>
      <Card
        title="现行规则版本"
        extra={
          <Flex gap={8} align="center">
            <label htmlFor="rules-on">适用日期</label>
            <DatePicker id="rules-on" allowClear={false} format={DATE_INPUT_FORMAT} value={on} onChange={(d) => d && setOn(d)} />
          </Flex>
        }
      >
        <QueryView query={rules} isEmpty={(d) => d.items.length === 0} empty={<EmptyState description="没有规则" />}>
          {(d) => (
            <section aria-label="规则版本">
              <Table<RuleVersion>
                rowKey="ruleId"
                size="small"
                pagination={false}
                dataSource={d.items}
                expandable={{ expandedRowRender: (r) => <RuleVersions ruleId={r.ruleId} jurisdiction={jurisdiction} />, expandRowByClick: false }}
                columns={[
                  { title: '规则', dataIndex: 'ruleId', width: 70 },
                  { title: '名称', dataIndex: 'title' },
                  {
                    title: '版本',
                    dataIndex: 'versionId',
                    render: (v: string, r) => (
                      <Flex vertical gap={2}>
                        <span>{v}</span>
                        {jurisdiction(r.jurisdiction)}
                      </Flex>
                    ),
                  },
                  { title: '生效期间', render: (_, r) => `${formatDate(r.effectiveFrom)} 起${r.effectiveTo ? `，${formatDate(r.effectiveTo)} 止` : ''}` },
                  {
                    title: '参数',
                    dataIndex: 'parameters',
                    render: (p: Record<string, unknown>) => (
                      <ul className="ea-params">
                        {parameterLines(p).map((l) => (
                          <li key={l}>{l}</li>
                        ))}
                      </ul>
                    ),
                  },
                  {
                    title: '依据',
                    dataIndex: 'source',
                    render: (s: RuleVersion['source'], r) => (
                      <span>
                        {citationText(s)}
                        {r.note ? <div className="ea-rule-note">{r.note}</div> : null}
                      </span>
                    ),
                  },
                ]}
              />
            </section>
          )}
        </QueryView>
      </Card>
      <Card
        title="节假日安排（国务院办公厅通知）"
        extra={
          hasRole(user, 'sysAdmin') ? (
            <Button type="primary" onClick={() => setPublishing(true)}>
              发布节假日安排
            </Button>
          ) : null
        }
      >
        <QueryView query={years} isEmpty={(d) => d.items.length === 0} empty={<EmptyState description="尚未公布任何年度的节假日安排" />}>
          {(d) => (
            <section aria-label="已公布的年度">
              <Table<CalendarYearSummary>
                rowKey="year"
                size="small"
                pagination={false}
                dataSource={d.items}
                columns={[
                  { title: '年度', dataIndex: 'year', render: (y: number) => `${y} 年` },
                  { title: '通知', render: (_, y) => `${y.notice.title}（${y.notice.number}）` },
                  { title: '发布日期', render: (_, y) => formatDate(y.notice.publishedOn) },
                  { title: '版本', dataIndex: 'version', render: (v: number) => (v === 0 ? '随产品提供' : `第 ${v} 版`) },
                ]}
              />
            </section>
          )}
        </QueryView>
      </Card>
      <PublishYearDialog open={publishing} onClose={() => setPublishing(false)} />
    </Flex>
  );
};
export default RulesPage;

const RuleVersions = ({ ruleId, jurisdiction }: { ruleId: string; jurisdiction: (j: string) => React.ReactNode }) => {
  const q = useQuery({
    queryKey: ['rules', ruleId, 'versions'],
    queryFn: () => call<{ items: RuleVersion[] }>(api().GET('/rules/{ruleId}/versions', { params: { path: { ruleId: ruleId as never } } })),
  });
  return (
    <QueryView query={q} isEmpty={(d) => d.items.length === 0}>
      {(d) => (
        <section aria-label={`${ruleId} 的全部版本`}>
          <Table<RuleVersion>
            rowKey="versionId"
            size="small"
            pagination={false}
            dataSource={d.items}
            columns={[
              { title: '版本', dataIndex: 'versionId' },
              { title: '适用', dataIndex: 'jurisdiction', render: jurisdiction },
              { title: '生效期间', render: (_, r) => `${formatDate(r.effectiveFrom)} 起${r.effectiveTo ? `，${formatDate(r.effectiveTo)} 止` : ''}` },
              { title: '参数', dataIndex: 'parameters', render: (p: Record<string, unknown>) => parameterLines(p).join('；') },
              { title: '依据', dataIndex: 'source', render: (s: RuleVersion['source']) => citationText(s) },
            ]}
          />
        </section>
      )}
    </QueryView>
  );
};
