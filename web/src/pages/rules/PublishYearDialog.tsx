import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Flex, Form, Input, InputNumber, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call, etagOf } from '../../api/client';
import { applyProblemToForm } from '../../api/forms';
import { ApiProblem } from '../../api/problem';
import { DATE_INPUT_FORMAT, shanghaiToday } from '../../ui/format';
import { NoRipple } from '../../ui/NoRipple';
import type { CalendarYear, PublishYearBody } from './rule-views';
import '../../ui/fieldset.css';

/**
 * 发布节假日安排: a year of the State Council's notice — each holiday as a date range, the makeup
 * working days (调休上班). Correcting a year already published sends its version as If-Match. The
 * API recomputes the open clocks the change moves and tells whoever handles each of them.
 */
interface Values {
  year: number;
  title: string;
  number: string;
  publishedOn: Dayjs;
  holidays: { name: string; range: [Dayjs, Dayjs] }[];
  makeupWorkdays: { name: string; date: Dayjs }[];
  note?: string;
}

const daysOf = ([from, to]: [Dayjs, Dayjs]) => {
  const out: string[] = [];
  for (let d = from.startOf('day'); !d.isAfter(to, 'day'); d = d.add(1, 'day')) out.push(d.format('YYYY-MM-DD'));
  return out;
};

export const PublishYearDialog = ({ open, onClose }: { open: boolean; onClose: () => void }) => {
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string>();
  const [published, setPublished] = useState<CalendarYear>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const publish = useMutation({
    mutationFn: async (v: Values) => {
      // a correction carries the version it corrects (If-Match); a first publication none
      let existing: CalendarYear | undefined;
      try {
        existing = await call<CalendarYear>(api().GET('/calendar/years/{year}', { params: { path: { year: v.year } } }));
      } catch (e) {
        if (!(e instanceof ApiProblem && e.status === 404)) throw e;
      }
      const body: PublishYearBody = {
        notice: { title: v.title, number: v.number, publishedOn: v.publishedOn.format('YYYY-MM-DD') },
        holidays: v.holidays.map((h) => ({ name: h.name, dates: daysOf(h.range) })),
        makeupWorkdays: (v.makeupWorkdays ?? []).map((m) => ({ name: m.name, date: m.date.format('YYYY-MM-DD') })),
        ...(v.note ? { note: v.note } : {}),
      };
      return call<CalendarYear>(api().PUT('/calendar/years/{year}', { params: { path: { year: v.year } }, body, ...(existing ? { headers: { 'if-match': etagOf(existing.version) } } : {}) }));
    },
    onSuccess: async (y) => {
      message.success(`已发布 ${y.year} 年节假日安排`);
      setPublished(y);
      await queryClient.invalidateQueries({ queryKey: ['calendar'] });
    },
    onError: (e) => {
      const r = applyProblemToForm(form, e);
      setProblem([r.message, ...r.unplaced.map((f) => f.message)].join('；'));
    },
  });
  const close = () => {
    setPublished(undefined);
    setProblem(undefined);
    onClose();
  };
  const nextYear = Number(shanghaiToday().slice(0, 4)) + 1;

  return (
    <NoRipple>
      <Modal
        open={open}
        title="发布节假日安排"
        width={720}
        onCancel={close}
        destroyOnHidden
        footer={
          published ? (
            <Button type="primary" onClick={close}>
              完成
            </Button>
          ) : (
            <Flex gap={8} justify="end">
              <Button onClick={close}>取消</Button>
              <Button type="primary" disabled={publish.isPending} onClick={() => form.submit()}>
                发布
              </Button>
            </Flex>
          )
        }
      >
        {published ? (
          <Alert
            type="success"
            showIcon
            title={`已发布 ${published.year} 年节假日安排（第 ${published.version} 版）`}
            description={`共 ${published.holidays.length} 个假期、${published.makeupWorkdays.length} 个调休上班日。依赖 ${published.year} 年日历的在办期限已由系统重算，到期日变动的流程已记入其历史并通知办理人员。`}
          />
        ) : (
          <>
            {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
            <Form<Values>
              form={form}
              name="publish-year"
              layout="vertical"
              preserve={false}
              onFinish={(v) => publish.mutate(v)}
              onValuesChange={() => setProblem(undefined)}
              initialValues={{ year: nextYear, publishedOn: dayjs(shanghaiToday()), holidays: [{ name: '元旦' }], makeupWorkdays: [] }}
            >
              <Flex gap={12}>
                <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
                  <InputNumber min={2000} max={2100} precision={0} />
                </Form.Item>
                <Form.Item name="number" label="通知文号" rules={[{ required: true, whitespace: true, message: '请填写通知文号' }]} style={{ flex: 1 }}>
                  <Input maxLength={64} placeholder="如 国办发明电〔2026〕7号" />
                </Form.Item>
                <Form.Item name="publishedOn" label="发布日期" rules={[{ required: true, message: '请选择发布日期' }]}>
                  <DatePicker allowClear={false} format={DATE_INPUT_FORMAT} />
                </Form.Item>
              </Flex>
              <Form.Item name="title" label="通知标题" rules={[{ required: true, whitespace: true, message: '请填写通知标题' }]}>
                <Input maxLength={200} />
              </Form.Item>
              <fieldset className="ea-fieldset">
                <legend>放假安排</legend>
                <Form.List name="holidays">
                  {(fields, { add, remove }, { errors }) => (
                    <>
                      {fields.map((f, i) => (
                        <Flex key={f.key} gap={8} align="start">
                          <Form.Item name={[f.name, 'name']} label={`假期${i + 1} 名称`} rules={[{ required: true, whitespace: true, message: '请填写名称' }]}>
                            <Input maxLength={20} />
                          </Form.Item>
                          <Form.Item name={[f.name, 'range']} label={`假期${i + 1} 日期`} rules={[{ required: true, message: '请选择放假日期' }]}>
                            <DatePicker.RangePicker format={DATE_INPUT_FORMAT} />
                          </Form.Item>
                          {fields.length > 1 ? <Button type="text" icon={<MinusCircleOutlined />} aria-label={`删除假期${i + 1}`} onClick={() => remove(f.name)} style={{ marginTop: 30 }} /> : null}
                        </Flex>
                      ))}
                      <Form.ErrorList errors={errors} />
                      <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                        添加假期
                      </Button>
                    </>
                  )}
                </Form.List>
              </fieldset>
              <fieldset className="ea-fieldset">
                <legend>调休上班日</legend>
                <Form.List name="makeupWorkdays">
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((f, i) => (
                        <Flex key={f.key} gap={8} align="start">
                          <Form.Item name={[f.name, 'date']} label={`调休日${i + 1} 日期`} rules={[{ required: true, message: '请选择日期' }]}>
                            <DatePicker format={DATE_INPUT_FORMAT} />
                          </Form.Item>
                          <Form.Item name={[f.name, 'name']} label={`调休日${i + 1} 所属假期`} rules={[{ required: true, whitespace: true, message: '请填写所属假期' }]}>
                            <Input maxLength={20} />
                          </Form.Item>
                          <Button type="text" icon={<MinusCircleOutlined />} aria-label={`删除调休日${i + 1}`} onClick={() => remove(f.name)} style={{ marginTop: 30 }} />
                        </Flex>
                      ))}
                      <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                        添加调休上班日
                      </Button>
                    </>
                  )}
                </Form.List>
              </fieldset>
              <Form.Item name="note" label="说明（可选，如更正原因）">
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </Form>
          </>
        )}
      </Modal>
    </NoRipple>
  );
};
