import { DomainError, validationError } from '../kernel/errors.ts';
import { shanghaiDate, systemClock } from '../kernel/clock.ts';
import { HEX_LENGTH, MultiDigest, hashThrough, isDigestAlgorithm, type ByteSource, type DigestAlgorithm } from './digest.ts';
import type { BagStore } from './store.ts';

/**
 * RFC 8493 "The BagIt File Packaging Format (V1.0)": a writer and a validator over a BagStore.
 * Section numbers below are RFC 8493's.
 *
 * A bag written here has `bagit.txt`, the payload under `data/`, a payload manifest and a tag
 * manifest per algorithm (default SHA-256 and SM3, see digest.ts), and `bag-info.txt`. The
 * validator implements §3 (complete and valid) and §5.1 (no path leaves the bag), and reports every
 * problem with the file, the manifest, the line and expected vs actual values, in Chinese for
 * people and with a stable code for programs.
 *
 * Over 500 lines on purpose: the writer and the validator are one reading of the RFC, section by
 * section, sharing its path, tag-file and manifest rules; split, each half would restate them.
 */

export const BAGIT_VERSION = '1.0';
export const DEFAULT_ALGORITHMS: readonly DigestAlgorithm[] = ['sha256', 'sm3'];

const utf8 = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// Paths

/**
 * §2.1.3: "If a filepath includes a Line Feed (LF), a Carriage Return (CR), a Carriage-Return Line
 * Feed (CRLF), or a percent sign (%), those characters (and only those) MUST be percent-encoded".
 * `%` first, so the `%` of an encoded CR/LF is not encoded again.
 */
