import { formatPeriod } from '../../ui/format';

/** A rule version's parameters as short Chinese-readable lines (`key：value`); periods as 15 个工作日. */
const isPeriod = (v: unknown): v is { value?: number; amount?: number; unit: string } => !!v && typeof v === 'object' && typeof (v as { unit?: unknown }).unit === 'string';

const valueText = (v: unknown): string => {
  if (isPeriod(v)) return formatPeriod(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.map(valueText).join('、');
  if (v && typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}：${valueText(x)}`)
      .join('，')} }`;
  return String(v);
};

export const parameterLines = (parameters: Record<string, unknown>): string[] => Object.entries(parameters).map(([k, v]) => `${k}：${valueText(v)}`);

/** The source documents of the shipped rule versions (docs/rules.md, “Sources”), by their code. */
const SOURCE_NAMES: Record<string, string> = {
  '000': '《执法档案工作意见》',
  '001': '《西安实施方案》',
  '002': '《东丽区检察院报道》',
  '003': '《大同手册》',
  '004': '《金华实施意见》',
};
/** `《大同手册》备案审查 §3–9（docs/rules.md C8）` */
export const citationText = (s: { seed: string; article: string; ref: string }) => `${SOURCE_NAMES[s.seed] ?? `文件 ${s.seed}`} ${s.article}（${s.ref}）`;
