import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Select, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import { applyProblemToForm } from '../../api/forms';
import { useCursorList } from '../../api/paging';
import { messageOf } from '../../api/problem';
import type { AuditRecord, AuditVerification, Page, QueryOf } from '../../api/views';
import { DATE_INPUT_FORMAT, formatDate, formatDateTime, shanghaiToday } from '../../ui/format';
import { AUDIT_OUTCOME_LABELS, label, ROLE_LABELS } from '../../ui/labels';
import { LoadMore } from '../../ui/LoadMore';
import { EmptyState, ErrorState, ListLoading } from '../../ui/states';

/**
 * 审计 (安全审计员): the agency's audit records of one day by object, actor and outcome, exported as
 * CSV with the same filters, and the verification of every audit hash chain of the agency. Each of
 * these reads is itself audited by the API.
 */
type AuditQuery = QueryOf<'/audit', 'get'>;
type Filters = Omit<AuditQuery, 'limit' | 'cursor'>;
type ObjectType = NonNullable<AuditQuery['objectType']>;
const OBJECT_TYPES: Record<ObjectType, string> = {
  file: '执法档案',
  entry: '档案条目',
  grant: '查阅授权',
  rule: '规则',
  officer: '执法人员',
  agency: '机关',
  attachment: '附件',
  qualification: '执法证',
  audit: '审计',
  process: '流程',
  notification: '消息',
  calendar: '工作日历',
  case: '案件',
  evidence: '声像资料',
};
const PAGE_SIZE = 100;

interface FormValues {
  date?: Dayjs;
  objectType?: ObjectType;
  objectId?: string;
  actor?: string;
  outcome?: Filters['outcome'];
}

const toFilters = (v: FormValues): Filters => ({
  ...(v.date ? { date: v.date.format('YYYY-MM-DD') } : {}),
  ...(v.objectType ? { objectType: v.objectType } : {}),
  ...(v.objectId?.trim() ? { objectId: v.objectId.trim() } : {}),
  ...(v.actor?.trim() ? { actor: v.actor.trim() } : {}),
  ...(v.outcome ? { outcome: v.outcome } : {}),
});