export const encodeManifestPath = (path: string): string => path.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** The inverse of encodeManifestPath; any other `%xx` is left as written. */
export const decodeManifestPath = (path: string): string => path.replace(/%(0A|0D|25)/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/**
 * Why a path from a manifest (or given to the writer) could reach outside the bag, or undefined if
 * it is safe. §5.1 names "/", ".." and "~username"; §2.1.3 makes '/' the only separator, so a
 * backslash or a drive letter is a Windows path in disguise.
 */
export const unsafePathReason = (path: string): string | undefined => {
  if (path === '') return '路径为空';
  if (path.includes('\0')) return '路径含 NUL 字符';
  if (path.startsWith('/')) return '绝对路径';
  if (/^[A-Za-z]:/.test(path)) return '含盘符的 Windows 路径';
  if (path.includes('\\')) return '含反斜杠（§2.1.3 只允许 / 作分隔符）';
  if (path.startsWith('~')) return '以 ~ 开头（主目录引用）';
  const segs = path.split('/');
  if (segs.includes('..')) return '含 .. 路径段';
  if (segs.includes('.')) return '含 . 路径段';
  if (segs.includes('')) return '含空路径段（// 或以 / 结尾）';
  return undefined;
};

/**
 * Names are compared after Unicode NFC normalisation on both sides, as RFC 8493 §6.2.2 recommends
 * ("tolerate differences in normalization form"): an HFS+ copy of 询问笔录 or of "Núñez" must not
 * turn into a missing file. Chinese ideographs are unchanged by NFC.
 */
const nameKey = (path: string) => path.normalize('NFC');

// ---------------------------------------------------------------------------------------------
// bag-info.txt

/** Labels of bag-info.txt the writer computes itself (§2.2.2). */
const COMPUTED_LABELS = ['payload-oxum', 'bag-size'];

/** §2.2.2: a label has no colon, CR or LF, and does not start or end with whitespace. */
const labelProblem = (label: string): string | undefined => {
  if (label === '') return '标签为空';
  if (/[:\r\n]/.test(label)) return '标签含冒号或换行';
  if (/^[ \t]|[ \t]$/.test(label)) return '标签首尾有空白';
  return undefined;
};

/**
 * One element per line, "Label: value". A value's line breaks are kept as continuation lines
 * indented by two spaces, which §2.2.2 allows ("Except for linebreaks, such padding does not form
 * part of the value"); lines are not folded otherwise (the 79-character limit is a recommendation,
 * and a Chinese description counts characters, not bytes).
 */
export const formatBagInfo = (elements: readonly (readonly [string, string])[]): string =>
  elements.map(([label, value]) => `${label}: ${value.replace(/\r\n?/g, '\n').split('\n').join('\n  ')}\n`).join('');

export interface ParsedBagInfo {
  elements: [string, string][];
  problems: { line: number; message: string }[];
}

export const parseBagInfo = (text: string): ParsedBagInfo => {
  const elements: [string, string][] = [];
  const problems: ParsedBagInfo['problems'] = [];
  const lines = splitLines(text);
  lines.forEach((line, i) => {
    if (/^[ \t]/.test(line)) {
      const last = elements[elements.length - 1];
      if (!last) problems.push({ line: i + 1, message: '续行之前没有元素' });
      else last[1] += `\n${line.replace(/^[ \t]+/, '')}`;
      return;
    }
    // Empty lines carry nothing; other tools (bagit-python) skip them too.
    if (line === '') return;
    const m = /^([^:]*):(?:[ \t](.*))?$/.exec(line);
    const label = m?.[1];
    if (m === null || label === undefined || labelProblem(label)) {
      problems.push({ line: i + 1, message: `不是“标签: 值”形式：${JSON.stringify(line)}` });
      return;
    }
    elements.push([label, m[2] ?? '']);
  });
  return { elements, problems };
};

/** "1.2 MB": §2.2.2 Bag-Size is for people ("42600 MB, 42.6 GB, or .043 TB"); decimal units. */
export const humanSize = (bytes: number): string => {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
};

// ---------------------------------------------------------------------------------------------
// Text tag files (§2.3)

/** §2.3: lines end with LF, CR or CRLF; the terminator of the last line is optional. */
const splitLines = (text: string): string[] => {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

const bagitTxt = (): string => `BagIt-Version: ${BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n`;

const manifestText = (entries: readonly { path: string; hex: string }[]): string =>
  [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => `${e.hex}  ${encodeManifestPath(e.path)}\n`)
    .join('');

export interface ManifestEntry {
  /** the decoded path, as written (not normalised) */
  path: string;
  checksum: string;
  line: number;
}

export interface ParsedManifest {
  /** by NFC path */
  entries: Map<string, ManifestEntry>;
  problems: { line: number; code: 'manifestLineMalformed' | 'duplicateManifestEntry' | 'checksumMalformed'; message: string; file?: string }[];
}

/** §2.1.3: "checksum filepath", separated by one or more spaces or tabs; hex in either case. */
export const parseManifest = (text: string, algorithm: string): ParsedManifest => {
  const entries = new Map<string, ManifestEntry>();
  const problems: ParsedManifest['problems'] = [];
  const hexLen = isDigestAlgorithm(algorithm) ? HEX_LENGTH[algorithm] : undefined;
  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw === '') return;
    const m = /^([0-9A-Fa-f]+)[ \t]+(.+)$/.exec(raw);
    if (!m) {
      problems.push({ line, code: 'manifestLineMalformed', message: `第 ${line} 行不是“摘要 路径”形式：${JSON.stringify(raw)}` });
      return;
    }
    const checksum = m[1]!.toLowerCase();
    const path = decodeManifestPath(m[2]!);
    if (hexLen !== undefined && checksum.length !== hexLen) {
      problems.push({ line, code: 'checksumMalformed', file: path, message: `第 ${line} 行的 ${algorithm} 摘要应为 ${hexLen} 位十六进制，实为 ${checksum.length} 位` });
    }
    const key = nameKey(path);
    const prior = entries.get(key);
    if (prior) {
      problems.push({ line, code: 'duplicateManifestEntry', file: path, message: `${path} 在第 ${prior.line} 行和第 ${line} 行重复出现（§2.1.3 每个文件只能列一次）` });
      return;
    }
    entries.set(key, { path, checksum, line });
  });
  return { entries, problems };
};

