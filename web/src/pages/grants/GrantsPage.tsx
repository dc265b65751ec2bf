import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, call, etagOf, idempotencyKey } from '../../api/client';
import { applyProblemToForm } from '../../api/forms';
import type { RequestBody } from '../../api/views';
import { hasRole, useSession } from '../../auth/session';
import { formatDateTime } from '../../ui/format';
import { NoRipple } from '../../ui/NoRipple';
import { EmptyState, QueryView } from '../../ui/states';
import { useOfficers } from '../cases/directory';

/**
 * 查阅授权 (A8): anyone who may not read an officer's file asks for a grant with its purpose, the
 * actions and the days (at most the rule version's maximum); the agency's leadership or political
 * department approve or refuse it; the requester follows the answer under 我的查阅授权.
 */
type GrantRequest = RequestBody<'/officers/{officerId}/file/grants', 'post'>;
type GrantAction = GrantRequest['actions'][number];
const ACTION_LABELS: Record<GrantAction, string> = { 'file.read': '查阅档案', 'entry.draft': '录入档案条目' };
const STATUS = { requested: ['待审批', 'gold'], approved: ['已批准', 'green'], rejected: ['已驳回', 'red'], revoked: ['已撤销', 'default'] } as const;

interface Grant {
  grantId: string;
  officerId: string;
  granteeUserId: string;
  actions: GrantAction[];
  status: keyof typeof STATUS;
  expiresAt?: string;
  purpose: string;
  requestedDays: number;
  createdAt: string;
  reason?: string;
  version: number;
}

const StatusTag = ({ status }: { status: Grant['status'] }) => <Tag color={STATUS[status][1]}>{STATUS[status][0]}</Tag>;

const GrantsPage = () => {
  const user = useSession()!.user;
  const officers = useOfficers(user.agencyId);
  const name = (id: string) => officers.data?.items.find((o) => o.officerId === id)?.name ?? id;
  const mine = useQuery({ queryKey: ['grants', 'mine'], queryFn: () => call<{ items: Grant[] }>(api().GET('/me/grants')) });
  return (
    <NoRipple>
      <Flex vertical gap={16}>
        <Typography.Title level={1} className="ea-page-title">
          查阅授权
        </Typography.Title>
        <RequestForm />
        <Card title="我的查阅授权">
          <QueryView query={mine} isEmpty={(d) => d.items.length === 0} empty={<EmptyState description="尚未申请查阅授权" />}>
            {(d) => (
              <section aria-label="我的查阅授权">
                <Table<Grant>
                  rowKey="grantId"
                  size="small"
                  pagination={false}
                  dataSource={d.items}
                  columns={[
                    { title: '档案', dataIndex: 'officerId', render: name },
                    { title: '用途', dataIndex: 'purpose' },
                    { title: '事项', dataIndex: 'actions', render: (a: GrantAction[]) => a.map((x) => ACTION_LABELS[x]).join('、') },
                    {
                      title: '状态',
                      dataIndex: 'status',
                      render: (s: Grant['status'], g) => (
                        <Flex vertical gap={2}>
                          <StatusTag status={s} />
                          {g.reason ? <span>理由：{g.reason}</span> : null}
                        </Flex>
                      ),
                    },
                    { title: '有效至', dataIndex: 'expiresAt', render: (v?: string) => (v ? formatDateTime(v) : '—') },
                  ]}
                />
              </section>
            )}
          </QueryView>
        </Card>
        {hasRole(user, 'leadership', 'political') ? <ApprovalPanel /> : null}
      </Flex>
    </NoRipple>
  );
};
export default GrantsPage;

