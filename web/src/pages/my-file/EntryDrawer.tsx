import { useQuery } from '@tanstack/react-query';
import { Descriptions, Drawer, Tag, Typography } from 'antd';
import { api, call } from '../../api/client';
import type { ChainEntry } from '../../api/views';
import { EntryContent, WorkflowHistory } from '../../entries/EntryContent';
import { formatDate, formatDateTime } from '../../ui/format';
import { CATEGORY_LABELS, entryTypeLabel } from '../../ui/labels';
import { QueryView } from '../../ui/states';
import { useChainVerification } from './ChainStatus';

/** One archived entry: content, recording history, and where it sits in the file's hash chain. */
export const EntryDrawer = ({ officerId, seq, onClose }: { officerId: string; seq: number | undefined; onClose: () => void }) => {
  const entry = useQuery({
    queryKey: ['file', officerId, 'entry', seq],
    queryFn: () => call<ChainEntry>(api().GET('/officers/{officerId}/file/entries/{seq}', { params: { path: { officerId, seq: seq! } } })),
    enabled: seq !== undefined,
  });
  const chain = useChainVerification(officerId);
  return (
    <Drawer open={seq !== undefined} onClose={onClose} size={640} title={entry.data ? entry.data.title : '档案条目'} destroyOnHidden>
      <QueryView query={entry}>
        {(e) => {
          const broken = chain.data?.problems.some((p) => p.seq === e.seq);
          return (
            // focusable, so that keyboard users can scroll a long entry (the drawer body has no other control)
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable)
            <section tabIndex={0} aria-label="条目详情" className="ea-focus-region">
              <Descriptions
                size="small"
                column={1}
                bordered
                items={[
                  {
                    key: 'type',
                    label: '类型',
                    children: (
                      <span>
                        {entryTypeLabel(e.type)} <Tag>{CATEGORY_LABELS[e.category] ?? e.category}</Tag>
                      </span>
                    ),
                  },
                  { key: 'occurredOn', label: '发生日期', children: formatDate(e.occurredOn) },
                  { key: 'archivedAt', label: '录入时间', children: `${formatDateTime(e.archivedAt)}（${e.archivedBy}）` },
                  ...(e.summary ? [{ key: 'summary', label: '摘要', children: e.summary }] : []),
                  { key: 'seq', label: '链上位置', children: `第 ${e.seq} 条` },
                  {
                    key: 'chain',
                    label: '链状态',
                    children: !chain.data ? (
                      <Typography.Text type="secondary">尚未校验（可在档案页点击“校验档案哈希链”）</Typography.Text>
                    ) : broken ? (
                      <Tag color="error">本条目校验未通过</Tag>
                    ) : chain.data.ok ? (
                      <Tag color="success">已校验，完整</Tag>
                    ) : (
                      <Tag color="warning">链中其他条目异常</Tag>
                    ),
                  },
                  { key: 'hash', label: '本条哈希（SHA-256）', children: <span className="ea-hash">{e.hash}</span> },
                  { key: 'prevHash', label: '前条哈希', children: <span className="ea-hash">{e.prevHash}</span> },
                ]}
              />
              <Typography.Title level={3} style={{ fontSize: 16, marginTop: 20 }}>
                内容
              </Typography.Title>
              <EntryContent content={e.content} />
              {e.workflow.history?.length ? (
                <>
                  <Typography.Title level={3} style={{ fontSize: 16, marginTop: 20 }}>
                    记录过程
                  </Typography.Title>
                  <WorkflowHistory history={e.workflow.history} />
                </>
              ) : e.workflow.system ? (
                <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
                  系统依规则自动记录。
                </Typography.Paragraph>
              ) : null}
            </section>
          );
        }}
      </QueryView>
    </Drawer>
  );
};
