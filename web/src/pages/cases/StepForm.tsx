import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Flex, Form, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call, etagOf } from '../../api/client';
import type { CaseDetail, StepBody, StepKind } from '../../api/case-views';
import { applyProblemToForm } from '../../api/forms';
import { ApiProblem } from '../../api/problem';
import { DATE_INPUT_FORMAT, shanghaiToday } from '../../ui/format';
import { NoRipple } from '../../ui/NoRipple';
import { CASE_STEP_LABELS, OBSTRUCTION_LABELS, offeredSteps, SERVICE_METHOD_LABELS } from './case-labels';
import '../../ui/fieldset.css';

/**
 * 记录办案环节: one form whose fields follow the chosen step (告知, 听证, 法制审核, 集体讨论, 决定 …).
 * The API decides: a missing 告知 item (E5), an unsigned minutes (E6) or an officer without a valid
 * certificate (E1) come back with `errors[].path` and are shown on that field; a major decision
 * without a passed legal review (C1, C8) is shown beside the measures that made it major.
 */
type Values = Record<string, unknown> & { step: StepKind; on: Dayjs; officerIds?: string[]; note?: string; measures?: Record<string, unknown> };

/** names typed as 张三、李四 (the minutes' attendee and signature lists) */
const splitNames = (v: unknown) =>
  String(v ?? '')
    .split(/[、，,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));

const toBody = (v: Values): StepBody => {
  const { on, officerIds, note, attendees, signedBy, measures, ...rest } = v;
  const common = clean({ ...rest, on: on.format('YYYY-MM-DD'), officerIds: officerIds?.length ? officerIds : undefined, note });
  if (v.step === 'collectiveDiscussion') Object.assign(common, { attendees: splitNames(attendees), signedBy: splitNames(signedBy) });
  if (v.step === 'decision') Object.assign(common, { measures: clean(measures ?? {}) });
  return common as StepBody;
};

export const StepForm = ({ record }: { record: CaseDetail }) => {
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string>();
  const [major, setMajor] = useState<string>();
  const step = Form.useWatch('step', form);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const offered = offeredSteps(record.steps.map((s) => s.step));
  const save = useMutation({
    mutationFn: (v: Values) => call<CaseDetail>(api().POST('/cases/{caseId}/steps', { params: { path: { caseId: record.caseId }, header: { 'if-match': etagOf(record.version) } }, body: toBody(v) })),
    onSuccess: async (c) => {
      message.success(`已记录“${CASE_STEP_LABELS[c.state]}”`);
      queryClient.setQueryData(['case', record.caseId], c);
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      form.resetFields();
    },
    onError: (e) => {
      if (e instanceof ApiProblem && e.code === 'case.legalReviewRequired') {
        setMajor(e.message);
        return;
      }
      const r = applyProblemToForm(form, e);
      setProblem([r.message, ...r.unplaced.map((f) => `${f.path}：${f.message}`)].join('；'));
    },
  });
  if (offered.length === 0) return <Alert type="info" showIcon title="案件已归档，不再记录办案环节" />;
  return (
    <NoRipple>
      <Form<Values>
        form={form}
        name="case-step"
        layout="vertical"
        preserve={false}
        onFinish={(v) => save.mutate(v)}
        onValuesChange={() => {
          setProblem(undefined);
          setMajor(undefined);
        }}
        initialValues={{ step: offered[0], on: dayjs(shanghaiToday()) }}
      >
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
        <Flex gap={12} wrap>
          <Form.Item name="step" label="环节" style={{ width: 180 }}>
            <Select options={offered.map((s) => ({ value: s, label: CASE_STEP_LABELS[s] }))} />
          </Form.Item>
          <Form.Item name="on" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker allowClear={false} format={DATE_INPUT_FORMAT} />
          </Form.Item>
          <Form.Item name="officerIds" label="执法人员（默认主办）" style={{ minWidth: 280, flex: 1 }}>
            <Select mode="multiple" allowClear options={record.officers.map((o) => ({ value: o.officerId, label: o.name ?? o.officerId }))} />
          </Form.Item>
        </Flex>
        <StepFields step={step} major={major} />
        <Form.Item name="note" label="备注（可选）">
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" disabled={save.isPending}>
          记录环节
        </Button>
      </Form>
    </NoRipple>
  );
};

