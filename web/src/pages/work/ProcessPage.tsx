import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Flex, Tag, Timeline, Typography } from 'antd';
import { useParams } from 'react-router';
import { api, call, callWithEtag } from '../../api/client';
import type { ProcessDetail, ProcessEvent } from '../../api/views';
import { formatDateTime, formatDateWithWeekday } from '../../ui/format';
import { label, PROCESS_EVENT_LABELS, PROCESS_KIND_LABELS, PROCESS_STATE_LABELS, ROLE_LABELS } from '../../ui/labels';
import { EmptyState, QueryView } from '../../ui/states';
import { DueDateExplanation } from './DueDateExplanation';
import { ProcessActions } from './ProcessActions';

/** 流程详情: state, who handles it, the due date with its explanation, the history, and what the user may do. */
const NOTE_KEYS: Record<string, string> = { note: '说明', reason: '理由', opinion: '意见', outcome: '结果', content: '内容', days: '天数', unitId: '部门', officerId: '承办人' };

const ProcessPage = () => {
  const { processId = '' } = useParams();
  const detail = useQuery({
    queryKey: ['process', processId, 'detail'],
    queryFn: () => callWithEtag<ProcessDetail & { actions?: string[] }>(api().GET('/processes/{processId}', { params: { path: { processId } } })),
  });
  const history = useQuery({
    queryKey: ['process', processId, 'history'],
    queryFn: () => call<{ items: ProcessEvent[] }>(api().GET('/processes/{processId}/history', { params: { path: { processId } } })),
  });
  return (
    <QueryView query={detail}>
      {({ data: p, etag }) => (
        <Flex vertical gap={16}>
          <Typography.Title level={1} className="ea-page-title">
            {p.title}{' '}
            {p.status ? (
              <Tag color={p.status.color === 'red' ? 'error' : p.status.color === 'yellow' ? 'warning' : 'success'}>
                {p.status.color === 'red' ? '红牌 · ' : p.status.color === 'yellow' ? '黄牌 · ' : ''}
                {p.status.label}
              </Tag>
            ) : null}
          </Typography.Title>
          <Card
            title={
              <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
                概况
              </Typography.Title>
            }
          >
            <Descriptions
              size="small"
              column={{ xs: 1, md: 3 }}
              items={[
                { key: 'kind', label: '类型', children: PROCESS_KIND_LABELS[p.kind] ?? p.kind },
                { key: 'state', label: '办理状态', children: label(PROCESS_STATE_LABELS, p.state) },
                { key: 'assignee', label: '承办人', children: p.assignee?.name ?? '—' },
                { key: 'openedBy', label: '发起人', children: p.openedBy.name ?? p.openedBy.userId },
                { key: 'createdAt', label: '发起时间', children: formatDateTime(p.createdAt) },
                { key: 'due', label: '到期日', children: p.clock ? formatDateWithWeekday(p.clock.due) : p.closedAt ? `已于 ${formatDateTime(p.closedAt)} 办结` : '—' },
              ]}
            />
          </Card>
          <Card
            title={
              <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
                办理
              </Typography.Title>
            }
          >
            <ProcessActions process={p} etag={etag} />
          </Card>
          <Card
            title={
              <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
                期限说明
              </Typography.Title>
            }
          >
            {p.clock ? <DueDateExplanation clock={p.clock} /> : <EmptyState description="当前阶段没有期限" />}
          </Card>
          <Card
            title={
              <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
                办理过程
              </Typography.Title>
            }
          >
            <QueryView query={history} isEmpty={(h) => h.items.length === 0} empty={<EmptyState description="尚无记录" />}>
              {(h) => (
                <Timeline
                  items={h.items.map((e) => ({
                    key: e.seq,
                    color: ['chase', 'report'].includes(e.event) ? 'red' : e.event === 'remind' ? 'gray' : 'blue',
                    title: formatDateTime(e.at),
                    content: (
                      <div>
                        <strong>{label(PROCESS_EVENT_LABELS, e.event)}</strong>　{e.by.name ?? e.by.userId}
                        {e.by.roles?.length ? `（${e.by.roles.map((r) => label(ROLE_LABELS, r)).join('、')}）` : ''}
                        <Typography.Text type="secondary"> → {label(PROCESS_STATE_LABELS, e.state)}</Typography.Text>
                        {Object.entries(e.detail ?? {})
                          .filter(([k]) => k in NOTE_KEYS && k !== 'unitId' && k !== 'officerId')
                          .map(([k, v]) => (
                            <div key={k}>
                              {NOTE_KEYS[k]}：{String(v)}
                            </div>
                          ))}
                        {e.clock ? (
                          <div>
                            期限：{e.clock.label}至 {formatDateWithWeekday(e.clock.due)}
                          </div>
                        ) : null}
                      </div>
                    ),
                  }))}
                />
              )}
            </QueryView>
          </Card>
        </Flex>
      )}
    </QueryView>
  );
};
export default ProcessPage;
