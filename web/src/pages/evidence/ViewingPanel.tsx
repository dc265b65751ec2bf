import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, call, etagOf } from '../../api/client';
import { messageOf } from '../../api/problem';
import type { ContentView, EvidenceView, ViewRequestView } from './evidence-views';

/**
 * D6: no viewing without approval. The requester states purpose, scope and days; an approver
 * (leadership or supervision of the item's agency, never the requester) opens the request's
 * address and decides; the requester then plays the verified version through a short-lived
 * presigned URL (each view audited).
 */
export const ViewingPanel = ({ e, requestId }: { e: EvidenceView; requestId?: string | undefined }) => {
  const [, setSearch] = useSearchParams();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ purpose: string; scope: 'view' | 'download'; days: number }>();
  const [content, setContent] = useState<ContentView>();
  const request = useMutation({
    mutationFn: (v: { purpose: string; scope: 'view' | 'download'; days: number }) =>
      call<ViewRequestView>(api().POST('/evidence/{evidenceId}/view-requests', { params: { path: { evidenceId: e.evidenceId } }, body: v })),
    onSuccess: (r) => {
      message.success('查看申请已提交，待审批');
      setSearch({ request: r.requestId });
    },
  });
  const decide = useMutation({
    // a pending request is at its first version: the decision is its only change
    mutationFn: (approve: boolean) =>
      call<ViewRequestView>(
        api().POST('/evidence/{evidenceId}/view-requests/{requestId}/decision', {
          params: { path: { evidenceId: e.evidenceId, requestId: requestId! }, header: { 'if-match': etagOf(1) } },
          body: { approve },
        }),
      ),
    onSuccess: (r) => message.success(r.status === 'approved' ? '已批准查看申请' : '已不予批准'),
  });
  const play = useMutation({
    mutationFn: () => call<ContentView>(api().GET('/evidence/{evidenceId}/content', { params: { path: { evidenceId: e.evidenceId }, query: { grantId: requestId! } } })),
    onSuccess: setContent,
  });
  return (
    <Card title="查看申请与播放（D6）">
      {requestId ? (
        <section aria-label="查看申请">
          <Typography.Paragraph>
            查看申请编号 <Typography.Text code>{requestId}</Typography.Text>。审批人（机关领导、执法监督部门）打开本页地址即可审批；申请人获批后可在此播放。
          </Typography.Paragraph>
          <Space wrap>
            <Button onClick={() => decide.mutate(true)} loading={decide.isPending}>
              批准查看
            </Button>
            <Button danger onClick={() => decide.mutate(false)} loading={decide.isPending}>
              不予批准
            </Button>
            <Button type="primary" onClick={() => play.mutate()} loading={play.isPending} disabled={e.status !== 'verified'}>
              播放
            </Button>
          </Space>
          {decide.data ? <Alert type="success" showIcon title={decide.data.status === 'approved' ? '已批准' : '已不予批准'} style={{ marginTop: 12 }} /> : null}
          {decide.error ? <Alert type="error" showIcon title={messageOf(decide.error)} style={{ marginTop: 12 }} /> : null}
          {play.error ? <Alert type="error" showIcon title={messageOf(play.error)} style={{ marginTop: 12 }} /> : null}
          {content ? (
            <Flex vertical gap={8} style={{ marginTop: 12 }}>
              {/* biome-ignore lint/a11y/useMediaCaption: an original recording has no caption track, and adding one would alter the evidence (D7); a transcript would be a derived copy of its own */}
              <video controls preload="metadata" src={content.url} aria-label={`播放：${e.title}`} style={{ maxWidth: 720, background: '#000' }} />
              <Typography.Text>地址 {Math.round(content.expiresIn / 60)} 分钟内有效；本次查看已记入审计。</Typography.Text>
            </Flex>
          ) : null}
        </section>
      ) : (
        <Form form={form} name="view-request" layout="inline" onFinish={(v) => request.mutate(v)} initialValues={{ scope: 'view', days: 1 }}>
          <Form.Item name="purpose" label="查看事由" rules={[{ required: true, message: '请填写查看事由' }]}>
            <Input maxLength={500} style={{ width: 320 }} />
          </Form.Item>
          <Form.Item name="scope" label="范围">
            <Select
              style={{ width: 120 }}
              options={[
                { value: 'view', label: '查看' },
                { value: 'download', label: '下载' },
              ]}
            />
          </Form.Item>
          <Form.Item name="days" label="期限（日）">
            <InputNumber min={1} max={366} />
          </Form.Item>
          <Button htmlType="submit" loading={request.isPending}>
            申请查看
          </Button>
          {request.error ? <Alert type="error" showIcon title={messageOf(request.error)} style={{ marginTop: 12, width: '100%' }} /> : null}
        </Form>
      )}
    </Card>
  );
};
