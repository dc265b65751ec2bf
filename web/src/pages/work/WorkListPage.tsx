import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Flex, Form, Segmented, Select, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useCursorList } from '../../api/paging';
import type { ProcessKind, ProcessSummary, Unit, WorkPage } from '../../api/views';
import { PATHS } from '../../app/paths';
import { hasRole, useSession } from '../../auth/session';
import { formatDateWithWeekday, shanghaiToday } from '../../ui/format';
import { label, PROCESS_KIND_LABELS, PROCESS_STATE_LABELS } from '../../ui/labels';
import { LoadMore } from '../../ui/LoadMore';
import { EmptyState, ErrorState, ListLoading } from '../../ui/states';

/**
 * 待办与期限: the 红黄牌 work list of the agency (leadership, supervision, legal, discipline) or of
 * the user's own department (department head) — open processes by due date, red when overdue,
 * yellow when near due (the rule version's warning window), each linking to its detail with the
 * explanation of its due date.
 */
type StatusFilter = 'open' | 'red' | 'yellow' | 'closed';
const AGENCY_READERS = ['leadership', 'supervision', 'legal', 'discipline'];
const PAGE_SIZE = 50;

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const dueNote = (p: ProcessSummary, today: string) => {
  if (!p.due || !p.open) return '';
  const d = daysBetween(today, p.due);
  return d < 0 ? `已逾期 ${-d} 天` : d === 0 ? '今日到期' : `距到期 ${d} 天（自然日）`;
};

const StatusBadge = ({ p }: { p: ProcessSummary }) =>
  p.status ? (
    <Badge
      color={p.status.color === 'red' ? '#b42318' : p.status.color === 'yellow' ? '#d48806' : '#2e7d32'}
      text={p.status.color === 'red' ? `红牌·${p.status.label}` : p.status.color === 'yellow' ? `黄牌·${p.status.label}` : p.status.label}
    />
  ) : (
    <Typography.Text type="secondary">{p.open ? '无期限' : '已办结'}</Typography.Text>
  );

const WorkListPage = () => {
  const session = useSession();
  const user = session!.user;
  const agencyWide = hasRole(user, ...AGENCY_READERS);
  const [status, setStatus] = useState<StatusFilter>('open');
  const [kind, setKind] = useState<ProcessKind>();
  const [unitId, setUnitId] = useState<string | undefined>(agencyWide ? undefined : user.unitId);
  const today = shanghaiToday();

  const units = useQuery({
    queryKey: ['agency', user.agencyId, 'units'],
    queryFn: () => call<{ items: Unit[] }>(api().GET('/agencies/{agencyId}/units', { params: { path: { agencyId: user.agencyId } } })),
  });
  const unitName = new Map((units.data?.items ?? []).map((u) => [u.unitId, u.name]));
  const list = useCursorList<ProcessSummary>(['work', user.agencyId, unitId, status, kind], (cursor) =>
    call<WorkPage>(
      api().GET('/agencies/{agencyId}/processes', {
        params: { path: { agencyId: user.agencyId }, query: { limit: PAGE_SIZE, cursor, status, ...(kind ? { kind } : {}), ...(unitId ? { unitId } : {}) } },
      }),
    ),
  );
  const counts = list.firstPage && 'counts' in list.firstPage ? (list.firstPage as WorkPage).counts : undefined;

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} className="ea-page-title">
        待办与期限
      </Typography.Title>
      <Card>
        <Flex gap={32} wrap style={{ marginBottom: 16 }}>
          <Statistic title="红牌（逾期）" value={counts?.red ?? '—'} styles={{ content: { color: '#b42318' } }} />
          <Statistic title="黄牌（临期）" value={counts?.yellow ?? '—'} styles={{ content: { color: '#8a5a00' } }} />
          <Statistic title="已加载事项" value={list.items.length} />
        </Flex>
        <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item label="范围">
            <Segmented<StatusFilter>
              value={status}
              onChange={setStatus}
              options={[
                { value: 'open', label: '全部在办' },
                { value: 'red', label: '红牌' },
                { value: 'yellow', label: '黄牌' },
                { value: 'closed', label: '已办结' },
              ]}
            />
          </Form.Item>
          <Form.Item label="类型" htmlFor="work-kind">
            <Select<ProcessKind>
              id="work-kind"
              allowClear
              placeholder="全部类型"
              style={{ width: 200 }}
              value={kind}
              onChange={setKind}
              options={(Object.keys(PROCESS_KIND_LABELS) as ProcessKind[]).map((k) => ({ value: k, label: PROCESS_KIND_LABELS[k] }))}
            />
          </Form.Item>
          {agencyWide ? (
            <Form.Item label="部门" htmlFor="work-unit">
              <Select<string>
                id="work-unit"
                allowClear
                placeholder="全机关"
                style={{ width: 200 }}
                value={unitId}
                onChange={setUnitId}
                loading={units.isPending}
                options={(units.data?.items ?? []).map((u) => ({ value: u.unitId, label: u.name }))}
              />
            </Form.Item>
          ) : (
            <Form.Item label="部门">{unitName.get(user.unitId ?? '') ?? '本部门'}</Form.Item>
          )}
        </Form>
        {list.isPending ? (
          <ListLoading />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={list.refetch} />
        ) : list.items.length === 0 ? (
          <EmptyState description={status === 'red' ? '没有逾期事项' : status === 'yellow' ? '没有临期事项' : status === 'closed' ? '没有已办结事项' : '没有在办事项'} />
        ) : (
          <>
            <Table<ProcessSummary>
              rowKey="processId"
              pagination={false}
              dataSource={list.items}
              columns={[
                { title: '红黄牌', key: 'status', width: 130, render: (_, p) => <StatusBadge p={p} /> },
                { title: '事项', dataIndex: 'title', render: (t: string, p) => <Link to={PATHS.process(p.processId)}>{t}</Link> },
                { title: '类型', dataIndex: 'kind', width: 170, render: (k: ProcessKind) => PROCESS_KIND_LABELS[k] ?? k },
                { title: '办理状态', dataIndex: 'state', width: 110, render: (s: string) => label(PROCESS_STATE_LABELS, s) },
                { title: '承办', key: 'who', width: 160, render: (_, p) => [p.unitId ? unitName.get(p.unitId) : undefined, p.assignee?.name].filter(Boolean).join(' · ') || '—' },
                {
                  title: '期限',
                  key: 'due',
                  width: 260,
                  render: (_, p) =>
                    p.due ? (
                      <div>
                        <div className={p.status?.color === 'red' ? 'ea-due-red' : p.status?.color === 'yellow' ? 'ea-due-yellow' : undefined}>
                          {formatDateWithWeekday(p.due)} {p.provisional ? <Tag color="warning">暂定</Tag> : null}
                        </div>
                        <Typography.Text type="secondary">
                          {p.phase} · {dueNote(p, today)}
                        </Typography.Text>
                      </div>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
            <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onLoad={list.loadMore} count={list.items.length} />
          </>
        )}
      </Card>
    </Flex>
  );
};
export default WorkListPage;
