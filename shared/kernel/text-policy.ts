import * as z from 'zod/mini';

/**
 * The one policy for free text and the one for file names. Every route contract builds its text
 * fields with `text`, `multilineText` or `fileName` (re-exported by ./schemas.ts); nothing else
 * decides which characters a stored string may hold.
 *
 * Free text (names, titles, document numbers, notes, opinions, minutes…):
 *  - refused anywhere in the value as sent: NUL and the other C0 controls (U+0000–U+001F), DEL
 *    (U+007F) and the C1 controls (U+0080–U+009F) — Unicode's control characters; the bidi
 *    embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069, which reorder what a reader
 *    sees (a name that displays as something else, an `exe.pdf` file); lone surrogates (neither
 *    storable nor hashable as RFC 8785 JSON);
 *  - single-line by default (`text`): TAB, LF and CR are refused like the other controls.
 *    `multilineText` — prose a person writes in paragraphs: notes, comments, reasons, opinions,
 *    findings, summaries, minutes — allows TAB, LF and CR and nothing else of the above;
 *  - kept: every other character, zero-width joiners (emoji sequences) and LRM/RLM marks included;
 *  - normalised: white space around the value trimmed, then Unicode NFC, so that the same words
 *    are the same string (look-ups, the hashes of archived entries); limits count the result.
 *
 * File names (recordings, attachments): the free-text rules without TAB, LF or CR, and also no
 * path separator (`/`, `\`), no `..`, no quote (`"`, `'`: Content-Disposition, shells, CSV); trimmed
 * and NFC; at most FILE_NAME_MAX_BYTES bytes of UTF-8 — what common file systems hold in one name,
 * since names are written as files in BagIt exports (shared/evidence/packaging.ts `bagFileName`).
 */
export const FILE_NAME_MAX_BYTES = 255;

type TextKind = 'line' | 'multiline' | 'fileName';

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const isBidiControl = (cp: number) => (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
/** Unicode general category Cc: C0, DEL, C1 */
const isControl = (cp: number) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
const isLineBreakOrTab = (cp: number) => cp === 0x09 || cp === 0x0a || cp === 0x0d;

/** The first thing the policy refuses in `s`, as a Chinese sentence; undefined when `s` is acceptable. */
export const textViolation = (s: string, kind: TextKind): string | undefined => {
  let n = 0;
  for (const ch of s) {
    n++;
    const cp = ch.codePointAt(0)!;
    const at = `（${hex(cp)}，第 ${n} 个字符）`;
    if (cp >= 0xd800 && cp <= 0xdfff) return `不得包含孤立的 Unicode 代理字符${at}`;
    if (isLineBreakOrTab(cp)) {
      if (kind === 'multiline') continue;
      return kind === 'fileName' ? `文件名不得包含换行符或制表符${at}` : `须为单行文字，不得包含换行符或制表符${at}`;
    }
    if (isControl(cp)) return `不得包含控制字符${at}`;
    if (isBidiControl(cp)) return `不得包含改变文字显示顺序的双向控制字符${at}`;
    if (kind === 'fileName' && (ch === '/' || ch === '\\')) return `文件名不得包含路径分隔符 / 或 \\${at}`;
    if (kind === 'fileName' && (ch === '"' || ch === "'")) return `文件名不得包含引号${at}`;
  }
  if (kind === 'fileName' && s.includes('..')) return '文件名不得包含“..”';
  return undefined;
};

const policy = (kind: TextKind) => (s: string, ctx: z.core.$RefinementCtx<string>) => {
  const message = textViolation(s, kind);
  if (message) ctx.addIssue({ code: 'custom', message, input: s });
};

/** Single-line free text of at most `max` characters (after trimming and NFC). */
export const text = (max: number, min = 1) => z.string().check(z.superRefine(policy('line')), z.trim(), z.normalize('NFC'), z.minLength(min), z.maxLength(max));

/** Free text in paragraphs: TAB, LF and CR allowed; otherwise as `text`. */
export const multilineText = (max: number, min = 1) => z.string().check(z.superRefine(policy('multiline')), z.trim(), z.normalize('NFC'), z.minLength(min), z.maxLength(max));

const utf8 = new TextEncoder();
/** A file name as a client names an upload: one path segment, no controls or quotes, ≤ FILE_NAME_MAX_BYTES bytes. */
export const fileName = () =>
  z.string().check(
    z.superRefine(policy('fileName')),
    z.trim(),
    z.normalize('NFC'),
    z.minLength(1),
    z.maxLength(FILE_NAME_MAX_BYTES),
    z.refine((s) => utf8.encode(s).length <= FILE_NAME_MAX_BYTES, `文件名不得超过 ${FILE_NAME_MAX_BYTES} 字节（UTF-8，约 ${Math.floor(FILE_NAME_MAX_BYTES / 3)} 个汉字）`),
  );
