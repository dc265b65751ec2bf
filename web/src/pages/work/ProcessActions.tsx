import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Flex, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { applyProblemToForm } from '../../api/forms';
import { DATE_INPUT_FORMAT } from '../../ui/format';
import type { Officer, ProcessActionBody, ProcessDetail } from '../../api/views';

/**
 * The actions of a process the console has forms for (延期申请, 延期审批, 交办, 答复). Which actions
 * the user may take is decided by the API (the process's state machine and the caller's role):
 * when the process view lists them (`actions`), only those are offered; otherwise every form is
 * offered and the API's refusal is shown, in Chinese, on the form.
 */
type ActionName = 'requestExtension' | 'decideExtension' | 'assign' | 'reply';
const ACTION_LABELS: Record<ActionName, string> = { requestExtension: '申请延期', decideExtension: '审批延期', assign: '交办', reply: '答复' };
const CHANNELS = [
  { value: 'phone', label: '电话' },
  { value: 'letter', label: '信函' },
  { value: 'sms', label: '短信' },
  { value: 'inPerson', label: '当面' },
  { value: 'web', label: '网上' },
];

export const ProcessActions = ({ process, etag }: { process: ProcessDetail & { actions?: string[] }; etag: string }) => {
  const [open, setOpen] = useState<ActionName>();
  if (!process.open) return <Typography.Text type="secondary">流程已办结，没有可办理的操作。</Typography.Text>;
  const offered = (Object.keys(ACTION_LABELS) as ActionName[]).filter((a) => !process.actions || process.actions.includes(a));
  if (offered.length === 0) return <Typography.Text type="secondary">您当前没有可办理的操作。</Typography.Text>;
  return (
    <>
      <Flex gap={8} wrap>
        {offered.map((a) => (
          <Button key={a} onClick={() => setOpen(a)}>
            {ACTION_LABELS[a]}
          </Button>
        ))}
      </Flex>
      {process.data.pendingExtension ? <Alert type="info" showIcon style={{ marginTop: 12 }} title="有待审批的延期申请" /> : null}
      <ActionDialog action={open} process={process} etag={etag} onClose={() => setOpen(undefined)} />
    </>
  );
};

type Values = { days?: number; reason?: string; approve?: boolean; note?: string; officerId?: string; channel?: string; content?: string; toldOn?: Dayjs };

const bodyOf = (action: ActionName, v: Values): ProcessActionBody => {
  switch (action) {
    case 'requestExtension':
      return { action, reason: v.reason ?? '', ...(v.days ? { days: v.days } : {}) };
    case 'decideExtension':
      return { action, approve: v.approve ?? false, ...(v.note ? { note: v.note } : {}) };
    case 'assign':
      return { action, officerId: v.officerId ?? '', ...(v.note ? { note: v.note } : {}) };
    case 'reply':
      return { action, channel: (v.channel ?? 'phone') as 'phone', content: v.content ?? '', toldOn: v.toldOn?.format('YYYY-MM-DD') ?? '' };
  }
};

const ActionDialog = ({ action, process, etag, onClose }: { action: ActionName | undefined; process: ProcessDetail; etag: string; onClose: () => void }) => {
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const officers = useQuery({
    queryKey: ['agency', process.agencyId, 'officers', process.unitId ?? 'all'],
    queryFn: () =>
      call<{ items: Officer[] }>(api().GET('/agencies/{agencyId}/officers', { params: { path: { agencyId: process.agencyId }, query: process.unitId ? { unitId: process.unitId } : {} } })),
    enabled: action === 'assign',
  });
  const act = useMutation({
    mutationFn: (v: Values) =>
      call(
        api().POST('/processes/{processId}/actions', {
          params: { path: { processId: process.processId }, header: { 'if-match': etag } },
          body: bodyOf(action!, v),
        }),
      ),
    onSuccess: async () => {
      message.success(`${ACTION_LABELS[action!]}已提交`);
      await queryClient.invalidateQueries({ queryKey: ['process', process.processId] });
      await queryClient.invalidateQueries({ queryKey: ['work'] });
      onClose();
    },
    onError: (e) => setProblem(applyProblemToForm(form, e).message),
  });
  return (
    <Modal
      open={!!action}
      title={action ? ACTION_LABELS[action] : ''}
      okText="提交"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={act.isPending}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (!o) setProblem(undefined);
      }}
    >
      {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => act.mutate(v)} preserve={false} initialValues={{ approve: true, channel: 'phone' }}>
        {action === 'requestExtension' ? (
          <>
            <Form.Item name="days" label="延长期限（留空则按规则允许的最长期限）">
              <InputNumber min={1} max={366} suffix="日" style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="reason" label="延期理由" rules={[{ required: true, whitespace: true, message: '请填写延期理由' }]}>
              <Input.TextArea rows={3} maxLength={2000} showCount />
            </Form.Item>
          </>
        ) : null}
        {action === 'decideExtension' ? (
          <>
            <Form.Item name="approve" label="审批意见">
              <Radio.Group
                options={[
                  { value: true, label: '批准延期' },
                  { value: false, label: '不予延期' },
                ]}
              />
            </Form.Item>
            <Form.Item name="note" label="说明（可选）">
              <Input.TextArea rows={3} maxLength={2000} showCount />
            </Form.Item>
          </>
        ) : null}
        {action === 'assign' ? (
          <>
            <Form.Item name="officerId" label="承办人" rules={[{ required: true, message: '请选择承办人' }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={officers.isPending}
                options={(officers.data?.items ?? []).map((o) => ({ value: o.officerId, label: `${o.name}（${o.post}）` }))}
              />
            </Form.Item>
            <Form.Item name="note" label="交办说明（可选）">
              <Input.TextArea rows={3} maxLength={2000} showCount />
            </Form.Item>
          </>
        ) : null}
        {action === 'reply' ? (
          <>
            <Form.Item name="channel" label="答复方式">
              <Select options={CHANNELS} />
            </Form.Item>
            <Form.Item name="toldOn" label="答复日期" rules={[{ required: true, message: '请选择答复日期' }]}>
              <DatePicker format={DATE_INPUT_FORMAT} />
            </Form.Item>
            <Form.Item name="content" label="答复内容" rules={[{ required: true, whitespace: true, message: '请填写答复内容' }]}>
              <Input.TextArea rows={4} maxLength={4000} showCount />
            </Form.Item>
          </>
        ) : null}
      </Form>
    </Modal>
  );
};
