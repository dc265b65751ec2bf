import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Drawer, Segmented, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import type { InboxItem, Notification } from '../../api/views';
import { PATHS } from '../../app/paths';
import { formatDateTime } from '../../ui/format';
import { label, NOTIFICATION_KIND_LABELS } from '../../ui/labels';
import { RowList } from '../../ui/RowList';
import { EmptyState, QueryView } from '../../ui/states';

/**
 * 消息: reminders, 催办, 通报 and notices addressed to the user or to a role they hold; opening one
 * marks it read (the menu's badge counts the unread ones).
 */
const INBOX_LIMIT = 100;

const InboxPage = () => {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [openId, setOpenId] = useState<string>();
  const inbox = useQuery({
    queryKey: ['inbox', 'list', unreadOnly],
    queryFn: () => call<{ items: InboxItem[] }>(api().GET('/inbox', { params: { query: { limit: INBOX_LIMIT, ...(unreadOnly ? { unreadOnly: 'true' } : {}) } } })),
  });
  return (
    <>
      <Typography.Title level={1} className="ea-page-title">
        消息
      </Typography.Title>
      <Card>
        <Segmented<boolean>
          style={{ marginBottom: 16 }}
          value={unreadOnly}
          onChange={setUnreadOnly}
          options={[
            { value: false, label: '全部' },
            { value: true, label: '未读' },
          ]}
        />
        <QueryView query={inbox} isEmpty={(d) => d.items.length === 0} empty={<EmptyState description={unreadOnly ? '没有未读消息' : '没有消息'} />}>
          {(d) => (
            <RowList
              label="消息列表"
              rows={d.items.map((n) => ({
                key: n.notificationId,
                title: (
                  <span>
                    <Tag color={n.kind === 'report' || n.kind === 'chase' ? 'error' : n.kind === 'remind' ? 'warning' : 'blue'}>{label(NOTIFICATION_KIND_LABELS, n.kind)}</Tag>
                    {n.read ? n.title : <strong>{n.title}（未读）</strong>}
                  </span>
                ),
                extra: formatDateTime(n.createdAt),
                actions: (
                  <Button onClick={() => setOpenId(n.notificationId)} aria-label={`查看消息：${n.title}`}>
                    查看
                  </Button>
                ),
              }))}
            />
          )}
        </QueryView>
      </Card>
      <NotificationDrawer id={openId} onClose={() => setOpenId(undefined)} />
    </>
  );
};
export default InboxPage;

const NotificationDrawer = ({ id, onClose }: { id: string | undefined; onClose: () => void }) => {
  const queryClient = useQueryClient();
  const read = useMutation({
    mutationFn: (notificationId: string) => call(api().POST('/notifications/{notificationId}/read', { params: { path: { notificationId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['inbox'] }),
  });
  const note = useQuery({
    queryKey: ['notification', id],
    queryFn: async () => {
      const n = await call<Notification>(api().GET('/notifications/{notificationId}', { params: { path: { notificationId: id! } } }));
      read.mutate(n.notificationId);
      return n;
    },
    enabled: !!id,
  });
  return (
    <Drawer open={!!id} onClose={onClose} size={520} title="消息详情" destroyOnHidden>
      <QueryView query={note}>
        {(n) => (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable)
          <section tabIndex={0} aria-label="消息内容" className="ea-focus-region">
            <Typography.Title level={2} style={{ fontSize: 16 }}>
              {n.title}
            </Typography.Title>
            <Typography.Paragraph type="secondary">
              {label(NOTIFICATION_KIND_LABELS, n.kind)} · {formatDateTime(n.createdAt)}
            </Typography.Paragraph>
            <Typography.Paragraph>{n.body}</Typography.Paragraph>
            {n.processId ? <Link to={PATHS.process(n.processId)}>查看相关事项</Link> : null}
          </section>
        )}
      </QueryView>
    </Drawer>
  );
};
