import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { api, call, etagOf } from '../../api/client';
import { applyProblemToForm } from '../../api/forms';
import type { DraftEntry } from '../../api/views';
import { useSession } from '../../auth/session';
import { DraftCard } from '../../entries/DraftCard';
import { useOfficerNames } from '../../entries/useOfficerNames';
import { EmptyState, QueryView } from '../../ui/states';

/**
 * 审核待办 (department head, A6): entries of the department's officers submitted for review —
 * approve (with an optional comment) or send back with a reason. A conclusive document goes to the
 * officer for acknowledgement next, everything else to the recorder.
 */
type Decision = { entry: DraftEntry; decision: 'approve' | 'reject' };

const ReviewQueuePage = () => {
  const session = useSession();
  const unitId = session?.user.unitId;
  const names = useOfficerNames(session?.user.agencyId, unitId);
  const [deciding, setDeciding] = useState<Decision>();
  const queue = useQuery({
    queryKey: ['queue', unitId, 'underReview'],
    queryFn: () => call<{ items: DraftEntry[] }>(api().GET('/units/{unitId}/queue', { params: { path: { unitId: unitId! }, query: { state: 'underReview' } } })),
    enabled: !!unitId,
  });
  if (!unitId) return <EmptyState description="您的账号未关联部门" />;
  return (
    <>
      <Typography.Title level={1} className="ea-page-title">
        审核待办
      </Typography.Title>
      <Card>
        <QueryView query={queue} isEmpty={(d) => d.items.length === 0} empty={<EmptyState description="没有待审核的档案条目" />}>
          {(d) => (
            <section aria-label="待审核的档案条目">
              {d.items.map((e) => (
                <DraftCard
                  key={e.entryId}
                  draft={e}
                  officerName={names(e.officerId)}
                  actions={
                    <>
                      <Button type="primary" onClick={() => setDeciding({ entry: e, decision: 'approve' })} aria-label={`审核通过：${e.title}`}>
                        通过
                      </Button>
                      <Button danger onClick={() => setDeciding({ entry: e, decision: 'reject' })} aria-label={`退回：${e.title}`}>
                        退回
                      </Button>
                    </>
                  }
                />
              ))}
            </section>
          )}
        </QueryView>
      </Card>
      <ReviewDialog decision={deciding} onClose={() => setDeciding(undefined)} />
    </>
  );
};
export default ReviewQueuePage;

const ReviewDialog = ({ decision, onClose }: { decision: Decision | undefined; onClose: () => void }) => {
  const [form] = Form.useForm<{ comment?: string; reason?: string }>();
  const [problem, setProblem] = useState<string>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const reject = decision?.decision === 'reject';
  const review = useMutation({
    mutationFn: (v: { comment?: string; reason?: string }) => {
      const e = decision!.entry;
      return call(
        api().POST('/officers/{officerId}/file/drafts/{entryId}/review', {
          params: { path: { officerId: e.officerId, entryId: e.entryId }, header: { 'if-match': etagOf(e.version) } },
          body: reject ? { decision: 'reject', reason: v.reason ?? '' } : { decision: 'approve', ...(v.comment ? { comment: v.comment } : {}) },
        }),
      );
    },
    onSuccess: async () => {
      message.success(reject ? '已退回' : '已审核通过');
      await queryClient.invalidateQueries({ queryKey: ['queue'] });
      onClose();
    },
    onError: (e) => setProblem(applyProblemToForm(form, e).message),
  });
  return (
    <Modal
      open={!!decision}
      title={reject ? '退回档案条目' : '审核通过'}
      okText={reject ? '退回' : '通过'}
      okButtonProps={{ danger: reject }}
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={review.isPending}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (!o) setProblem(undefined);
      }}
    >
      {decision ? <Typography.Paragraph>《{decision.entry.title}》</Typography.Paragraph> : null}
      {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => review.mutate(v)} preserve={false}>
        {reject ? (
          <Form.Item name="reason" label="退回理由" rules={[{ required: true, whitespace: true, message: '请填写退回理由' }]}>
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
        ) : (
          <Form.Item name="comment" label="审核意见（可选）">
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
};
