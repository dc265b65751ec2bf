import { systemClock, toShanghaiIso } from '../kernel/clock.ts';
import type { BagProblem, BagProblemCode, BagValidation } from './bagit.ts';
import type { FixityDigest } from './digest.ts';
import { mediaTypeMatches, sniffFormat, type FormatId } from './format.ts';

export { sniffFormat, type FormatId, type SniffedFormat } from './format.ts';

/**
 * 四性检测: the authenticity, integrity, usability and security checks (真实性、完整性、可用性、
 * 安全性) that DA/T 70-2018《文书类电子档案检测一般要求》 sets for the three stages at which electronic
 * records are checked — filing (归档), handover and receipt (移交与接收), long-term storage (长期保存) —
 * following GB/T 18894-2016《电子文件归档与电子档案管理规范》 and the《电子档案移交与接收办法》
 * (档发〔2012〕7号), which require the four properties to be checked on handover. DA/T 70 is written
 * for 文书类 records and says other kinds may follow it; here it is applied to the audiovisual
 * evidence and case files of D1–D7 (docs/rules.md).
 *
 * The builder is pure: callers gather the facts (declared and recomputed digests from digest.ts, the
 * metadata, the first bytes, storage protection read from S3, a BagIt validation from bagit.ts) and
 * get a report that says, check by check, what passed and why not. Check ids are this project's,
 * stable for programs; descriptions and details are Chinese for people.
 */

export type Stage = 'filing' | 'handover' | 'storage';

export const STAGE_NAMES: Record<Stage, string> = { filing: '归档', handover: '移交与接收', storage: '长期保存' };

export interface Check {
  id: string;
  description: string;
  pass: boolean;
  detail: string;
}

export interface PropertyResult {
  pass: boolean;
  checks: Check[];
}

export interface FourPropertyReport {
  subject: { kind: 'item' | 'package'; id: string; title?: string };
  stage: Stage;
  /** 真实性 */
  authenticity: PropertyResult;
  /** 完整性 */
  integrity: PropertyResult;
  /** 可用性 */
  usability: PropertyResult;
  /** 安全性 */
  security: PropertyResult;
  overall: boolean;
  /** ISO 8601, Asia/Shanghai */
  checkedAt: string;
  /** a package's per-item reports */
  items?: FourPropertyReport[];
}

/** Formats accepted by default: the archival formats of recordings, photos and documents. An agency's rule version may narrow or widen it. */
export const DEFAULT_ACCEPTED_FORMATS: readonly FormatId[] = ['mp4', 'mov', 'jpeg', 'png', 'tiff', 'pdf', 'ofd', 'wav', 'mp3', 'text'];

export interface ItemFacts {
  id: string;
  title?: string;
  /** what the metadata recorded when the item was captured or filed (固化信息) */
  declared: { sha256?: string; sm3?: string; bytes?: number; mediaType?: string };
  /** digest.ts over the stored bytes now; absent when the content could not be read */
  recomputed?: FixityDigest;
  metadata: { fields: Record<string, unknown>; required: readonly string[] };
  format: {
    /** the content's first bytes (format.ts SNIFF_BYTES is enough) */
    firstBytes?: Uint8Array;
    accepted?: readonly FormatId[];
    /** a decoder's verdict (e.g. ffprobe read every stream), when one was run */
    decoder?: { tool: string; pass: boolean; detail?: string };
    /** content-level encryption or a password (not storage encryption), which blocks future use */
    contentEncrypted?: boolean;
  };
  /** storage protection of the original (S3 bucket and object facts) */
  protection?: {
    objectLock?: { mode: 'COMPLIANCE' | 'GOVERNANCE'; retainUntil: string };
    legalHold?: boolean;
    /** D4 (dispute, complaint, obstruction, mass incident…) or an open case: a legal hold is due */
    legalHoldRequired?: boolean;
    /** e.g. `aws:kms`; null/undefined = not encrypted at rest */
    encryptionAtRest?: string | null;
    versioning?: boolean;
  };
  malwareScan?: { result: 'clean' | 'infected' | 'error'; engine?: string; detail?: string };
}