const MANIFEST_NAME = /^manifest-(.+)\.txt$/;
const TAG_MANIFEST_NAME = /^tagmanifest-(.+)\.txt$/;

// ---------------------------------------------------------------------------------------------
// Writer

export type PayloadContent = ByteSource | string | (() => ByteSource);

export interface PayloadFile {
  /** path inside `data/`, '/'-separated; UTF-8 names (Chinese included) are written as given, in NFC */
  path: string;
  content: PayloadContent;
}

export interface BagInfoInput {
  /** Source-Organization, e.g. the agency handing the files over */
  sourceOrganization: string;
  /** External-Identifier: the sender's id for this bag (e.g. the handover batch number) */
  externalIdentifier: string;
  externalDescription?: string;
  contactName?: string;
  contactPhone?: string;
  contactEmail?: string;
  organizationAddress?: string;
  /** Bagging-Date `YYYY-MM-DD`; default today in Asia/Shanghai (shared/kernel/clock.ts) */
  baggingDate?: string;
  /** further elements, in order; labels may repeat (§2.2.2) */
  other?: readonly (readonly [string, string])[];
}

export interface WriteBagOptions {
  /** payload manifest algorithms; default SHA-256 and SM3 */
  algorithms?: readonly DigestAlgorithm[];
  /** tag manifest algorithms; default the payload ones; [] writes no tag manifest (they are optional, §2.2.1) */
  tagAlgorithms?: readonly DigestAlgorithm[];
  now?: Date;
}

export interface BagFileDigest {
  /** bag-relative path, e.g. `data/案卷/询问笔录.pdf` */
  path: string;
  bytes: number;
  digests: Partial<Record<DigestAlgorithm, string>>;
}

export interface WrittenBag {
  payload: BagFileDigest[];
  tagFiles: BagFileDigest[];
  oxum: { octets: number; streams: number };
  bagInfo: [string, string][];
}

const toSource = (c: PayloadContent): ByteSource => (typeof c === 'string' ? utf8.encode(c) : typeof c === 'function' ? c() : c);

/**
 * Write a bag into an empty store. Each payload file is streamed once: its bytes go to the store
 * while every manifest's digest is computed from the same chunks.
 */
