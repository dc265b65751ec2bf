import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Modal, Typography } from 'antd';
import { useState } from 'react';
import { api, call, etagOf } from '../../api/client';
import { messageOf } from '../../api/problem';
import type { DraftEntry, Unit } from '../../api/views';
import { useSession } from '../../auth/session';
import { DraftCard } from '../../entries/DraftCard';
import { useOfficerNames } from '../../entries/useOfficerNames';
import { EmptyState, ErrorState, ListLoading } from '../../ui/states';

/**
 * 归档待办 (designated recorder, A6): approved entries, and conclusive ones the officer has
 * acknowledged, waiting to be written into the officer's file. Archiving appends the entry to the
 * file's hash chain: it can never be changed afterwards.
 */
const READY_STATES = ['approved', 'acknowledged'] as const;

const ArchiveQueuePage = () => {
  const session = useSession();
  const agencyId = session?.user.agencyId;
  const names = useOfficerNames(agencyId);
  const [archiving, setArchiving] = useState<DraftEntry>();
  const units = useQuery({
    queryKey: ['agency', agencyId, 'units'],
    queryFn: () => call<{ items: Unit[] }>(api().GET('/agencies/{agencyId}/units', { params: { path: { agencyId: agencyId! } } })),
    enabled: !!agencyId,
  });
  const queues = useQueries({
    queries: (units.data?.items ?? []).flatMap((u) =>
      READY_STATES.map((state) => ({
        queryKey: ['queue', u.unitId, state],
        queryFn: () => call<{ items: DraftEntry[] }>(api().GET('/units/{unitId}/queue', { params: { path: { unitId: u.unitId }, query: { state } } })),
      })),
    ),
  });
  const loading = units.isPending || queues.some((q) => q.isPending);
  const failed = units.error ?? queues.find((q) => q.error)?.error;
  const items = queues.flatMap((q) => q.data?.items ?? []).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  const unitName = new Map((units.data?.items ?? []).map((u) => [u.unitId, u.name]));

  return (
    <>
      <Typography.Title level={1} className="ea-page-title">
        归档待办
      </Typography.Title>
      <Card>
        {loading ? (
          <ListLoading />
        ) : failed ? (
          <ErrorState
            error={failed}
            onRetry={() => {
              void units.refetch();
              queues.forEach((q) => void q.refetch());
            }}
          />
        ) : items.length === 0 ? (
          <EmptyState description="没有待录入档案的条目" />
        ) : (
          <section aria-label="待录入档案的条目">
            {items.map((e) => (
              <DraftCard
                key={e.entryId}
                draft={e}
                officerName={`${names(e.officerId)}${e.unitId ? `（${unitName.get(e.unitId) ?? ''}）` : ''}`}
                actions={
                  <Button type="primary" onClick={() => setArchiving(e)} aria-label={`录入档案：${e.title}`}>
                    录入档案
                  </Button>
                }
              />
            ))}
          </section>
        )}
      </Card>
      <ArchiveDialog entry={archiving} onClose={() => setArchiving(undefined)} />
    </>
  );
};
export default ArchiveQueuePage;

const ArchiveDialog = ({ entry, onClose }: { entry: DraftEntry | undefined; onClose: () => void }) => {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const archive = useMutation({
    mutationFn: () =>
      call<{ seq: number }>(
        api().POST('/officers/{officerId}/file/drafts/{entryId}/archive', {
          params: { path: { officerId: entry!.officerId, entryId: entry!.entryId }, header: { 'if-match': etagOf(entry!.version) } },
        }),
      ),
    onSuccess: async (r) => {
      message.success(`已录入档案（第 ${r.seq} 条）`);
      await queryClient.invalidateQueries({ queryKey: ['queue'] });
      onClose();
    },
  });
  return (
    <Modal
      open={!!entry}
      title="录入档案"
      okText="确认录入"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => archive.mutate()}
      confirmLoading={archive.isPending}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (!o) archive.reset();
      }}
    >
      {entry ? <Typography.Paragraph>将《{entry.title}》录入执法档案。录入后条目进入档案哈希链，不可更改或删除。</Typography.Paragraph> : null}
      {archive.error ? <Alert type="error" showIcon title={messageOf(archive.error)} /> : null}
    </Modal>
  );
};
