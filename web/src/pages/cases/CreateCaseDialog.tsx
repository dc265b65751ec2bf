import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Flex, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call, idempotencyKey } from '../../api/client';
import type { CaseDetail, CaseKind, CreateCaseBody, OfficerRole, PartyBody } from '../../api/case-views';
import { applyProblemToForm } from '../../api/forms';
import { useSession } from '../../auth/session';
import { DATE_INPUT_FORMAT, shanghaiToday } from '../../ui/format';
import { NoRipple } from '../../ui/NoRipple';
import { CASE_KIND_LABELS, OFFICER_ROLE_LABELS } from './case-labels';
import './cases.css';
import { useOfficers, useUnits } from './directory';
import '../../ui/fieldset.css';

/**
 * 立案登记: the case form (一案一表, A2) — kind, number, department, parties, the officers and their
 * posts. The API's refusals land on the field they name (`body.officers` for an officer without a
 * valid certificate on the day, E1; `body.parties.0.idNumber` …); the rest in the form's alert.
 */
interface Values {
  kind: CaseKind;
  title: string;
  caseNumber: string;
  unitId: string;
  filedOn: Dayjs;
  summary?: string;
  parties: { partyKind: PartyBody['partyKind']; name: string; idNumber?: string; phone?: string; address?: string }[];
  officers: { officerId: string; role: OfficerRole }[];
}

const blankToUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;

export const CreateCaseDialog = ({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (caseId: string) => void }) => {
  const user = useSession()!.user;
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string>();
  const [key, setKey] = useState(idempotencyKey);
  const units = useUnits(user.agencyId);
  const officers = useOfficers(user.agencyId);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const create = useMutation({
    mutationFn: (v: Values) => {
      const body: CreateCaseBody = {
        kind: v.kind,
        title: v.title,
        caseNumber: v.caseNumber,
        unitId: v.unitId,
        filedOn: v.filedOn.format('YYYY-MM-DD'),
        ...(v.summary ? { summary: v.summary } : {}),
        parties: v.parties.map((p) => blankToUndefined(p)),
        officers: v.officers,
      };
      return call<CaseDetail>(api().POST('/cases', { params: { header: { 'idempotency-key': key } }, body }));
    },
    onSuccess: async (c) => {
      message.success('已立案登记');
      setKey(idempotencyKey());
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      onClose();
      onCreated(c.caseId);
    },
    onError: (e) => {
      // a refused request may be corrected and sent again: a new key for the corrected form
      setKey(idempotencyKey());
      const r = applyProblemToForm(form, e);
      setProblem([r.message, ...r.unplaced.map((f) => f.message)].join('；'));
    },
  });
  const officerOptions = (officers.data?.items ?? []).filter((o) => o.status === 'active').map((o) => ({ value: o.officerId, label: `${o.name}（${o.post}）` }));

  return (
    <NoRipple>
      <Modal
        open={open}
        title="立案登记"
        okText="立案"
        cancelText="取消"
        width={760}
        onCancel={onClose}
        onOk={() => form.submit()}
        okButtonProps={{ disabled: create.isPending }}
        destroyOnHidden
        afterOpenChange={(o) => {
          if (!o) setProblem(undefined);
        }}
      >
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
        <Form<Values>
          form={form}
          name="create-case"
          layout="vertical"
          preserve={false}
          onFinish={(v) => create.mutate(v)}
          onValuesChange={() => setProblem(undefined)}
          initialValues={{
            kind: 'penalty',
            unitId: user.unitId,
            filedOn: dayjs(shanghaiToday()),
            parties: [{ partyKind: 'organisation', name: '' }],
            officers: user.officerId ? [{ officerId: user.officerId, role: 'lead' }] : [{ role: 'lead' }],
          }}
        >
          <Flex gap={12}>
            <Form.Item name="kind" label="案件类别" rules={[{ required: true, message: '请选择案件类别' }]} style={{ width: 160 }}>
              <Select options={Object.entries(CASE_KIND_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item name="caseNumber" label="案号" rules={[{ required: true, whitespace: true, message: '请填写案号' }]} style={{ flex: 1 }}>
              <Input maxLength={64} placeholder="如 青司罚〔2026〕1号" />
            </Form.Item>
            <Form.Item name="filedOn" label="立案日期" rules={[{ required: true, message: '请选择立案日期' }]}>
              <DatePicker allowClear={false} format={DATE_INPUT_FORMAT} />
            </Form.Item>
          </Flex>
          <Form.Item name="title" label="案件名称" rules={[{ required: true, whitespace: true, message: '请填写案件名称' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="unitId" label="承办部门" rules={[{ required: true, message: '请选择承办部门' }]}>
            <Select loading={units.isPending} options={(units.data?.items ?? []).map((u) => ({ value: u.unitId, label: u.name }))} />
          </Form.Item>
          <Form.Item name="summary" label="案情摘要（可选）">
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <fieldset className="ea-fieldset">
            <legend>当事人</legend>
            <Form.List name="parties">
              {(fields, { add, remove }, { errors }) => (
                <>
                  {fields.map((f, i) => (
                    <Flex key={f.key} gap={8} align="start">
                      <Form.Item name={[f.name, 'partyKind']} label={`当事人${i + 1} 类型`} style={{ width: 130 }}>
                        <Select
                          options={[
                            { value: 'organisation', label: '单位' },
                            { value: 'person', label: '个人' },
                          ]}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'name']} label={`当事人${i + 1} 名称`} rules={[{ required: true, whitespace: true, message: '请填写当事人名称' }]} style={{ flex: 1 }}>
                        <Input maxLength={100} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'idNumber']} label={`当事人${i + 1} 证件号（可选）`} style={{ flex: 1 }}>
                        <Input maxLength={18} placeholder="身份证号或统一社会信用代码" />
                      </Form.Item>
                      {fields.length > 1 ? <Button type="text" icon={<MinusCircleOutlined />} aria-label={`删除当事人${i + 1}`} onClick={() => remove(f.name)} style={{ marginTop: 30 }} /> : null}
                    </Flex>
                  ))}
                  <Form.ErrorList errors={errors} />
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ partyKind: 'person', name: '' })}>
                    添加当事人
                  </Button>
                </>
              )}
            </Form.List>
          </fieldset>
          <fieldset className="ea-fieldset">
            <legend>执法人员</legend>
            <Form.List name="officers">
              {(fields, { add, remove }, { errors }) => (
                <>
                  {fields.map((f, i) => (
                    <Flex key={f.key} gap={8} align="start">
                      <Form.Item name={[f.name, 'officerId']} label={`执法人员${i + 1}`} rules={[{ required: true, message: '请选择执法人员' }]} style={{ flex: 1 }}>
                        <Select showSearch={{ optionFilterProp: 'label' }} loading={officers.isPending} options={officerOptions} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'role']} label={`执法人员${i + 1} 职责`} style={{ width: 160 }}>
                        <Select options={Object.entries(OFFICER_ROLE_LABELS).map(([value, label]) => ({ value, label }))} />
                      </Form.Item>
                      {fields.length > 1 ? <Button type="text" icon={<MinusCircleOutlined />} aria-label={`删除执法人员${i + 1}`} onClick={() => remove(f.name)} style={{ marginTop: 30 }} /> : null}
                    </Flex>
                  ))}
                  <Form.ErrorList errors={errors} />
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: 'assist' })}>
                    添加执法人员
                  </Button>
                </>
              )}
            </Form.List>
          </fieldset>
        </Form>
      </Modal>
    </NoRipple>
  );
};
