import { Checkbox, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { DATE_INPUT_FORMAT } from '../ui/format';
import { fieldLabel, valueLabel } from './field-labels';
import '../ui/fieldset.css';

/**
 * Form fields generated from a JSON Schema (the one the API publishes for an entry type's
 * `content`, built from the zod schemas in the route contracts): strings (a date picker for
 * `format: date`, a select for an enum, a text area beyond 200 characters), numbers, booleans and
 * nested objects as fieldsets. Dates stay `YYYY-MM-DD` strings in the form, as the API takes them.
 * The form checks only what the schema says is required; the API checks the rest and its refusal
 * (`errors[].path` = `body.content.…`) lands on the generated field of that name.
 */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: (string | number)[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

const LONG_TEXT = 200;

const Field = ({ name, schema, required }: { name: (string | number)[]; schema: JsonSchema; required: boolean }) => {
  const key = String(name[name.length - 1]);
  const label = `${fieldLabel(key)}${required ? '' : '（可选）'}`;
  const rules = required ? [{ required: true, message: `请填写${fieldLabel(key)}` }] : [];
  if (schema.type === 'object' && schema.properties) {
    return (
      <fieldset className="ea-fieldset">
        <legend>{fieldLabel(key)}</legend>
        <SchemaFields name={name} schema={schema} />
      </fieldset>
    );
  }
  if (schema.type === 'boolean') {
    return (
      <Form.Item name={name} valuePropName="checked" initialValue={required ? false : undefined}>
        <Checkbox>{fieldLabel(key)}</Checkbox>
      </Form.Item>
    );
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    return (
      <Form.Item name={name} label={label} rules={rules}>
        <InputNumber min={schema.minimum ?? schema.exclusiveMinimum} max={schema.maximum} precision={schema.type === 'integer' ? 0 : undefined} style={{ width: 200 }} />
      </Form.Item>
    );
  }
  if (schema.enum) {
    return (
      <Form.Item name={name} label={label} rules={rules}>
        <Select allowClear={!required} options={schema.enum.map((v) => ({ value: v, label: valueLabel(key, String(v)) }))} style={{ maxWidth: 320 }} />
      </Form.Item>
    );
  }
  if (schema.format === 'date') {
    return (
      <Form.Item
        name={name}
        label={label}
        rules={rules}
        getValueProps={(v?: string) => ({ value: v ? dayjs(v) : undefined })}
        normalize={(d?: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
      >
        <DatePicker format={DATE_INPUT_FORMAT} />
      </Form.Item>
    );
  }
  const long = (schema.maxLength ?? 0) > LONG_TEXT;
  return (
    <Form.Item name={name} label={label} rules={required ? [{ required: true, whitespace: true, message: `请填写${fieldLabel(key)}` }] : []}>
      {long ? <Input.TextArea rows={3} maxLength={schema.maxLength} showCount /> : <Input maxLength={schema.maxLength} />}
    </Form.Item>
  );
};

export const SchemaFields = ({ name, schema }: { name: (string | number)[]; schema: JsonSchema }) => (
  <>
    {Object.entries(schema.properties ?? {}).map(([k, s]) => (
      <Field key={k} name={[...name, k]} schema={s} required={(schema.required ?? []).includes(k)} />
    ))}
  </>
);

/** Drops what the user left empty (an optional field the API would refuse as an empty string). */
export const pruneEmpty = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(pruneEmpty);
  if (v && typeof v === 'object') {
    const out = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => [k, pruneEmpty(x)] as const)
      .filter(([, x]) => x !== undefined && x !== null && x !== '' && !(typeof x === 'object' && !Array.isArray(x) && Object.keys(x as object).length === 0));
    return Object.fromEntries(out);
  }
  return v;
};