export const writeBag = async (store: BagStore, payload: Iterable<PayloadFile> | AsyncIterable<PayloadFile>, info: BagInfoInput, opts: WriteBagOptions = {}): Promise<WrittenBag> => {
  const algorithms = [...new Set(opts.algorithms ?? DEFAULT_ALGORITHMS)];
  const tagAlgorithms = [...new Set(opts.tagAlgorithms ?? algorithms)];
  if (algorithms.length === 0) throw validationError('bag.noAlgorithm', '至少需要一种摘要算法（§2.1.3 至少一个载荷清单）');
  if ((await store.list('')).length > 0) throw new DomainError('conflict', 'bag.targetNotEmpty', '目标位置已有文件，不能在其上写入新的 bag');

  const labels = checkInfo(info);

  const tagFiles: BagFileDigest[] = [];
  const writeTag = async (path: string, text: string) => {
    const bytes = utf8.encode(text);
    const md = new MultiDigest([...new Set([...tagAlgorithms, ...algorithms])]);
    md.update(bytes);
    await store.write(path, bytes);
    tagFiles.push({ path, bytes: bytes.length, digests: md.digest().hex });
  };

  await writeTag('bagit.txt', bagitTxt());
  await store.ensureDirectory('data');

  const written: BagFileDigest[] = [];
  const seen = new Map<string, string>();
  for await (const file of payload) {
    const rel = nameKey(file.path);
    const reason = unsafePathReason(rel);
    if (reason) throw validationError('bag.unsafePath', `载荷路径 ${JSON.stringify(file.path)} 不安全：${reason}`);
    const prior = seen.get(rel);
    if (prior !== undefined) {
      // §6.2.2: creators SHOULD prevent files that differ only in normalisation form.
      throw validationError('bag.duplicatePath', `载荷路径 ${JSON.stringify(file.path)} 与 ${JSON.stringify(prior)} 重复（含 Unicode 规范化后相同）`);
    }
    seen.set(rel, file.path);
    const path = `data/${rel}`;
    const md = new MultiDigest(algorithms);
    await store.write(path, hashThrough(toSource(file.content), md));
    const { bytes, hex } = md.digest();
    written.push({ path, bytes, digests: hex });
  }

  for (const alg of algorithms) {
    await writeTag(`manifest-${alg}.txt`, manifestText(written.map((f) => ({ path: f.path, hex: f.digests[alg]! }))));
  }

  const octets = written.reduce((n, f) => n + f.bytes, 0);
  const bagInfo: [string, string][] = [
    ['Source-Organization', info.sourceOrganization],
    ...optional('Organization-Address', info.organizationAddress),
    ...optional('Contact-Name', info.contactName),
    ...optional('Contact-Phone', info.contactPhone),
    ...optional('Contact-Email', info.contactEmail),
    ...optional('External-Description', info.externalDescription),
    ['External-Identifier', info.externalIdentifier],
    ['Bagging-Date', info.baggingDate ?? shanghaiDate(opts.now ?? systemClock.now())],
    ['Bag-Size', humanSize(octets)],
    ['Payload-Oxum', `${octets}.${written.length}`],
    ...labels,
  ];
  await writeTag('bag-info.txt', formatBagInfo(bagInfo));

  // §2.2.1: every tag manifest lists every payload manifest (and here every other tag file); no
  // tag manifest lists a tag manifest, so their digests are well defined.
  const listed = [...tagFiles];
  for (const alg of tagAlgorithms) {
    await writeTag(`tagmanifest-${alg}.txt`, manifestText(listed.map((f) => ({ path: f.path, hex: f.digests[alg]! }))));
  }

  return { payload: written, tagFiles, oxum: { octets, streams: written.length }, bagInfo };
};

const optional = (label: string, value: string | undefined): [string, string][] => (value === undefined ? [] : [[label, value]]);

const checkInfo = (info: BagInfoInput): [string, string][] => {
  if (!info.sourceOrganization.trim()) throw validationError('bag.info', 'Source-Organization 不能为空');
  if (!info.externalIdentifier.trim()) throw validationError('bag.info', 'External-Identifier 不能为空');
  if (info.baggingDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(info.baggingDate)) {
    throw validationError('bag.info', `Bagging-Date 应为 YYYY-MM-DD：${info.baggingDate}`);
  }
  const reserved = new Set(['source-organization', 'external-identifier', 'bagging-date', ...COMPUTED_LABELS]);
  return (info.other ?? []).map(([label, value]) => {
    const p = labelProblem(label);
    if (p) throw validationError('bag.info', `bag-info 标签 ${JSON.stringify(label)} 不合规：${p}`);
    // Reserved element names are case-insensitive (§2.2.2); Payload-Oxum MUST NOT repeat.
    if (reserved.has(label.toLowerCase())) throw validationError('bag.info', `bag-info 标签 ${label} 由写入程序生成，不能另行提供`);
    return [label, value] as [string, string];
  });
};

// ---------------------------------------------------------------------------------------------
// Validator

export type BagProblemCode =
  | 'bagitTxtMissing'
  | 'bagitTxtMalformed'
  | 'byteOrderMark'
  | 'invalidUtf8'
  | 'unsupportedEncoding'
  | 'unsupportedVersion'
  | 'payloadDirectoryMissing'
  | 'noPayloadManifest'
  | 'manifestNameMalformed'
  | 'unsupportedAlgorithm'
  | 'manifestLineMalformed'
  | 'checksumMalformed'
  | 'duplicateManifestEntry'
  | 'unsafePath'
  | 'outsidePayload'
  | 'tagManifestListsPayload'
  | 'tagManifestMissesManifest'
  | 'fileMissing'
  | 'fileNotInManifest'
  | 'checksumMismatch'
  | 'fileUnreadable'
  | 'tagFileTooLarge'
  | 'oxumMismatch'
  | 'oxumMalformed'
  | 'oxumRepeated'
  | 'bagInfoMalformed'
  | 'baggingDateMalformed'
  | 'tagFileUnlisted'
  | 'fetchFileNotSupported'
  | 'normalizationDiffers';

