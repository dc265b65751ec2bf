import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, call, callWithEtag, etagOf } from '../../api/client';
import { messageOf } from '../../api/problem';
import { formatDateTime } from '../../ui/format';
import { EmptyState } from '../../ui/states';
import { HOLD_REASON_LABELS } from './evidence-labels';
import type { CopyView, EvidenceView } from './evidence-views';

/** Holds (D4), the copy register (D5) and disposition (two approvers, D7) of one recording. */
const useRefresh = (evidenceId: string) => {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['evidence', evidenceId] });
};

export const HoldsPanel = ({ e, etag }: { e: EvidenceView; etag: string }) => {
  const refresh = useRefresh(e.evidenceId);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string; note?: string }>();
  const [releaseNote, setReleaseNote] = useState('');
  const place = useMutation({
    mutationFn: (v: { reason: string; note?: string }) =>
      call(
        api().POST('/evidence/{evidenceId}/holds', {
          params: { path: { evidenceId: e.evidenceId }, header: { 'if-match': etag } },
          body: { reason: v.reason as never, ...(v.note ? { note: v.note } : {}) },
        }),
      ),
    onSuccess: async () => {
      message.success('已采取长期保存措施');
      form.resetFields();
      await refresh();
    },
  });
  const release = useMutation({
    mutationFn: (holdId: string) =>
      call(api().POST('/evidence/{evidenceId}/holds/{holdId}/release', { params: { path: { evidenceId: e.evidenceId, holdId }, header: { 'if-match': etag } }, body: { note: releaseNote } })),
    onSuccess: async () => {
      message.success('已解除保存措施（已开始的长期保存期限不变）');
      await refresh();
    },
  });
  return (
    <Card title="保存措施（D4）">
      {e.holds.length ? (
        <Table
          rowKey="holdId"
          size="small"
          pagination={false}
          dataSource={e.holds}
          columns={[
            { title: '事由', dataIndex: 'reason', render: (r: string) => HOLD_REASON_LABELS[r] ?? r },
            { title: '说明', dataIndex: 'note', render: (v?: string) => v ?? '—' },
            { title: '采取时间', dataIndex: 'placedAt', render: (v: string) => formatDateTime(v) },
            {
              title: '状态',
              key: 'state',
              render: (_: unknown, h) =>
                h.releasedAt ? (
                  `已于 ${formatDateTime(h.releasedAt)} 解除`
                ) : (
                  <Button size="small" disabled={!releaseNote} onClick={() => release.mutate(h.holdId)}>
                    解除
                  </Button>
                ),
            },
          ]}
        />
      ) : (
        <Typography.Text>没有保存措施</Typography.Text>
      )}
      {e.holds.some((h) => !h.releasedAt) ? (
        <Input aria-label="解除理由" placeholder="解除理由（解除前填写）" value={releaseNote} onChange={(x) => setReleaseNote(x.target.value)} style={{ marginTop: 8, maxWidth: 480 }} />
      ) : null}
      {e.status === 'verified' ? (
        <Form form={form} name="hold" layout="inline" onFinish={(v) => place.mutate(v)} style={{ marginTop: 12 }}>
          <Form.Item name="reason" label="保存事由" rules={[{ required: true, message: '请选择保存事由' }]}>
            <Select style={{ width: 200 }} options={Object.entries(HOLD_REASON_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="note" label="说明（可选）">
            <Input maxLength={2000} style={{ width: 280 }} />
          </Form.Item>
          <Button htmlType="submit" loading={place.isPending}>
            长期保存
          </Button>
        </Form>
      ) : null}
      {place.error || release.error ? <Alert type="error" showIcon title={messageOf(place.error ?? release.error)} style={{ marginTop: 12 }} /> : null}
    </Card>
  );
};

export const CopiesPanel = ({ e }: { e: EvidenceView }) => {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ recipient: string; purpose: string; reference: string }>();
  const copies = useQuery({
    queryKey: ['evidence-copies', e.evidenceId],
    queryFn: () => call<{ items: CopyView[] }>(api().GET('/evidence/{evidenceId}/copies', { params: { path: { evidenceId: e.evidenceId } } })),
    enabled: e.status === 'verified',
  });
  const produce = useMutation({
    mutationFn: (v: { recipient: string; purpose: string; reference: string }) =>
      call<{ copy: CopyView; download: { url: string } }>(api().POST('/evidence/{evidenceId}/copies', { params: { path: { evidenceId: e.evidenceId } }, body: v })),
    onSuccess: async () => {
      message.success('复制件已制作并登记');
      form.resetFields();
      await copies.refetch();
    },
  });
  if (e.status !== 'verified') return null;
  return (
    <Card title="复制件登记（D5）">
      {copies.data?.items.length ? (
        <Table
          rowKey="copyId"
          size="small"
          pagination={false}
          dataSource={copies.data.items}
          columns={[
            { title: '接收单位', dataIndex: 'recipient' },
            { title: '用途', dataIndex: 'purpose' },
            { title: '文号', dataIndex: 'reference' },
            { title: '制作时间', dataIndex: 'producedAt', render: (v: string) => formatDateTime(v) },
          ]}
        />
      ) : copies.error ? (
        <Alert type="info" showIcon title={messageOf(copies.error)} />
      ) : (
        <EmptyState description="尚无复制件" />
      )}
      <Form form={form} name="copy" layout="inline" onFinish={(v) => produce.mutate(v)} style={{ marginTop: 12 }}>
        <Form.Item name="recipient" label="接收单位" rules={[{ required: true, message: '请填写接收单位' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="purpose" label="用途" rules={[{ required: true, message: '请填写用途' }]}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="reference" label="文号" rules={[{ required: true, message: '请填写文号' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Button htmlType="submit" loading={produce.isPending}>
          制作复制件
        </Button>
      </Form>
      {produce.data ? <Alert type="success" showIcon title="复制件已登记" action={<a href={produce.data.download.url}>下载复制件</a>} style={{ marginTop: 12 }} /> : null}
      {produce.error ? <Alert type="error" showIcon title={messageOf(produce.error)} style={{ marginTop: 12 }} /> : null}
    </Card>
  );
};

export const DispositionPanel = ({ e }: { e: EvidenceView }) => {
  const { message } = App.useApp();
  const [etag, setEtag] = useState<string>();
  const propose = useMutation({
    mutationFn: () => callWithEtag(api().POST('/evidence/{evidenceId}/disposition', { params: { path: { evidenceId: e.evidenceId } } })),
    onSuccess: (r) => {
      setEtag(r.etag);
      message.success('已提出销毁申请，待两名审批人批准');
    },
  });
  const approve = useMutation({
    // the API has no read of the proposal: a fresh proposal is at its first version
    mutationFn: () => callWithEtag(api().POST('/evidence/{evidenceId}/disposition/approvals', { params: { path: { evidenceId: e.evidenceId }, header: { 'if-match': etag ?? etagOf(1) } } })),
    onSuccess: (r) => {
      setEtag(r.etag);
      message.success('已批准销毁');
    },
  });
  if (e.status !== 'verified' && e.status !== 'disposing') return null;
  const error = propose.error ?? approve.error;
  return (
    <Card title="销毁审批（保存期限届满后，须两名不同人员批准）">
      <Space>
        <Button onClick={() => propose.mutate()} loading={propose.isPending}>
          申请销毁
        </Button>
        <Button onClick={() => approve.mutate()} loading={approve.isPending}>
          批准销毁
        </Button>
      </Space>
      {error ? <Alert type="warning" showIcon title={messageOf(error)} style={{ marginTop: 12 }} /> : null}
    </Card>
  );
};
