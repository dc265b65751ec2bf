import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Descriptions, Flex, Form, Segmented, Tag, Timeline, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useCursorList } from '../../api/paging';
import type { ChainEntry, EntryCategory, FileSummary, Page } from '../../api/views';
import { useSession } from '../../auth/session';
import { DATE_INPUT_FORMAT, formatDate, formatDateTime } from '../../ui/format';
import { CATEGORY_LABELS, entryTypeLabel } from '../../ui/labels';
import { LoadMore } from '../../ui/LoadMore';
import { EmptyState, ErrorState, ListLoading, QueryView } from '../../ui/states';
import { ChainStatus } from './ChainStatus';
import { EntryDrawer } from './EntryDrawer';
import { PendingEntries } from './PendingEntries';

/**
 * 我的档案 (一人一档): the officer's own file — who keeps it, the timeline of archived entries by
 * category and period (newest first, paged by cursor), each entry's detail with its place in the
 * hash chain, and the entries still being recorded (acknowledge a conclusive one, A6).
 */
const PAGE_SIZE = 50;
type CategoryFilter = EntryCategory | 'all';

const MyFilePage = () => {
  const session = useSession();
  const officerId = session?.user.officerId;
  if (!officerId) return <EmptyState description="您的账号未关联执法人员，没有个人执法档案" />;
  return <OfficerFile officerId={officerId} />;
};
export default MyFilePage;

export const OfficerFile = ({ officerId }: { officerId: string }) => {
  const [category, setCategory] = useState<CategoryFilter>('all');
  const [period, setPeriod] = useState<[string, string] | undefined>();
  const [openSeq, setOpenSeq] = useState<number>();

  const file = useQuery({
    queryKey: ['file', officerId, 'summary'],
    queryFn: () => call<FileSummary>(api().GET('/officers/{officerId}/file', { params: { path: { officerId } } })),
  });
  const timeline = useCursorList<ChainEntry>(['file', officerId, 'timeline', category, period], (cursor) =>
    call<Page<ChainEntry>>(
      api().GET('/officers/{officerId}/file/entries', {
        params: {
          path: { officerId },
          query: { limit: PAGE_SIZE, cursor, ...(category !== 'all' ? { category } : {}), ...(period ? { from: period[0], to: period[1] } : {}) },
        },
      }),
    ),
  );

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} className="ea-page-title">
        我的档案
      </Typography.Title>
      <Card>
        <QueryView query={file}>
          {(f) => (
            <Flex vertical gap={12} align="flex-start">
              <Descriptions
                style={{ alignSelf: 'stretch' }}
                size="small"
                column={{ xs: 1, md: 3 }}
                items={[
                  { key: 'name', label: '姓名', children: f.officer.name },
                  { key: 'staffNumber', label: '执法人员编号', children: f.officer.staffNumber },
                  { key: 'post', label: '岗位', children: f.officer.post },
                  { key: 'opened', label: '建档日期', children: f.openedAt ? formatDate(f.openedAt) : '尚未建档' },
                  { key: 'count', label: '已录入条目', children: `${f.headSeq} 条` },
                  { key: 'custody', label: '保管', children: f.custody.holder === 'unit' ? '所在部门保管' : f.custody.holder === 'personnel' ? '人事部门保管' : f.custody.holder },
                ]}
              />
              <ChainStatus officerId={officerId} />
            </Flex>
          )}
        </QueryView>
      </Card>
      <PendingEntries officerId={officerId} />
      <Card
        title={
          <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
            档案时间线
          </Typography.Title>
        }
      >
        <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item label="类别">
            <Segmented<CategoryFilter>
              value={category}
              onChange={setCategory}
              options={[{ value: 'all', label: '全部' }, ...(Object.keys(CATEGORY_LABELS) as EntryCategory[]).map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))]}
            />
          </Form.Item>
          <Form.Item label="期间" htmlFor="timeline-period">
            <DatePicker.RangePicker
              id="timeline-period"
              allowEmpty={[true, true]}
              format={DATE_INPUT_FORMAT}
              onChange={(v: [Dayjs | null, Dayjs | null] | null) =>
                setPeriod(v && (v[0] || v[1]) ? [v[0]?.format('YYYY-MM-DD') ?? '1900-01-01', v[1]?.format('YYYY-MM-DD') ?? '2999-12-31'] : undefined)
              }
            />
          </Form.Item>
        </Form>
        {timeline.isPending ? (
          <ListLoading />
        ) : timeline.error ? (
          <ErrorState error={timeline.error} onRetry={timeline.refetch} />
        ) : timeline.items.length === 0 ? (
          <EmptyState description={category === 'all' && !period ? '档案中还没有已录入的条目' : '该类别或期间内没有条目'} />
        ) : (
          <>
            <Timeline
              mode="start"
              titleSpan="180px"
              items={timeline.items.map((e) => ({
                key: e.seq,
                title: formatDate(e.occurredOn),
                color: e.category === 'rewardPunishment' ? 'red' : e.category === 'custody' ? 'gray' : 'blue',
                content: (
                  <div>
                    <Button type="link" style={{ padding: 0, height: 'auto' }} onClick={() => setOpenSeq(e.seq)}>
                      {e.title}
                    </Button>
                    <div>
                      <Tag>{CATEGORY_LABELS[e.category] ?? e.category}</Tag>
                      <Typography.Text type="secondary">
                        {entryTypeLabel(e.type)} · 录入于 {formatDateTime(e.archivedAt)} · 第 {e.seq} 条
                      </Typography.Text>
                    </div>
                  </div>
                ),
              }))}
            />
            <LoadMore hasMore={timeline.hasMore} loading={timeline.loadingMore} onLoad={timeline.loadMore} count={timeline.items.length} />
          </>
        )}
      </Card>
      <EntryDrawer officerId={officerId} seq={openSeq} onClose={() => setOpenSeq(undefined)} />
    </Flex>
  );
};
