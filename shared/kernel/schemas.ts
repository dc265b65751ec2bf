import * as z from 'zod/mini';
import { ULID_PATTERN } from './ids.ts';

/**
 * Building blocks every edge schema uses: bounded strings, dates, ids. Nothing unbounded. Free text
 * and file names follow the one text policy (./text-policy.ts): `text` single-line, `multilineText`
 * for paragraphs, `fileName` for uploads.
 */
export { fileName, multilineText, text } from './text-policy.ts';
export const id = () => z.string().check(z.regex(ULID_PATTERN, '须为 26 位 ULID 编号'));
export const isoDate = () => z.iso.date({ message: '须为 YYYY-MM-DD 格式的日期' }).check(z.refine((s) => s >= '1949-10-01' && s <= '2199-12-31', '日期超出允许范围'));
/** the dates the product can place on its calendar: from the founding of the PRC to the end of 2199 (isoDate's range) */
const EARLIEST_MS = Date.parse('1949-10-01T00:00:00+08:00');
const LATEST_MS = Date.parse('2200-01-01T00:00:00+08:00');
/** real UTC offsets run from −12:00 to +14:00 */
const offsetOk = (s: string) => {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(s);
  return !m || Number(m[2]) * 60 + Number(m[3]) <= 14 * 60;
};
export const isoDateTime = () =>
  z.iso.datetime({ offset: true, message: '须为带时区的 ISO 8601 时间' }).check(
    z.refine((s) => {
      const t = Date.parse(s);
      return offsetOk(s) && Number.isFinite(t) && t >= EARLIEST_MS && t < LATEST_MS;
    }, '时间超出允许范围（1949-10-01 至 2199-12-31，时区偏移不超过 14 小时）'),
  );
export const sha256 = () => z.string().check(z.regex(/^[0-9a-f]{64}$/, '须为 64 位小写十六进制 SHA-256'));
export const pageLimit = (dflt = 50, max = 500) => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(max)), dflt);
export const cursor = () => z.optional(z.string().check(z.maxLength(2048), z.regex(/^[A-Za-z0-9_-]+$/, '游标格式不正确')));
export const etagOf = (version: number) => `"${version}"`;