const TEXT = (name: string, label: string, max: number, rows = 3) => (
  <Form.Item name={name} label={label} rules={[{ required: true, whitespace: true, message: `请填写${label}` }]}>
    {rows > 1 ? <Input.TextArea rows={rows} maxLength={max} /> : <Input maxLength={max} />}
  </Form.Item>
);
const CHECK = (name: string | string[], label: string) => (
  <Form.Item name={name} valuePropName="checked" initialValue={false} style={{ marginBottom: 8 }}>
    <Checkbox>{label}</Checkbox>
  </Form.Item>
);
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

const StepFields = ({ step, major }: { step: StepKind | undefined; major: string | undefined }) => {
  switch (step) {
    case 'investigation':
      return (
        <>
          {TEXT('evidence', '调查取证情况', 4000)}
          <Form.Item name="obstruction" label="当事人逃避、拒绝、阻挠、侮辱或殴打执法人员（如有，相关录音录像长期保存，D4）">
            <Select allowClear options={options(OBSTRUCTION_LABELS)} />
          </Form.Item>
        </>
      );
    case 'notice':
      return (
        <fieldset className="ea-fieldset">
          <legend>告知（E5）</legend>
          {TEXT('documentNumber', '告知书文号', 64, 1)}
          {CHECK('toldFactsReasonsBasis', '已告知拟作出决定的事实、理由和依据')}
          {CHECK('toldRightToStateAndDefend', '已告知陈述、申辩的权利')}
          {CHECK('toldHearingRight', '已告知要求听证的权利')}
          {CHECK('certificateShown', '已出示执法证件')}
        </fieldset>
      );
    case 'hearing':
      return (
        <>
          {CHECK('held', '已举行听证')}
          {TEXT('summary', '听证情况', 4000)}
        </>
      );
    case 'legalReview':
      return TEXT('processId', '法制审核流程编号', 64, 1);
    case 'collectiveDiscussion':
      return (
        <fieldset className="ea-fieldset">
          <legend>集体讨论记录（E6）</legend>
          {TEXT('chair', '主持人', 50, 1)}
          {TEXT('attendees', '出席人员（以“、”分隔，至少 3 人）', 2000, 1)}
          {TEXT('decision', '讨论决定', 8000)}
          <Form.Item name="dissent" label="不同意见（可选）">
            <Input.TextArea rows={2} maxLength={8000} />
          </Form.Item>
          {TEXT('signedBy', '签名人员（以“、”分隔）', 2000, 1)}
        </fieldset>
      );
    case 'decision':
      return (
        <>
          {TEXT('documentNumber', '决定书文号', 64, 1)}
          <fieldset className="ea-fieldset" aria-describedby={major ? 'case-major-refusal' : undefined}>
            <legend>处理措施</legend>
            {major ? <Alert id="case-major-refusal" type="error" showIcon title={major} style={{ marginBottom: 12 }} /> : null}
            <Flex gap={12} wrap>
              <Form.Item name={['measures', 'fine']} label="罚款（元）">
                <InputNumber min={0} style={{ width: 180 }} />
              </Form.Item>
              <Form.Item name={['measures', 'confiscationValue']} label="没收违法所得或非法财物价值（元）">
                <InputNumber min={0} style={{ width: 180 }} />
              </Form.Item>
              <Form.Item name={['measures', 'detentionDays']} label="拘留（日）">
                <InputNumber min={0} max={365} precision={0} style={{ width: 120 }} />
              </Form.Item>
            </Flex>
            {CHECK(['measures', 'stopProductionOrBusiness'], '责令停产停业')}
            {CHECK(['measures', 'licenceRevocation'], '吊销许可证或执照')}
            <Form.Item name={['measures', 'other']} label="其他措施（可选）">
              <Input maxLength={500} />
            </Form.Item>
          </fieldset>
        </>
      );
    case 'service':
      return (
        <Flex gap={12}>
          <Form.Item name="method" label="送达方式" rules={[{ required: true, message: '请选择送达方式' }]} style={{ width: 180 }}>
            <Select options={options(SERVICE_METHOD_LABELS)} />
          </Form.Item>
          <Form.Item name="receiptNumber" label="送达回证编号（可选）" style={{ flex: 1 }}>
            <Input maxLength={64} />
          </Form.Item>
        </Flex>
      );
    case 'execution':
      return TEXT('summary', '执行情况', 4000);
    case 'archived':
      return TEXT('archiveNumber', '档案号', 64, 1);
    default:
      return null;
  }
};
