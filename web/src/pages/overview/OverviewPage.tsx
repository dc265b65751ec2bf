import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { api, call } from '../../api/client';
import type { ProcessSummary, Unit, WorkPage } from '../../api/views';
import { useSession } from '../../auth/session';
import { shanghaiToday } from '../../ui/format';
import { label, PROCESS_KIND_LABELS, PROCESS_STATE_LABELS } from '../../ui/labels';
import { EmptyState, QueryView } from '../../ui/states';
import { BarChart, type Bar } from './BarChart';
import './overview.css';

/**
 * 概览 (leadership): the agency's open processes by state and by kind, how late the overdue ones
 * are, and overdue counts by department. The API has no aggregate route yet, so the figures are
 * computed here from the paged work list (every page, up to MAX_PAGES × PAGE_SIZE processes; the
 * page says when it stopped short). Evidence by storage tier needs a route the API does not offer.
 */
const PAGE_SIZE = 200;
const MAX_PAGES = 10;

interface Snapshot {
  items: ProcessSummary[];
  truncated: boolean;
  red: number;
  yellow: number;
}

const loadOpen = async (agencyId: string): Promise<Snapshot> => {
  const items: ProcessSummary[] = [];
  let cursor: string | undefined;
  let first: WorkPage | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await call<WorkPage>(api().GET('/agencies/{agencyId}/processes', { params: { path: { agencyId }, query: { status: 'open', limit: PAGE_SIZE, cursor } } }));
    first ??= page;
    items.push(...page.items);
    cursor = page.cursor || undefined;
    if (!cursor) break;
  }
  return { items, truncated: !!cursor, red: first?.counts?.red ?? 0, yellow: first?.counts?.yellow ?? 0 };
};

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
/** lateness buckets in calendar days past the due date */
const LATENESS = [
  { name: '逾期 1–3 日', from: 1, to: 3 },
  { name: '逾期 4–10 日', from: 4, to: 10 },
  { name: '逾期 11–30 日', from: 11, to: 30 },
  { name: '逾期 30 日以上', from: 31, to: Number.POSITIVE_INFINITY },
];

const countBy = <T,>(items: T[], key: (t: T) => string): Bar[] => {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m.entries()].map(([name, value]) => ({ name, value })).sort((a, b) => b.value - a.value);
};

const OverviewPage = () => {
  const user = useSession()!.user;
  const open = useQuery({ queryKey: ['overview', user.agencyId], queryFn: () => loadOpen(user.agencyId) });
  const units = useQuery({
    queryKey: ['agency', user.agencyId, 'units'],
    queryFn: () => call<{ items: Unit[] }>(api().GET('/agencies/{agencyId}/units', { params: { path: { agencyId: user.agencyId } } })),
  });
  const today = shanghaiToday();
  const charts = useMemo(() => {
    const unitName = (id: string | undefined) => (id ? (units.data?.items.find((u) => u.unitId === id)?.name ?? id) : '机关');
    const items = open.data?.items ?? [];
    const overdue = items.filter((p) => p.status?.color === 'red');
    return {
      byState: countBy(items, (p) => label(PROCESS_STATE_LABELS, p.state)),
      byKind: countBy(items, (p) => label(PROCESS_KIND_LABELS, p.kind)),
      lateness: LATENESS.map((b) => ({ name: b.name, value: overdue.filter((p) => p.due && daysBetween(p.due, today) >= b.from && daysBetween(p.due, today) <= b.to).length })),
      byUnit: countBy(overdue, (p) => unitName(p.unitId)),
    };
  }, [open.data, units.data, today]);

  return (
    <>
      <Typography.Title level={1} className="ea-page-title">
        概览
      </Typography.Title>
      <QueryView query={open} isEmpty={(d) => d.items.length === 0} empty={<EmptyState description="本机关没有在办事项" />}>
        {(d) => (
          <Row gutter={[16, 16]}>
            {d.truncated ? (
              <Col span={24}>
                <Alert type="warning" showIcon title={`在办事项超过 ${PAGE_SIZE * MAX_PAGES} 件，图表只统计了前 ${d.items.length} 件`} />
              </Col>
            ) : null}
            <Col span={8}>
              <Card>
                <Statistic title="在办事项" value={d.items.length} suffix="件" />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title="红牌（逾期）" value={d.red} suffix="件" styles={{ content: { color: '#b91c1c' } }} />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title="黄牌（临期）" value={d.yellow} suffix="件" styles={{ content: { color: '#8a5a00' } }} />
              </Card>
            </Col>
            <Col span={12}>
              <Card title="在办事项（按状态）">
                <BarChart label="在办事项按状态" bars={charts.byState} />
              </Card>
            </Col>
            <Col span={12}>
              <Card title="在办事项（按类别）">
                <BarChart label="在办事项按类别" bars={charts.byKind} />
              </Card>
            </Col>
            <Col span={12}>
              <Card title="逾期天数（自然日）">
                <BarChart label="逾期事项按逾期天数" bars={charts.lateness} color="#b91c1c" />
              </Card>
            </Col>
            <Col span={12}>
              <Card title="各部门逾期事项">{charts.byUnit.length ? <BarChart label="各部门逾期事项" bars={charts.byUnit} color="#b91c1c" /> : <EmptyState description="没有逾期事项" />}</Card>
            </Col>
            <Col span={24}>
              <Card title="声像资料（按存储层级）">
                <EmptyState description="接口尚未提供按存储层级汇总的声像资料统计，此图待接口提供后显示" />
              </Card>
            </Col>
          </Row>
        )}
      </QueryView>
    </>
  );
};
export default OverviewPage;
