import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { api, call, callWithEtag, idempotencyKey } from '../../api/client';
import entrySchemas from '../../api/entry-schemas.json';
import { applyProblemToForm } from '../../api/forms';
import type { DraftBody, DraftEntry, EntryType } from '../../api/views';
import { hasRole, useSession } from '../../auth/session';
import { type JsonSchema, pruneEmpty, SchemaFields } from '../../entries/SchemaFields';
import { DATE_INPUT_FORMAT, shanghaiToday } from '../../ui/format';
import { NoRipple } from '../../ui/NoRipple';
import { ENTRY_TYPE_LABELS } from '../../ui/labels';
import { useOfficers } from '../cases/directory';

/**
 * 录入档案条目 (A6): the officer drafts an entry of their own file, the designated recorder one of
 * any officer of the agency. The content fields are generated from the JSON Schema the API
 * publishes for the chosen type (entry-schemas.json, written by `npm run gen:api` from the same
 * contracts), so a new type or field needs no change here beyond its Chinese name. Saved as a
 * draft, optionally submitted at once to the department head's review.
 */
interface Variant {
  properties: { type: { const: EntryType }; content: JsonSchema };
}
const VARIANTS = (entrySchemas as unknown as { oneOf: Variant[] }).oneOf;
const schemaOf = (t: EntryType | undefined) => VARIANTS.find((v) => v.properties.type.const === t)?.properties.content;

interface Values {
  officerId: string;
  type: EntryType;
  occurredOn: string;
  title: string;
  summary?: string;
  content: Record<string, unknown>;
}

const DraftEntryPage = () => {
  const user = useSession()!.user;
  const recorder = hasRole(user, 'recorder');
  const officers = useOfficers(recorder ? user.agencyId : undefined);
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const schema = useMemo(() => schemaOf(type), [type]);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<{ title: string; submitted: boolean }>();
  const [key, setKey] = useState(idempotencyKey);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const save = useMutation({
    mutationFn: async ({ v, submit }: { v: Values; submit: boolean }) => {
      const body = pruneEmpty({ type: v.type, occurredOn: v.occurredOn, title: v.title, summary: v.summary, content: v.content ?? {} }) as DraftBody;
      const created = await callWithEtag<DraftEntry>(api().POST('/officers/{officerId}/file/drafts', { params: { path: { officerId: v.officerId }, header: { 'idempotency-key': key } }, body }));
      if (submit) {
        await call(
          api().POST('/officers/{officerId}/file/drafts/{entryId}/submit', {
            params: { path: { officerId: v.officerId, entryId: created.data.entryId }, header: { 'if-match': created.etag } },
          }),
        );
      }
      return { title: v.title, submitted: submit };
    },
    onSuccess: async (r) => {
      message.success(r.submitted ? '已保存并提交审核' : '已保存草稿');
      setDone(r);
      setKey(idempotencyKey());
      await queryClient.invalidateQueries({ queryKey: ['file'] });
      const officerId = form.getFieldValue('officerId') as string;
      form.resetFields();
      form.setFieldValue('officerId', officerId);
    },
    onError: (e) => {
      setKey(idempotencyKey());
      const r = applyProblemToForm(form, e);
      setProblem([r.message, ...r.unplaced.map((f) => f.message)].join('；'));
    },
  });
  const submitWith = (submit: boolean) =>
    form
      .validateFields()
      .then((v) => save.mutate({ v, submit }))
      .catch(() => undefined);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} className="ea-page-title">
        录入档案条目
      </Typography.Title>
      <NoRipple>
        <Card>
          {done ? (
            <Alert
              type="success"
              showIcon
              closable={{ onClose: () => setDone(undefined) }}
              title={done.submitted ? `《${done.title}》已提交部门负责人审核` : `《${done.title}》已保存为草稿，可在“我的档案”中提交审核`}
              style={{ marginBottom: 12 }}
            />
          ) : null}
          {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
          <Form<Values>
            form={form}
            name="draft-entry"
            layout="vertical"
            preserve={false}
            onValuesChange={() => setProblem(undefined)}
            initialValues={{ officerId: recorder ? undefined : user.officerId, occurredOn: shanghaiToday() }}
            style={{ maxWidth: 760 }}
          >
            {recorder ? (
              <Form.Item name="officerId" label="执法人员" rules={[{ required: true, message: '请选择执法人员' }]}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={officers.isPending}
                  options={(officers.data?.items ?? []).map((o) => ({ value: o.officerId, label: `${o.name}（${o.staffNumber}）` }))}
                />
              </Form.Item>
            ) : (
              <Form.Item name="officerId" hidden>
                <Input />
              </Form.Item>
            )}
            <Flex gap={12}>
              <Form.Item name="type" label="条目类型" rules={[{ required: true, message: '请选择条目类型' }]} style={{ flex: 1 }}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  options={VARIANTS.map((v) => ({ value: v.properties.type.const, label: ENTRY_TYPE_LABELS[v.properties.type.const] ?? v.properties.type.const }))}
                />
              </Form.Item>
              <Form.Item
                name="occurredOn"
                label="发生日期"
                rules={[{ required: true, message: '请选择发生日期' }]}
                getValueProps={(v?: string) => ({ value: v ? dayjs(v) : undefined })}
                normalize={(d?: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
              >
                <DatePicker allowClear={false} format={DATE_INPUT_FORMAT} />
              </Form.Item>
            </Flex>
            <Form.Item name="title" label="标题" rules={[{ required: true, whitespace: true, message: '请填写标题' }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="summary" label="摘要（可选）">
              <Input.TextArea rows={2} maxLength={4000} />
            </Form.Item>
            {schema ? (
              <fieldset className="ea-fieldset">
                <legend>{ENTRY_TYPE_LABELS[type] ?? type}：内容</legend>
                <SchemaFields key={type} name={['content']} schema={schema} />
              </fieldset>
            ) : null}
            <Flex gap={8}>
              <Button onClick={() => submitWith(false)} disabled={save.isPending}>
                保存草稿
              </Button>
              <Button type="primary" onClick={() => submitWith(true)} disabled={save.isPending}>
                保存并提交审核
              </Button>
            </Flex>
          </Form>
        </Card>
      </NoRipple>
    </Flex>
  );
};
export default DraftEntryPage;