const AuditPage = () => {
  const [form] = Form.useForm<FormValues>();
  const [filters, setFilters] = useState<Filters>({ date: shanghaiToday() });
  const [formProblem, setFormProblem] = useState<string>();
  const { message } = App.useApp();
  const records = useCursorList<AuditRecord>(['audit', filters], (cursor) => call<Page<AuditRecord>>(api().GET('/audit', { params: { query: { ...filters, limit: PAGE_SIZE, cursor } } })));
  const exportCsv = useMutation({
    mutationFn: async () => {
      const r = await api().GET('/audit/export.csv', { params: { query: filters }, parseAs: 'blob' });
      // a refusal arrives as problem+json: `call` turns it into the API's Chinese message
      if (!r.response.ok) await call(Promise.resolve(r));
      return r.data as unknown as Blob;
    },
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `审计记录-${filters.date ?? '今日'}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      message.success('已导出 CSV');
    },
    onError: (e) => message.error(messageOf(e)),
  });
  const verify = useMutation({ mutationFn: () => call<AuditVerification>(api().GET('/audit/verify')) });

  // a refusal of the filters (problem+json errors[].path = query.*) goes onto the filter fields
  useEffect(() => {
    if (records.error) setFormProblem(applyProblemToForm(form, records.error, 'query').message);
  }, [records.error, form]);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} className="ea-page-title">
        审计
      </Typography.Title>
      <Card
        title={
          <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
            审计记录查询
          </Typography.Title>
        }
      >
        <Form<FormValues>
          form={form}
          layout="inline"
          style={{ rowGap: 8, marginBottom: 16 }}
          initialValues={{ date: dayjs(shanghaiToday()) }}
          onFinish={(v) => {
            setFormProblem(undefined);
            setFilters(toFilters(v));
          }}
        >
          <Form.Item name="date" label="日期">
            <DatePicker allowClear={false} format={DATE_INPUT_FORMAT} />
          </Form.Item>
          <Form.Item name="objectType" label="对象类型">
            <Select allowClear placeholder="全部" style={{ width: 140 }} options={(Object.keys(OBJECT_TYPES) as ObjectType[]).map((k) => ({ value: k, label: OBJECT_TYPES[k] }))} />
          </Form.Item>
          <Form.Item name="objectId" label="对象编号">
            <Input allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="actor" label="操作人">
            <Input allowClear placeholder="用户编号" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="outcome" label="结果">
            <Select allowClear placeholder="全部" style={{ width: 110 }} options={Object.entries(AUDIT_OUTCOME_LABELS).map(([value, l]) => ({ value, label: l }))} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
          </Form.Item>
          <Form.Item>
            <Button icon={<DownloadOutlined />} loading={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
              导出 CSV
            </Button>
          </Form.Item>
        </Form>
        {formProblem ? <Alert type="error" showIcon title={formProblem} style={{ marginBottom: 12 }} /> : null}
        {records.isPending ? (
          <ListLoading />
        ) : records.error ? (
          formProblem ? null : (
            <ErrorState error={records.error} onRetry={records.refetch} />
          )
        ) : records.items.length === 0 ? (
          <EmptyState description={`${filters.date ? formatDate(filters.date) : '当日'}没有符合条件的审计记录`} />
        ) : (
          <>
            {/* a wide table scrolls inside a region the keyboard can reach (axe: scrollable-region-focusable) */}
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1; axe scrollable-region-focusable) */}
            <section aria-label="审计记录列表" tabIndex={0} style={{ overflowX: 'auto', marginBottom: 12 }}>
              <Table<AuditRecord>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={records.items}
                style={{ minWidth: 1100 }}
                columns={[
                  { title: '时间', dataIndex: 'at', width: 170, render: (t: string) => formatDateTime(t) },
                  { title: '操作人', key: 'actor', width: 200, render: (_, r) => `${r.actor.userId}（${r.actor.roles.map((x) => label(ROLE_LABELS, x)).join('、')}）` },
                  { title: '操作', dataIndex: 'action', width: 170 },
                  { title: '对象', key: 'object', render: (_, r) => `${OBJECT_TYPES[r.objectType as ObjectType] ?? r.objectType} ${r.objectId}` },
                  {
                    title: '结果',
                    dataIndex: 'outcome',
                    width: 80,
                    render: (o: string) => <Tag color={o === 'allowed' ? 'success' : o === 'denied' ? 'error' : 'warning'}>{label(AUDIT_OUTCOME_LABELS, o)}</Tag>,
                  },
                  { title: '依据 / 原因', key: 'why', width: 180, render: (_, r) => [r.basis, r.purpose, r.reason].filter(Boolean).join('；') || '—' },
                  { title: '链', key: 'chain', width: 90, render: (_, r) => `#${r.seq}` },
                ]}
              />
            </section>
            <LoadMore hasMore={records.hasMore} loading={records.loadingMore} onLoad={records.loadMore} count={records.items.length} />
          </>
        )}
      </Card>
      <Card
        title={
          <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
            审计哈希链校验
          </Typography.Title>
        }
      >
        <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
          校验本机关全部审计链
        </Button>
        {verify.error ? <ErrorState error={verify.error} /> : null}
        {verify.data ? (
          <div style={{ marginTop: 16 }}>
            <Alert
              type={verify.data.ok ? 'success' : 'error'}
              showIcon
              role={verify.data.ok ? 'status' : 'alert'}
              title={
                verify.data.ok ? `审计链完整：${verify.data.chains.length} 条链、共 ${verify.data.chains.reduce((n, c) => n + c.count, 0)} 条记录逐条校验通过` : '审计链异常：请立即报告安全保密管理员'
              }
              style={{ marginBottom: 12 }}
            />
            <Table
              size="small"
              rowKey="chainId"
              pagination={false}
              dataSource={verify.data.chains}
              columns={[
                { title: '链', dataIndex: 'chainId' },
                { title: '记录数', dataIndex: 'count', width: 100 },
                { title: '结果', dataIndex: 'ok', width: 100, render: (ok: boolean) => <Tag color={ok ? 'success' : 'error'}>{ok ? '完整' : '异常'}</Tag> },
                { title: '链头哈希', dataIndex: 'headHash', render: (h: string) => <span className="ea-hash">{h}</span> },
              ]}
            />
          </div>
        ) : null}
      </Card>
    </Flex>
  );
};
export default AuditPage;
