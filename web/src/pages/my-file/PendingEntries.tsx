import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, call, etagOf } from '../../api/client';
import { applyProblemToForm } from '../../api/forms';
import type { DraftEntry } from '../../api/views';
import { EntryContent, WorkflowHistory } from '../../entries/EntryContent';
import { formatDate } from '../../ui/format';
import { ENTRY_STATE_COLORS, ENTRY_STATE_LABELS, entryTypeLabel } from '../../ui/labels';
import { RowList } from '../../ui/RowList';
import { ErrorState, ListLoading } from '../../ui/states';

/**
 * Entries of my file still in the recording workflow (A6): what waits for my acknowledgement (a
 * conclusive document is shown to the officer before it is archived), what is under review, what
 * was sent back and why.
 */
const OPEN_STATES = new Set(['draft', 'underReview', 'approved', 'notified', 'acknowledged', 'rejected']);

export const PendingEntries = ({ officerId }: { officerId: string }) => {
  const drafts = useQuery({
    queryKey: ['file', officerId, 'drafts'],
    queryFn: () => call<{ items: DraftEntry[] }>(api().GET('/officers/{officerId}/file/drafts', { params: { path: { officerId }, query: {} } })),
  });
  const [acknowledging, setAcknowledging] = useState<DraftEntry>();
  const [viewing, setViewing] = useState<DraftEntry>();
  if (drafts.isPending)
    return (
      <Card title="记录流程中的条目">
        <ListLoading />
      </Card>
    );
  if (drafts.error) return <ErrorState error={drafts.error} onRetry={() => void drafts.refetch()} />;
  const open = drafts.data.items.filter((d) => OPEN_STATES.has(d.state));
  if (open.length === 0) return null;
  const waiting = open.filter((d) => d.state === 'notified');
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
          记录流程中的条目
        </Typography.Title>
      }
    >
      {waiting.length ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`有 ${waiting.length} 份结论性材料待您确认知悉（A6：录入档案前须告知本人）`} /> : null}
      <RowList
        label="记录流程中的条目"
        rows={open.map((d) => ({
          key: d.entryId,
          title: (
            <span>
              {d.title} <Tag color={ENTRY_STATE_COLORS[d.state]}>{ENTRY_STATE_LABELS[d.state]}</Tag>
            </span>
          ),
          description: `${entryTypeLabel(d.type)} · ${formatDate(d.occurredOn)}${d.state === 'rejected' ? ` · 退回理由：${[...d.history].reverse().find((h) => h.event === 'reject')?.comment ?? '—'}` : ''}`,
          actions: (
            <>
              <Button onClick={() => setViewing(d)}>查看</Button>
              {d.state === 'notified' ? (
                <Button type="primary" onClick={() => setAcknowledging(d)}>
                  确认知悉
                </Button>
              ) : null}
            </>
          ),
        }))}
      />
      <Modal open={!!viewing} title={viewing?.title} onCancel={() => setViewing(undefined)} footer={null} width={640} destroyOnHidden>
        {viewing ? (
          <>
            <EntryContent content={viewing.content} />
            <Typography.Title level={3} style={{ fontSize: 15, marginTop: 16 }}>
              记录过程
            </Typography.Title>
            <WorkflowHistory history={viewing.history} />
          </>
        ) : null}
      </Modal>
      <AcknowledgeDialog officerId={officerId} entry={acknowledging} onClose={() => setAcknowledging(undefined)} />
    </Card>
  );
};

const AcknowledgeDialog = ({ officerId, entry, onClose }: { officerId: string; entry: DraftEntry | undefined; onClose: () => void }) => {
  const [form] = Form.useForm<{ comment?: string }>();
  const [problem, setProblem] = useState<string>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const ack = useMutation({
    mutationFn: (v: { comment?: string }) =>
      call(
        api().POST('/officers/{officerId}/file/drafts/{entryId}/acknowledge', {
          params: { path: { officerId, entryId: entry!.entryId }, header: { 'if-match': etagOf(entry!.version) } },
          body: v.comment ? { comment: v.comment } : {},
        }),
      ),
    onSuccess: async () => {
      message.success('已确认知悉，待记录员录入档案');
      await queryClient.invalidateQueries({ queryKey: ['file', officerId] });
      onClose();
    },
    onError: (e) => setProblem(applyProblemToForm(form, e).message),
  });
  return (
    <Modal
      open={!!entry}
      title="确认知悉结论性材料"
      okText="确认知悉"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={ack.isPending}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (!o) setProblem(undefined);
      }}
    >
      {entry ? (
        <>
          <Typography.Paragraph>《{entry.title}》将在您确认知悉后由档案记录员录入您的执法档案，录入后不可更改。如有异议，可在意见中说明。</Typography.Paragraph>
          <EntryContent content={entry.content} />
          {problem ? <Alert type="error" showIcon title={problem} style={{ marginTop: 12 }} /> : null}
          <Form form={form} layout="vertical" onFinish={(v) => ack.mutate(v)} style={{ marginTop: 12 }}>
            <Form.Item name="comment" label="意见（可选）">
              <Input.TextArea rows={3} maxLength={1000} showCount />
            </Form.Item>
          </Form>
        </>
      ) : null}
    </Modal>
  );
};