const RequestForm = () => {
  const user = useSession()!.user;
  const officers = useOfficers(user.agencyId);
  const [form] = Form.useForm<GrantRequest & { officerId: string }>();
  const [problem, setProblem] = useState<string>();
  const [key, setKey] = useState(idempotencyKey);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const request = useMutation({
    mutationFn: ({ officerId, ...body }: GrantRequest & { officerId: string }) =>
      call<Grant>(api().POST('/officers/{officerId}/file/grants', { params: { path: { officerId }, header: { 'idempotency-key': key } }, body })),
    onSuccess: async () => {
      message.success('已提交查阅授权申请');
      setKey(idempotencyKey());
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['grants'] });
    },
    onError: (e) => {
      setKey(idempotencyKey());
      const r = applyProblemToForm(form, e);
      setProblem([r.message, ...r.unplaced.map((f) => f.message)].join('；'));
    },
  });
  return (
    <Card title="申请查阅授权">
      {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        name="grant-request"
        layout="vertical"
        onFinish={(v) => request.mutate(v)}
        onValuesChange={() => setProblem(undefined)}
        initialValues={{ actions: ['file.read'], days: 7 }}
        style={{ maxWidth: 760 }}
      >
        <Flex gap={12}>
          <Form.Item name="officerId" label="档案所属执法人员" rules={[{ required: true, message: '请选择执法人员' }]} style={{ flex: 1 }}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={(officers.data?.items ?? []).filter((o) => o.officerId !== user.officerId).map((o) => ({ value: o.officerId, label: `${o.name}（${o.staffNumber}）` }))}
            />
          </Form.Item>
          <Form.Item name="days" label="期限（日）" rules={[{ required: true, message: '请填写期限' }]}>
            <InputNumber min={1} max={3650} precision={0} />
          </Form.Item>
        </Flex>
        <Form.Item name="actions" label="事项" rules={[{ required: true, message: '请选择事项' }]}>
          <Select mode="multiple" options={Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="purpose" label="用途" rules={[{ required: true, whitespace: true, message: '请说明用途' }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Button type="primary" htmlType="submit" disabled={request.isPending}>
          提交申请
        </Button>
      </Form>
    </Card>
  );
};

const ApprovalPanel = () => {
  const user = useSession()!.user;
  const officers = useOfficers(user.agencyId);
  const [officerId, setOfficerId] = useState<string>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const grants = useQuery({
    queryKey: ['grants', 'file', officerId],
    queryFn: () => call<{ items: Grant[] }>(api().GET('/officers/{officerId}/file/grants', { params: { path: { officerId: officerId! } } })),
    enabled: !!officerId,
  });
  const decide = useMutation({
    mutationFn: ({ g, approve }: { g: Grant; approve: boolean }) =>
      call<Grant>(
        api().POST('/officers/{officerId}/file/grants/{grantId}/decision', {
          params: { path: { officerId: g.officerId, grantId: g.grantId }, header: { 'if-match': etagOf(g.version) } },
          body: approve ? { decision: 'approve' } : { decision: 'reject', reason: '用途不符合查阅范围' },
        }),
      ),
    onSuccess: async (g) => {
      message.success(g.status === 'approved' ? '已批准' : '已驳回');
      await queryClient.invalidateQueries({ queryKey: ['grants'] });
    },
    onError: (e) => message.error(e.message),
  });
  return (
    <Card
      title="审批查阅授权"
      extra={
        <Flex gap={8} align="center">
          <label htmlFor="grant-file">档案</label>
          <Select
            id="grant-file"
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 240 }}
            value={officerId}
            onChange={setOfficerId}
            options={(officers.data?.items ?? []).map((o) => ({ value: o.officerId, label: `${o.name}（${o.staffNumber}）` }))}
          />
        </Flex>
      }
    >
      {!officerId ? (
        <EmptyState description="选择执法人员，查看其档案的查阅授权申请" />
      ) : (
        <QueryView query={grants} isEmpty={(d) => d.items.length === 0} empty={<EmptyState description="该档案没有查阅授权申请" />}>
          {(d) => (
            <section aria-label="档案的查阅授权申请">
              <Table<Grant>
                rowKey="grantId"
                size="small"
                pagination={false}
                dataSource={d.items}
                columns={[
                  { title: '申请人', dataIndex: 'granteeUserId' },
                  { title: '用途', dataIndex: 'purpose' },
                  { title: '事项', dataIndex: 'actions', render: (a: GrantAction[]) => a.map((x) => ACTION_LABELS[x]).join('、') },
                  { title: '期限', dataIndex: 'requestedDays', render: (n: number) => `${n} 日` },
                  { title: '状态', dataIndex: 'status', render: (s: Grant['status']) => <StatusTag status={s} /> },
                  {
                    title: '操作',
                    render: (_, g) =>
                      g.status === 'requested' ? (
                        <Flex gap={8}>
                          <Button size="small" type="primary" disabled={decide.isPending} onClick={() => decide.mutate({ g, approve: true })} aria-label={`批准：${g.purpose}`}>
                            批准
                          </Button>
                          <Button size="small" danger disabled={decide.isPending} onClick={() => decide.mutate({ g, approve: false })} aria-label={`驳回：${g.purpose}`}>
                            驳回
                          </Button>
                        </Flex>
                      ) : null,
                  },
                ]}
              />
            </section>
          )}
        </QueryView>
      )}
    </Card>
  );
};
