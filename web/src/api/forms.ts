import type { FormInstance } from 'antd';
import { ApiProblem, type FieldProblem, messageOf } from './problem';

/**
 * Puts the API's refusal where the user typed: each `errors[].path` of a problem+json answer
 * (`body.content.hours`) becomes the error of the form field with that name (['content', 'hours']).
 * What has no field on the form comes back as sentences for the form's alert.
 */
const has = (values: unknown, name: (string | number)[]): boolean => {
  let v: unknown = values;
  for (const k of name) {
    if (v === null || typeof v !== 'object' || !(k in (v as object))) return false;
    v = (v as Record<string | number, unknown>)[k];
  }
  return true;
};

export interface FormProblem {
  /** the API's sentence for the whole request */
  message: string;
  /** field problems the form has no field for */
  unplaced: FieldProblem[];
}

export const applyProblemToForm = (form: FormInstance, error: unknown, location = 'body'): FormProblem => {
  if (!(error instanceof ApiProblem)) return { message: messageOf(error), unplaced: [] };
  const registered = form.getFieldsValue();
  const placed: FieldProblem[] = [];
  const unplaced: FieldProblem[] = [];
  for (const f of error.fields) {
    if (f.location === location && f.name.length > 0 && has(registered, f.name)) placed.push(f);
    else unplaced.push(f);
  }
  const byName = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const f of placed) {
    const key = JSON.stringify(f.name);
    const entry = byName.get(key) ?? { name: f.name, errors: [] };
    entry.errors.push(f.message);
    byName.set(key, entry);
  }
  form.setFields([...byName.values()]);
  return { message: error.message, unplaced };
};