export interface BagProblem {
  code: BagProblemCode;
  /** an error makes the bag incomplete or invalid; a warning does not */
  severity: 'error' | 'warning';
  /** §3: which property an error breaks: `complete` (structure, presence) or `valid` (checksums) */
  breaks?: 'complete' | 'valid';
  /** the file concerned, bag-relative */
  file?: string;
  /** the manifest (or tag file) that says so */
  manifest?: string;
  line?: number;
  algorithm?: string;
  expected?: string;
  actual?: string;
  message: string;
}

export interface BagValidation {
  /** §3: every required element, every listed file present, every payload file in every payload manifest */
  complete: boolean;
  /** §3: complete, and every checksum of every payload and tag manifest verified */
  valid: boolean;
  problems: BagProblem[];
  version?: string;
  /** payload manifest algorithms found, in name order */
  algorithms: string[];
  tagAlgorithms: string[];
  bagInfo: [string, string][];
  /** every payload file found, with the digests computed for it */
  payload: BagFileDigest[];
  oxum: { declared?: string; actual: string };
}

export interface ValidateOptions {
  /** a tag file larger than this is not read (hostile bags); default 256 MiB */
  maxTagFileBytes?: number;
}

const VALIDITY: ReadonlySet<BagProblemCode> = new Set(['checksumMismatch', 'fileUnreadable']);
const WARNINGS: ReadonlySet<BagProblemCode> = new Set(['unsupportedVersion', 'tagFileUnlisted', 'fetchFileNotSupported', 'normalizationDiffers', 'baggingDateMalformed']);

const BOM = [0xef, 0xbb, 0xbf];

class TooLarge extends Error {}