export interface ReportOptions {
  stage: Stage;
  now?: Date;
  /**
   * After filing, an SM3 digest (GB/T 32905) must have been recorded; at filing it is being
   * established, so only SHA-256 is compared. Default true.
   */
  requireSm3AfterFiling?: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/i;

const property = (checks: Check[]): PropertyResult => ({ pass: checks.length > 0 && checks.every((c) => c.pass), checks });

const check = (id: string, description: string, pass: boolean, detail: string): Check => ({ id, description, pass, detail });

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

const finish = (
  subject: FourPropertyReport['subject'],
  opts: ReportOptions,
  parts: Record<'authenticity' | 'integrity' | 'usability' | 'security', Check[]>,
  items?: FourPropertyReport[],
): FourPropertyReport => {
  const authenticity = property(parts.authenticity);
  const integrity = property(parts.integrity);
  const usability = property(parts.usability);
  const security = property(parts.security);
  return {
    subject,
    stage: opts.stage,
    authenticity,
    integrity,
    usability,
    security,
    overall: authenticity.pass && integrity.pass && usability.pass && security.pass,
    checkedAt: toShanghaiIso(opts.now ?? systemClock.now()),
    ...(items ? { items } : {}),
  };
};

/** The four properties of one item (a recording, a photo, a document). */
export const itemReport = (f: ItemFacts, opts: ReportOptions): FourPropertyReport => {
  const now = opts.now ?? systemClock.now();
  const stage = opts.stage;
  const r = f.recomputed;
  const sniffed = f.format.firstBytes ? sniffFormat(f.format.firstBytes) : undefined;

  // 真实性: the content is what was fixed at capture/filing, and is what its metadata describes.
  const authenticity: Check[] = [];
  const sha = f.declared.sha256;
  authenticity.push(
    check(
      'authenticity.fixityRecorded',
      '固化信息（登记的 SHA-256 摘要）存在且格式正确',
      sha !== undefined && HEX64.test(sha),
      sha === undefined ? '元数据中没有登记 SHA-256 摘要' : HEX64.test(sha) ? `登记值 ${sha.toLowerCase()}` : `登记值不是 64 位十六进制：${sha}`,
    ),
  );
  authenticity.push(
    check(
      'authenticity.sha256Matches',
      '重新计算的 SHA-256 摘要与登记值一致',
      r !== undefined && sha !== undefined && r.sha256 === sha.toLowerCase(),
      r === undefined
        ? '内容无法读取，不能重新计算摘要'
        : sha === undefined
          ? `计算值 ${r.sha256}，无登记值可比对`
          : r.sha256 === sha.toLowerCase()
            ? `一致：${r.sha256}`
            : `登记 ${sha.toLowerCase()}，计算 ${r.sha256}`,
    ),
  );
  const sm3 = f.declared.sm3;
  if (sm3 !== undefined) {
    authenticity.push(
      check(
        'authenticity.sm3Matches',
        '重新计算的 SM3 摘要（GB/T 32905）与登记值一致',
        r !== undefined && r.sm3 === sm3.toLowerCase(),
        r === undefined ? '内容无法读取，不能重新计算摘要' : r.sm3 === sm3.toLowerCase() ? `一致：${r.sm3}` : `登记 ${sm3.toLowerCase()}，计算 ${r.sm3}`,
      ),
    );
  } else if (stage !== 'filing' && (opts.requireSm3AfterFiling ?? true)) {
    authenticity.push(check('authenticity.sm3Matches', '重新计算的 SM3 摘要（GB/T 32905）与登记值一致', false, `${STAGE_NAMES[stage]}环节应已有归档时登记的 SM3 摘要，元数据中没有`));
  }
  if (f.declared.bytes !== undefined) {
    authenticity.push(
      check(
        'authenticity.sizeMatches',
        '内容字节数与元数据记录一致',
        r !== undefined && r.bytes === f.declared.bytes,
        r === undefined ? '内容无法读取' : r.bytes === f.declared.bytes ? `${r.bytes} 字节` : `记录 ${f.declared.bytes} 字节，实际 ${r.bytes} 字节`,
      ),
    );
  }
  if (f.declared.mediaType !== undefined) {
    const ok = sniffed !== undefined && mediaTypeMatches(f.declared.mediaType, sniffed.format);
    authenticity.push(
      check(
        'authenticity.formatMatchesMetadata',
        '内容的实际格式与元数据记录的格式一致',
        ok,
        sniffed === undefined
          ? '未提供内容头部字节，无法判断格式'
          : ok
            ? `${f.declared.mediaType}（${sniffed.detail}）`
            : `记录为 ${f.declared.mediaType}，内容识别为 ${sniffed.mediaType}（${sniffed.detail}）`,
      ),
    );
  }

  // 完整性: content and the required metadata are all there.
  const integrity: Check[] = [];
  integrity.push(
    check('integrity.contentPresent', '内容数据存在、可读取且不为空', r !== undefined && r.bytes > 0, r === undefined ? '内容缺失或无法读取' : r.bytes === 0 ? '内容为 0 字节' : `${r.bytes} 字节`),
  );
  const missing = f.metadata.required.filter((k) => isEmpty(f.metadata.fields[k]));
  integrity.push(
    check('integrity.metadataComplete', '必备元数据项齐全', missing.length === 0, missing.length === 0 ? `${f.metadata.required.length} 项必备元数据均已著录` : `缺少：${missing.join('、')}`),
  );

  // 可用性: the content is in a known, accepted format that can be opened.
  const usability: Check[] = [];
  usability.push(
    check(
      'usability.formatRecognised',
      '文件格式可识别',
      sniffed !== undefined && sniffed.format !== 'unknown',
      sniffed === undefined ? '未提供内容头部字节' : sniffed.format === 'unknown' ? sniffed.detail : `${sniffed.mediaType}（${sniffed.detail}）`,
    ),
  );
  const accepted = f.format.accepted ?? DEFAULT_ACCEPTED_FORMATS;
  if (sniffed !== undefined && sniffed.format !== 'unknown') {
    usability.push(
      check(
        'usability.formatAccepted',
        '文件格式属于归档接受的格式',
        accepted.includes(sniffed.format),
        accepted.includes(sniffed.format) ? sniffed.format : `${sniffed.format} 不在接受的格式（${accepted.join('、')}）之内`,
      ),
    );
  }
  if (f.format.decoder) {
    const d = f.format.decoder;
    usability.push(check('usability.decodable', '内容可被正常打开和解码', d.pass, `${d.tool}：${d.detail ?? (d.pass ? '通过' : '失败')}`));
  }
  if (f.format.contentEncrypted !== undefined) {
    usability.push(check('usability.notEncrypted', '内容未加密、无口令保护（不影响今后利用）', !f.format.contentEncrypted, f.format.contentEncrypted ? '内容经过加密或设有口令' : '未加密'));
  }

  // 安全性: scanned for malware; the original is write-protected and encrypted where it is stored (D7).
  const security: Check[] = [];
  const scan = f.malwareScan;
  security.push(
    check(
      'security.malwareScan',
      '病毒及恶意代码检测通过',
      scan?.result === 'clean',
      scan === undefined
        ? '未进行病毒检测'
        : `${scan.engine ? `${scan.engine}：` : ''}${{ clean: '未发现', infected: '发现恶意代码', error: '检测出错' }[scan.result]}${scan.detail ? `（${scan.detail}）` : ''}`,
    ),
  );
  const p = f.protection;
  const storedHere = stage === 'filing' || stage === 'storage';
  if (storedHere || p !== undefined) {
    const lockUntil = p?.objectLock ? new Date(p.objectLock.retainUntil) : undefined;
    const locked = lockUntil !== undefined && lockUntil.getTime() > now.getTime();
    const held = p?.legalHold === true;
    security.push(
      check(
        'security.writeProtected',
        '原件处于写保护之下（对象锁定保留期或合法保留），不能删除或改写（RULES D7）',
        locked || held,
        p === undefined
          ? '未提供存储保护信息'
          : [p.objectLock ? `对象锁定 ${p.objectLock.mode} 至 ${p.objectLock.retainUntil}${locked ? '' : '（已过期）'}` : '无对象锁定', held ? '合法保留中' : '无合法保留'].join('；'),
      ),
    );
    if (p?.legalHoldRequired) {
      security.push(check('security.legalHold', '应长期保存的原件已设合法保留（RULES D4）', held, held ? '合法保留中' : '需要合法保留，但未设置'));
    }
    security.push(
      check('security.encryptedAtRest', '存储加密', !isEmpty(p?.encryptionAtRest), isEmpty(p?.encryptionAtRest) ? (p === undefined ? '未提供存储保护信息' : '未加密存储') : `${p!.encryptionAtRest}`),
    );
    if (p?.versioning !== undefined) {
      security.push(check('security.versioning', '存储桶开启版本控制', p.versioning, p.versioning ? '已开启' : '未开启'));
    }
  }

  return finish({ kind: 'item', id: f.id, ...(f.title !== undefined ? { title: f.title } : {}) }, opts, { authenticity, integrity, usability, security });
};

// ---------------------------------------------------------------------------------------------
// Packages (a BagIt bag handed over or stored)

type PackageCheckId =
  | 'authenticity.bagChecksums'
  | 'authenticity.tagManifest'
  | 'authenticity.bagStructure'
  | 'integrity.bagComplete'
  | 'integrity.oxum'
  | 'usability.bagReadable'
  | 'security.pathsSafe';

/**
 * Where each BagIt problem counts. Exhaustive over the codes (a new code does not compile until it
 * is placed), so no error of the validator is ever left out of the report. Warnings count nowhere.
 */
const BAG_PROBLEM_CHECKS: Record<BagProblemCode, readonly PackageCheckId[]> = {
  bagitTxtMissing: ['integrity.bagComplete'],
  bagitTxtMalformed: ['authenticity.bagStructure'],
  byteOrderMark: ['usability.bagReadable'],
  invalidUtf8: ['usability.bagReadable'],
  unsupportedEncoding: ['usability.bagReadable'],
  unsupportedVersion: [],
  payloadDirectoryMissing: ['integrity.bagComplete'],
  noPayloadManifest: ['integrity.bagComplete'],
  manifestNameMalformed: ['authenticity.bagStructure'],
  unsupportedAlgorithm: ['usability.bagReadable'],
  manifestLineMalformed: ['authenticity.bagStructure'],
  checksumMalformed: ['authenticity.bagStructure'],
  duplicateManifestEntry: ['authenticity.bagStructure'],
  unsafePath: ['security.pathsSafe'],
  outsidePayload: ['security.pathsSafe'],
  tagManifestListsPayload: ['authenticity.bagStructure'],
  tagManifestMissesManifest: ['integrity.bagComplete'],
  fileMissing: ['integrity.bagComplete'],
  fileNotInManifest: ['integrity.bagComplete'],
  checksumMismatch: ['authenticity.bagChecksums'], // tag manifests: authenticity.tagManifest, below
  fileUnreadable: ['usability.bagReadable', 'authenticity.bagChecksums'],
  tagFileTooLarge: ['usability.bagReadable'],
  oxumMismatch: ['integrity.oxum'],
  oxumMalformed: ['integrity.oxum'],
  oxumRepeated: ['integrity.oxum'],
  bagInfoMalformed: ['authenticity.bagStructure'],
  baggingDateMalformed: [],
  tagFileUnlisted: [],
  fetchFileNotSupported: [],
  normalizationDiffers: [],
};

const checksFor = (p: BagProblem): readonly PackageCheckId[] => {
  if (p.severity !== 'error') return [];
  if (p.code === 'checksumMismatch' && p.manifest?.startsWith('tagmanifest-')) return ['authenticity.tagManifest'];
  return BAG_PROBLEM_CHECKS[p.code];
};

const describeProblem = (p: BagProblem) => (p.expected !== undefined && p.actual !== undefined && p.code === 'checksumMismatch' ? `${p.message}（清单 ${p.expected}，实际 ${p.actual}）` : p.message);

export interface PackageFacts {
  id: string;
  title?: string;
  bag: BagValidation;
  /** one report per item in the package, built with itemReport at the same stage */
  items: FourPropertyReport[];
  /** the number of items the handover list (移交清单) announces */
  expectedItemCount?: number;
}

const PACKAGE_CHECKS: Record<PackageCheckId, string> = {
  'authenticity.bagChecksums': '信息包内每个载荷文件的摘要与载荷清单一致',
  'authenticity.tagManifest': '信息包说明文件（bag-info.txt、清单）与标签清单一致，未被改动',
  'authenticity.bagStructure': '信息包组织结构符合 RFC 8493 BagIt 1.0',
  'integrity.bagComplete': '信息包完整：必备文件齐全，清单与载荷文件一一对应',
  'integrity.oxum': '载荷文件数量与字节数（Payload-Oxum）与说明一致',
  'usability.bagReadable': '信息包可被读取：文件可读、说明文件为 UTF-8、摘要算法受支持',
  'security.pathsSafe': '信息包中没有越出包目录的路径（RFC 8493 §5.1）',
};

/** The four properties of a package: the bag's own checks, then every item's. */
export const packageReport = (f: PackageFacts, opts: ReportOptions): FourPropertyReport => {
  const byCheck = new Map<PackageCheckId, BagProblem[]>();
  for (const p of f.bag.problems) for (const id of checksFor(p)) byCheck.set(id, [...(byCheck.get(id) ?? []), p]);

  const bagCheck = (id: PackageCheckId, okDetail: string): Check => {
    const ps = byCheck.get(id) ?? [];
    return check(id, PACKAGE_CHECKS[id], ps.length === 0, ps.length === 0 ? okDetail : ps.map(describeProblem).join('；'));
  };

  const itemsCheck = (prop: 'authenticity' | 'integrity' | 'usability' | 'security', name: string): Check => {
    const id = `${prop}.items`;
    if (f.items.length === 0) {
      const none = f.bag.payload.length === 0;
      return check(id, `各条目的${name}检测通过`, none, none ? '信息包没有条目' : `信息包有 ${f.bag.payload.length} 个载荷文件，但没有条目检测报告`);
    }
    const failed = f.items.filter((i) => !i[prop].pass);
    return check(
      id,
      `各条目的${name}检测通过`,
      failed.length === 0,
      failed.length === 0
        ? `${f.items.length} 个条目均通过`
        : failed
            .map(
              (i) =>
                `${i.subject.id}：${i[prop].checks
                  .filter((c) => !c.pass)
                  .map((c) => c.id)
                  .join('、')}`,
            )
            .join('；'),
    );
  };

  const tagManifests = f.bag.tagAlgorithms;
  const tagCheck = bagCheck('authenticity.tagManifest', `标签清单 ${tagManifests.join('、')} 核验一致`);
  if (tagManifests.length === 0) {
    tagCheck.pass = false;
    tagCheck.detail = '信息包没有标签清单，bag-info.txt 与载荷清单未受摘要保护';
  }

  const authenticity = [
    bagCheck('authenticity.bagChecksums', `${f.bag.payload.length} 个载荷文件按 ${f.bag.algorithms.join('、') || '（无）'} 核验一致`),
    tagCheck,
    bagCheck('authenticity.bagStructure', `BagIt ${f.bag.version ?? '?'}`),
    itemsCheck('authenticity', '真实性'),
  ];

  const oxumCheck = bagCheck('integrity.oxum', `Payload-Oxum ${f.bag.oxum.declared ?? ''} 与实际一致`);
  if (oxumCheck.pass && f.bag.oxum.declared === undefined) {
    oxumCheck.pass = false;
    oxumCheck.detail = `bag-info.txt 未声明 Payload-Oxum，无法核对数量（实际 ${f.bag.oxum.actual}）`;
  }
  const integrity = [bagCheck('integrity.bagComplete', `${f.bag.payload.length} 个载荷文件均在每个载荷清单中`), oxumCheck];
  if (f.expectedItemCount !== undefined) {
    integrity.push(
      check(
        'integrity.itemCount',
        '条目数量与移交清单一致',
        f.items.length === f.expectedItemCount,
        f.items.length === f.expectedItemCount ? `${f.items.length} 个条目` : `移交清单 ${f.expectedItemCount} 个，实际 ${f.items.length} 个`,
      ),
    );
  }
  integrity.push(itemsCheck('integrity', '完整性'));

  const usability = [bagCheck('usability.bagReadable', '所有文件可读'), itemsCheck('usability', '可用性')];
  const security = [bagCheck('security.pathsSafe', '所有路径均在包内'), itemsCheck('security', '安全性')];

  return finish({ kind: 'package', id: f.id, ...(f.title !== undefined ? { title: f.title } : {}) }, opts, { authenticity, integrity, usability, security }, f.items);
};
