import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Card, Descriptions, Flex, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { api, call } from '../../api/client';
import type { CaseDetail, CaseStepRecord } from '../../api/case-views';
import { PATHS } from '../../app/paths';
import { formatDate, formatDateTime } from '../../ui/format';
import { QueryView } from '../../ui/states';
import { CASE_KIND_LABELS, CASE_STEP_LABELS, CASE_STEPS, OFFICER_ROLE_LABELS } from './case-labels';
import { useUnits } from './directory';
import { StepForm } from './StepForm';
import './cases.css';

/**
 * 一案一表: one case's form — who, what, the parties (personal fields masked for those who do not
 * handle it, PIPL), the officers and their posts, the stages reached, every step recorded with its
 * date and acting officers, and the form for the next step (for those who handle the case).
 */
const CasePage = () => {
  const { caseId = '' } = useParams();
  const q = useQuery({ queryKey: ['case', caseId], queryFn: () => call<CaseDetail>(api().GET('/cases/{caseId}', { params: { path: { caseId } } })) });
  return (
    <Flex vertical gap={16}>
      <Breadcrumb items={[{ title: <Link to={PATHS.cases}>案件</Link> }, { title: q.data?.caseNumber ?? '案件详情' }]} />
      <QueryView query={q}>{(c) => <CaseForm record={c} />}</QueryView>
    </Flex>
  );
};
export default CasePage;

const stepDetail = (s: CaseStepRecord): string =>
  Object.entries(s.detail)
    .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
    .map(([, v]) => (typeof v === 'boolean' ? (v ? '是' : '否') : String(v)))
    .join('；');

const CaseForm = ({ record: c }: { record: CaseDetail }) => {
  const units = useUnits(c.agencyId);
  const name = (id: string) => c.officers.find((o) => o.officerId === id)?.name ?? id;
  const reached = new Set(c.steps.map((s) => s.step));
  const current = CASE_STEPS.indexOf(c.state);
  return (
    <>
      <Typography.Title level={1} className="ea-page-title">
        {c.title}
      </Typography.Title>
      <Card title="一案一表">
        <Descriptions column={3} size="small" bordered>
          <Descriptions.Item label="案号">{c.caseNumber}</Descriptions.Item>
          <Descriptions.Item label="类别">{CASE_KIND_LABELS[c.kind]}</Descriptions.Item>
          <Descriptions.Item label="承办部门">{units.data?.items.find((u) => u.unitId === c.unitId)?.name ?? c.unitId}</Descriptions.Item>
          <Descriptions.Item label="当前环节">
            <Tag color="blue">{CASE_STEP_LABELS[c.state]}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="立案日期">{formatDate(c.steps[0]?.on)}</Descriptions.Item>
          <Descriptions.Item label="最后更新">{formatDateTime(c.updatedAt)}</Descriptions.Item>
          {c.decision ? (
            <Descriptions.Item label="决定" span={3}>
              {c.decision.documentNumber}（{formatDate(c.decision.decidedOn)}）
              {c.decision.major.major ? (
                <Tag color="red" style={{ marginLeft: 8 }}>
                  重大执法决定：{c.decision.major.reasons.join('；')}
                </Tag>
              ) : null}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        <Steps
          style={{ marginTop: 16 }}
          size="small"
          current={current}
          aria-label="办案环节进度"
          items={CASE_STEPS.map((s) => ({ title: CASE_STEP_LABELS[s], status: reached.has(s) ? (s === c.state ? 'process' : 'finish') : 'wait' }))}
        />
      </Card>
      <Flex gap={16} wrap>
        <Card title="当事人" style={{ flex: 1, minWidth: 360 }}>
          {c.personalDataMasked ? <Alert type="info" showIcon title="您不是本案承办人员，当事人的个人信息已部分隐去" style={{ marginBottom: 8 }} /> : null}
          <Table
            rowKey={(p) => `${p.name}-${p.idNumber ?? ''}`}
            size="small"
            pagination={false}
            dataSource={c.parties}
            columns={[
              { title: '名称', dataIndex: 'name' },
              { title: '类型', dataIndex: 'partyKind', render: (k: string) => (k === 'organisation' ? '单位' : '个人') },
              { title: '证件号', dataIndex: 'idNumber', render: (v?: string) => v ?? '—' },
            ]}
          />
        </Card>
        <Card title="执法人员" style={{ flex: 1, minWidth: 320 }}>
          <Table
            rowKey={(o) => `${o.officerId}-${o.role}`}
            size="small"
            pagination={false}
            dataSource={c.officers}
            columns={[
              { title: '姓名', dataIndex: 'name', render: (v: string | undefined, o) => v ?? o.officerId },
              { title: '职责', dataIndex: 'role', render: (r: keyof typeof OFFICER_ROLE_LABELS) => OFFICER_ROLE_LABELS[r] },
            ]}
          />
        </Card>
      </Flex>
      <Card title="办案记录">
        <section aria-label="已记录的办案环节">
          <Timeline
            items={c.steps.map((s, i) => ({
              key: `${s.step}-${i}`,
              content: (
                <div>
                  <strong>{CASE_STEP_LABELS[s.step]}</strong>　{formatDate(s.on)}　执法人员：{s.officerIds.map(name).join('、') || '—'}
                  {stepDetail(s) ? <div className="ea-step-detail">{stepDetail(s)}</div> : null}
                </div>
              ),
            }))}
          />
        </section>
      </Card>
      <Card title="记录办案环节">
        <StepForm key={c.version} record={c} />
      </Card>
    </>
  );
};