const readAll = async (store: BagStore, path: string, max: number): Promise<Uint8Array> => {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of store.read(path)) {
    n += c.byteLength;
    if (n > max) throw new TooLarge();
    parts.push(c);
  }
  return Buffer.concat(parts); // copies the chunks
};

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** RFC 8493 §3 (complete, valid) and §5.1 (paths), every problem reported, nothing thrown for a bad bag. */
export const validateBag = async (store: BagStore, opts: ValidateOptions = {}): Promise<BagValidation> => {
  const maxTag = opts.maxTagFileBytes ?? 256 * 1024 * 1024;
  const problems: BagProblem[] = [];
  const report = (p: Omit<BagProblem, 'severity' | 'breaks'>) => {
    const warning = WARNINGS.has(p.code);
    problems.push({ ...p, severity: warning ? 'warning' : 'error', ...(warning ? {} : { breaks: VALIDITY.has(p.code) ? 'valid' : 'complete' }) });
  };

  // What is there, by NFC name (§6.2.2), keeping the stored name for reading.
  const all = (await store.list('')).sort();
  const present = new Map<string, string>();
  for (const p of all) present.set(nameKey(p), p);
  const payloadFiles = all.filter((p) => p.startsWith('data/'));
  const tagFilesPresent = all.filter((p) => !p.startsWith('data/'));

  /** Read a text tag file (§2.3): UTF-8, no BOM. undefined when unreadable (already reported). */
  const readText = async (path: string): Promise<string | undefined> => {
    let bytes: Uint8Array;
    try {
      bytes = await readAll(store, path, maxTag);
    } catch (e) {
      if (e instanceof TooLarge) report({ code: 'tagFileTooLarge', file: path, message: `${path} 超过 ${maxTag} 字节，未读取` });
      else report({ code: 'fileUnreadable', file: path, message: `${path} 无法读取：${errText(e)}` });
      return undefined;
    }
    if (BOM.every((b, i) => bytes[i] === b)) {
      report({ code: 'byteOrderMark', file: path, message: `${path} 以 UTF-8 BOM 开头（§2.1.1、§2.3 禁止）` });
      bytes = bytes.subarray(3);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      report({ code: 'invalidUtf8', file: path, message: `${path} 不是有效的 UTF-8 文本` });
      return undefined;
    }
  };

  // §2.1.1 bag declaration
  let version: string | undefined;
  if (!present.has('bagit.txt')) {
    report({ code: 'bagitTxtMissing', file: 'bagit.txt', message: '缺少 bagit.txt（§2.1.1 必备）' });
  } else {
    const text = await readText('bagit.txt');
    if (text !== undefined) {
      const lines = splitLines(text);
      const v = /^BagIt-Version: (\d+\.\d+)$/i.exec(lines[0] ?? '');
      const enc = /^Tag-File-Character-Encoding: (.+)$/i.exec(lines[1] ?? '');
      if (lines.length !== 2 || !v || !enc) {
        report({
          code: 'bagitTxtMalformed',
          file: 'bagit.txt',
          expected: bagitTxt().trimEnd(),
          actual: text,
          message: 'bagit.txt 应恰为两行：“BagIt-Version: M.N”和“Tag-File-Character-Encoding: UTF-8”（§2.1.1）',
        });
      }
      version = v?.[1];
      if (version !== undefined && version !== BAGIT_VERSION) {
        report({ code: 'unsupportedVersion', file: 'bagit.txt', expected: BAGIT_VERSION, actual: version, message: `BagIt 版本 ${version}，按 1.0 规则校验` });
      }
      if (enc && enc[1]!.toUpperCase() !== 'UTF-8') {
        report({ code: 'unsupportedEncoding', file: 'bagit.txt', expected: 'UTF-8', actual: enc[1]!, message: `标签文件编码 ${enc[1]} 不受支持，仅支持 UTF-8` });
      }
    }
  }

  // §2.1.2 payload directory
  if (!(await store.hasDirectory('data'))) {
    report({ code: 'payloadDirectoryMissing', file: 'data/', message: '缺少载荷目录 data/（§2.1.2 必备）' });
  }

  // Manifests at the base directory (§2.1.3, §2.2.1)
  const manifests: { name: string; alg: string; tag: boolean }[] = [];
  for (const p of tagFilesPresent) {
    if (p.includes('/')) continue;
    const m = MANIFEST_NAME.exec(p) ?? TAG_MANIFEST_NAME.exec(p);
    if (!m) continue;
    const tag = p.startsWith('tag');
    const alg = m[1]!;
    if (!/^[a-z0-9]+$/.test(alg)) {
      report({ code: 'manifestNameMalformed', file: p, message: `${p}：算法名须小写且只含字母数字（§2.4）` });
      continue;
    }
    manifests.push({ name: p, alg, tag });
  }
  const payloadManifests = manifests.filter((m) => !m.tag);
  const tagManifests = manifests.filter((m) => m.tag);
  if (payloadManifests.length === 0) report({ code: 'noPayloadManifest', message: '没有任何载荷清单 manifest-<算法>.txt（§2.1.3 至少一个）' });

  const parsed = new Map<string, ParsedManifest>();
  for (const m of manifests) {
    if (!isDigestAlgorithm(m.alg)) {
      report({ code: 'unsupportedAlgorithm', manifest: m.name, algorithm: m.alg, message: `${m.name} 的算法 ${m.alg} 不受支持，其摘要无法核验` });
    }
    const text = await readText(m.name);
    if (text === undefined) continue;
    const pm = parseManifest(text, m.alg);
    for (const p of pm.problems) report({ ...p, manifest: m.name, algorithm: m.alg });
    // §5.1 and §2.1.3 / §2.2.1: where each entry may point.
    for (const [key, e] of pm.entries) {
      const reason = unsafePathReason(e.path);
      if (reason) {
        report({ code: 'unsafePath', manifest: m.name, line: e.line, file: e.path, message: `${m.name} 第 ${e.line} 行的路径 ${JSON.stringify(e.path)} 可能越出 bag：${reason}` });
        pm.entries.delete(key);
      } else if (!m.tag && !e.path.startsWith('data/')) {
        report({ code: 'outsidePayload', manifest: m.name, line: e.line, file: e.path, message: `载荷清单 ${m.name} 第 ${e.line} 行列出了载荷目录之外的 ${e.path}（§2.1.3）` });
        pm.entries.delete(key);
      } else if (m.tag && e.path.startsWith('data/')) {
        report({ code: 'tagManifestListsPayload', manifest: m.name, line: e.line, file: e.path, message: `标签清单 ${m.name} 第 ${e.line} 行列出了载荷文件 ${e.path}（§2.2.1 禁止）` });
        pm.entries.delete(key);
      } else if (present.has(key) && present.get(key) !== e.path) {
        report({ code: 'normalizationDiffers', manifest: m.name, line: e.line, file: e.path, actual: present.get(key)!, message: `${e.path} 与存储中的文件名仅 Unicode 规范化形式不同` });
      }
    }
    parsed.set(m.name, pm);
  }

  // §3 complete: every listed file present; every payload file in every payload manifest.
  for (const m of manifests) {
    const pm = parsed.get(m.name);
    if (!pm) continue;
    for (const [key, e] of pm.entries) {
      if (!present.has(key)) {
        report({ code: 'fileMissing', manifest: m.name, line: e.line, file: e.path, message: `${m.name} 第 ${e.line} 行列出的 ${e.path} 不存在` });
      }
    }
    if (!m.tag) {
      for (const p of payloadFiles) {
        if (!pm.entries.has(nameKey(p))) {
          report({ code: 'fileNotInManifest', manifest: m.name, file: p, message: `载荷文件 ${p} 未列入 ${m.name}（§3：每个载荷文件必须列入每个载荷清单）` });
        }
      }
    }
  }

  // §3 valid: every payload file read once, every payload algorithm from the same chunks.
  const payloadAlgs = [...new Set(payloadManifests.map((m) => m.alg).filter(isDigestAlgorithm))].sort();
  const digestsOf = async (path: string, algs: DigestAlgorithm[]): Promise<BagFileDigest | undefined> => {
    const md = new MultiDigest<DigestAlgorithm>(algs.length ? algs : ['sha256']);
    try {
      for await (const c of store.read(path)) md.update(c);
    } catch (e) {
      report({ code: 'fileUnreadable', file: path, message: `${path} 无法读取：${errText(e)}` });
      return undefined;
    }
    const { bytes, hex } = md.digest();
    return { path, bytes, digests: algs.length ? hex : {} };
  };
  const payloadDigests: BagFileDigest[] = [];
  for (const p of payloadFiles) {
    const d = await digestsOf(p, payloadAlgs);
    if (d) payloadDigests.push(d);
  }
  const compare = (m: { name: string; alg: string }, byKey: Map<string, BagFileDigest>) => {
    const pm = parsed.get(m.name);
    if (!pm || !isDigestAlgorithm(m.alg)) return;
    for (const [key, e] of pm.entries) {
      const actual = byKey.get(key)?.digests[m.alg];
      if (actual !== undefined && actual !== e.checksum) {
        report({
          code: 'checksumMismatch',
          manifest: m.name,
          line: e.line,
          file: e.path,
          algorithm: m.alg,
          expected: e.checksum,
          actual,
          message: `${e.path} 的 ${m.alg} 摘要与 ${m.name} 第 ${e.line} 行不符`,
        });
      }
    }
  };
  const payloadByKey = new Map(payloadDigests.map((d) => [nameKey(d.path), d]));
  for (const m of payloadManifests) compare(m, payloadByKey);

  // Tag manifests (§2.2.1): list every payload manifest; their checksums verify.
  const tagAlgs = [...new Set(tagManifests.map((m) => m.alg).filter(isDigestAlgorithm))].sort();
  const tagListed = new Set<string>();
  for (const m of tagManifests) {
    const pm = parsed.get(m.name);
    if (!pm) continue;
    for (const k of pm.entries.keys()) tagListed.add(k);
    for (const pmf of payloadManifests) {
      if (!pm.entries.has(pmf.name)) {
        report({ code: 'tagManifestMissesManifest', manifest: m.name, file: pmf.name, message: `标签清单 ${m.name} 未列出载荷清单 ${pmf.name}（§2.2.1 必须列出每个载荷清单）` });
      }
    }
  }
  const tagByKey = new Map<string, BagFileDigest>();
  for (const key of [...tagListed].sort()) {
    const stored = present.get(key);
    if (stored === undefined) continue;
    const d = await digestsOf(stored, tagAlgs);
    if (d) tagByKey.set(key, d);
  }
  for (const m of tagManifests) compare(m, tagByKey);
  if (tagManifests.length > 0) {
    for (const p of tagFilesPresent) {
      if (TAG_MANIFEST_NAME.test(p) || tagListed.has(nameKey(p))) continue;
      report({ code: 'tagFileUnlisted', file: p, message: `标签文件 ${p} 未列入任何标签清单，其内容未受保护` });
    }
  }

  // §2.2.2 bag-info.txt, and its Payload-Oxum against what is actually there.
  let bagInfo: [string, string][] = [];
  const octets = payloadDigests.reduce((n, d) => n + d.bytes, 0);
  const actualOxum = `${octets}.${payloadFiles.length}`;
  let declaredOxum: string | undefined;
  if (present.has('bag-info.txt')) {
    const text = await readText('bag-info.txt');
    if (text !== undefined) {
      const bi = parseBagInfo(text);
      bagInfo = bi.elements;
      for (const p of bi.problems) report({ code: 'bagInfoMalformed', file: 'bag-info.txt', line: p.line, message: `bag-info.txt 第 ${p.line} 行：${p.message}` });
      const oxums = bagInfo.filter(([l]) => l.toLowerCase() === 'payload-oxum');
      if (oxums.length > 1) report({ code: 'oxumRepeated', file: 'bag-info.txt', message: `Payload-Oxum 出现 ${oxums.length} 次（§2.2.2 至多一次）` });
      declaredOxum = oxums[0]?.[1];
      if (declaredOxum !== undefined) {
        if (!/^\d+\.\d+$/.test(declaredOxum)) {
          report({ code: 'oxumMalformed', file: 'bag-info.txt', actual: declaredOxum, message: `Payload-Oxum 应为“字节数.文件数”：${declaredOxum}` });
        } else if (declaredOxum !== actualOxum && payloadDigests.length === payloadFiles.length) {
          // (with an unreadable payload file the actual octet count is unknown; that file is reported already)
          report({ code: 'oxumMismatch', file: 'bag-info.txt', expected: declaredOxum, actual: actualOxum, message: `Payload-Oxum 声明 ${declaredOxum}，实际载荷为 ${actualOxum}（字节数.文件数）` });
        }
      }
      for (const [l, v] of bagInfo) {
        if (l.toLowerCase() === 'bagging-date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) {
          report({ code: 'baggingDateMalformed', file: 'bag-info.txt', actual: v, message: `Bagging-Date 应为 YYYY-MM-DD：${v}` });
        }
      }
    }
  }

  if (present.has('fetch.txt')) {
    report({ code: 'fetchFileNotSupported', file: 'fetch.txt', message: 'bag 含 fetch.txt：不会下载其中的文件，只核验已在 bag 中的文件' });
  }

  const errors = problems.filter((p) => p.severity === 'error');
  const complete = !errors.some((p) => p.breaks === 'complete');
  return {
    complete,
    valid: complete && errors.length === 0,
    problems,
    ...(version !== undefined ? { version } : {}),
    algorithms: payloadManifests.map((m) => m.alg).sort(),
    tagAlgorithms: tagManifests.map((m) => m.alg).sort(),
    bagInfo,
    payload: payloadDigests,
    oxum: { ...(declaredOxum !== undefined ? { declared: declaredOxum } : {}), actual: actualOxum },
  };
};
