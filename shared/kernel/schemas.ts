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
export const isoDateTime = () => z.iso.datetime({ offset: true, message: '须为带时区的 ISO 8601 时间' });
export const sha256 = () => z.string().check(z.regex(/^[0-9a-f]{64}$/, '须为 64 位小写十六进制 SHA-256'));
export const pageLimit = (dflt = 50, max = 500) => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(max)), dflt);
export const cursor = () => z.optional(z.string().check(z.maxLength(2048), z.regex(/^[A-Za-z0-9_-]+$/, '游标格式不正确')));
export const etagOf = (version: number) => `"${version}"`;
