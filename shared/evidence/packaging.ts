import { isSystemActorId, systemActorId } from '../access/principal.ts';
import { queryAll, tableName } from '../adapters/dynamodb/client.ts';
import { commit, putVersioned, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import { caseEvidencePartition, packageIndex, packageKey, preservationCursorKey } from '../adapters/dynamodb/keys/evidence.ts';
import { bucketHasObjectLock } from '../adapters/s3/evidence.ts';
import type { AuditDraft } from '../audit/record.ts';
import { auditDay, auditTrail } from '../audit/trail.ts';
import { addCalendarDays } from '../calendar/calendar.ts';
import { CASE_KIND_LABELS, type CaseRecord } from '../cases/model.ts';
import { findCase } from '../cases/service.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, DomainError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { notificationWrites } from '../notify/store.ts';
import { findAgency, listAllAgencies } from '../org/store.ts';
import { type BagProblem, type PayloadFile, validateBag, writeBag } from '../preservation/bagit.ts';
import { type FourPropertyReport, itemReport, packageReport } from '../preservation/four-properties.ts';
import { packagePrefix, S3BagStore } from '../preservation/s3-store.ts';
import { ruleInForce } from '../rules/store.ts';
import { copiesOf, type CopyRecord } from './custody.ts';
import { type FixityCheck, fixityChecksOf } from './fixity.ts';
import { auditInChunks, auditObject, errText, getItem, JOB_BUDGET_MS, jobContext, today } from './job-support.ts';
import { type EvidenceItem, findEvidence } from './model.ts';
import { protectionOf, REQUIRED_METADATA, streamOriginal } from './originals.ts';
import { retentionEnd, type RetentionPeriod } from './retention.ts';

/**
 * The preservation package of a closed case and the nightly job that makes them (job 3 of
 * job-support.ts). It stays in the evidence area: it reads the evidence records, their copies and
 * fixity checks, which shared/preservation/ (the BagIt, digest, format and 四性检测 libraries the
 * evidence area itself uses) must not import.
 */

export type PackageStatus = 'packaging' | 'packaged' | 'invalid' | 'failed';

export interface PackageRecord {
  caseId: string;
  caseNumber: string;
  agencyId: string;
  packageId: string;
  /** `packages/<agencyId>/<packageId>/` in the evidence bucket */
  prefix: string;
  status: PackageStatus;
  attempts: number;
  claimedAt: string;
  packagedAt?: string | undefined;
  baggingDate?: string | undefined;
  bagInfo?: [string, string][] | undefined;
  /** Payload-Oxum "octets.streams" */
  payloadOxum?: string | undefined;
  /** every tag file (manifests, tag manifests, bagit.txt, bag-info.txt) with its SHA-256 and SM3 */
  tagFiles?: { path: string; bytes: number; sha256: string; sm3: string }[] | undefined;
  evidence?: { evidenceId: string; path: string; bytes: number; sha256: string; sm3: string }[] | undefined;
  /** linked items not packaged (not verified, or derived copies) */
  excluded?: { evidenceId: string; status: string; reason: string }[] | undefined;
  validation?: { complete: boolean; valid: boolean; problems: BagProblem[] } | undefined;
  /** the 四性检测 package report at the filing stage (per-item reports summarised) */
  report?: PackageReportSummary | undefined;
  /** COMPLIANCE retention of the bag's objects, where the bucket has Object Lock */
  lock?: { retainUntil: string; applied: boolean } | null | undefined;
  /** prefixes of earlier attempts that did not complete (left in place: nothing deletes) */
  abandoned: string[];
  error?: string | undefined;
  version: number;
}

type PackageReportSummary = Omit<FourPropertyReport, 'items'> & { items: { id: string; overall: boolean; failed: string[] }[] };

const packageItem = (p: PackageRecord) => ({
  ...packageKey(p.caseId),
  kind: 'package',
  record: p,
  ...(p.packagedAt ? packageIndex(p.agencyId, p.packagedAt, p.caseId) : {}),
});
export const findPackage = async (caseId: string) => (await getItem(packageKey(caseId)))?.record as PackageRecord | undefined;

/** a claim older than this is a run that died (the jobs function lives 15 minutes at most) */
const PACKAGING_CLAIM_MS = 30 * 60_000;
const MAX_PACKAGING_ATTEMPTS = 3;

const closingStep = (c: CaseRecord) => c.steps.find((s) => s.step === 'closed') ?? c.steps.find((s) => s.step === 'archived');

/** A file name as a bag path segment: no separators, control characters or leading dots (RFC 8493 §5.1). */
export const bagFileName = (name: string) => {
  // eslint-disable-next-line no-control-regex
  let s = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f/\\:%]/g, '_')
    .trim();
  if (s === '' || /^[.~]/.test(s)) s = `_${s}`;
  return s.length > 200 ? s.slice(0, 200) : s;
};

/** The case file's own retention end (D3 in force today, counted like retention.ts): the bag's lock. */
const caseFileUntil = async (c: CaseRecord, closedOn: string, on: string): Promise<string | null> => {
  const d3 = (await ruleInForce('D3', c.agencyPath, on)).parameters;
  const period: RetentionPeriod = c.kind === 'penalty' && c.decision?.major.major ? d3.majorPenaltyCaseFile : d3.caseFiles[c.kind];
  const from = d3.caseFileCountFrom === 'yearAfterClose' ? `${closedOn.slice(0, 4)}-12-31` : closedOn;
  return retentionEnd(from, period);
};

interface PremisEvent {
  eventIdentifier: string;
  eventType: string;
  eventDateTime: string;
  eventDetail: string;
  eventOutcome?: string | undefined;
  linkingAgentIdentifier?: string | undefined;
  linkingObjectIdentifier: string[];
}

/** PREMIS (Data Dictionary 3.0) objects, events and agents, as JSON. */
const premisOf = (
  c: CaseRecord,
  items: EvidenceItem[],
  paths: Map<string, string>,
  fixityByItem: Map<string, FixityCheck[]>,
  copiesByItem: Map<string, CopyRecord[]>,
  pkg: { packageId: string; at: string },
) => {
  const events: PremisEvent[] = [];
  for (const e of items) {
    if (e.ingestedAt) {
      events.push({
        eventIdentifier: `ingest:${e.evidenceId}`,
        eventType: 'ingestion',
        eventDateTime: e.ingestedAt,
        linkingAgentIdentifier: systemActorId('evidence-ingest'),
        eventDetail: `入库校验：与声明的 SHA-256 一致，计算 SHA-256 与 SM3${e.late ? '；迟于当日存储时限（D2）' : ''}`,
        eventOutcome: 'verified',
        linkingObjectIdentifier: [e.evidenceId],
      });
    }
    for (const f of fixityByItem.get(e.evidenceId) ?? []) {
      events.push({
        eventIdentifier: `fixity:${f.checkId}`,
        eventType: 'fixity check',
        eventDateTime: f.at,
        linkingAgentIdentifier: systemActorId('evidence-jobs'),
        eventDetail: 'SHA-256、SM3 与字节数复核',
        eventOutcome: f.ok ? 'pass' : f.missing ? 'missing' : 'fail',
        linkingObjectIdentifier: [e.evidenceId],
      });
    }
    for (const h of e.holds) {
      events.push({
        eventIdentifier: `hold:${h.holdId}`,
        eventType: 'policy assignment',
        eventDateTime: h.placedAt,
        linkingAgentIdentifier: h.placedBy,
        eventDetail: `长期保存（D4）：${h.reason}`,
        eventOutcome: 'placed',
        linkingObjectIdentifier: [e.evidenceId],
      });
      if (h.releasedAt)
        events.push({
          eventIdentifier: `hold-release:${h.holdId}`,
          eventType: 'policy assignment',
          eventDateTime: h.releasedAt,
          linkingAgentIdentifier: h.releasedBy,
          eventDetail: `解除长期保存措施${h.note ? `：${h.note}` : ''}`,
          eventOutcome: 'released',
          linkingObjectIdentifier: [e.evidenceId],
        });
    }
    for (const cp of copiesByItem.get(e.evidenceId) ?? []) {
      events.push({
        eventIdentifier: `copy:${cp.copyId}`,
        eventType: 'replication',
        eventDateTime: cp.producedAt,
        linkingAgentIdentifier: cp.producedBy,
        eventDetail: `向 ${cp.recipient} 提供复制件（D5）：${cp.purpose}，${cp.reference}`,
        eventOutcome: 'produced',
        linkingObjectIdentifier: [e.evidenceId],
      });
    }
  }
  events.push({
    eventIdentifier: `package:${pkg.packageId}`,
    eventType: 'information package creation',
    eventDateTime: pkg.at,
    linkingAgentIdentifier: systemActorId('evidence-jobs'),
    eventDetail: `结案案卷封装为 BagIt 1.0 信息包（RFC 8493，SHA-256 与 SM3 清单）：案件 ${c.caseNumber}`,
    linkingObjectIdentifier: [c.caseId, ...items.map((e) => e.evidenceId)],
  });
  events.sort((a, b) => (a.eventDateTime < b.eventDateTime ? -1 : a.eventDateTime > b.eventDateTime ? 1 : 0));
  const agents = [...new Set(events.map((x) => x.linkingAgentIdentifier).filter((x): x is string => !!x))].map((id) => ({
    agentIdentifier: id,
    agentType: isSystemActorId(id) ? 'software' : 'person',
  }));
  return {
    premisVersion: '3.0',
    objects: [
      { objectIdentifier: { type: 'caseId', value: c.caseId }, objectCategory: 'intellectual entity', title: c.title, caseNumber: c.caseNumber, contentLocation: 'data/case.json' },
      ...items.map((e) => ({
        objectIdentifier: { type: 'evidenceId', value: e.evidenceId },
        objectCategory: 'file',
        originalName: e.fileName,
        size: e.size,
        fixity: [
          { messageDigestAlgorithm: 'SHA-256', messageDigest: e.sha256 },
          { messageDigestAlgorithm: 'SM3', messageDigest: e.sm3 },
        ],
        format: { formatName: e.mediaType },
        contentLocation: paths.get(e.evidenceId),
        storageVersionId: e.versionId,
        significantProperties: { kind: e.kind, title: e.title, capture: e.capture, late: e.late ?? false },
        retention: e.retention ? { retentionClass: e.retention.retentionClass, retainUntil: e.retention.retainUntil, atLeastUntil: e.retention.atLeastUntil, rules: e.retention.rules } : undefined,
        ...(e.derivedFrom ? { relationship: { type: 'derivation', ...e.derivedFrom } } : {}),
      })),
    ],
    events,
    agents,
  };
};

export type PackageOutcome = 'packaged' | 'invalid' | 'failed' | 'alreadyPackaged' | 'inProgress' | 'notClosed' | 'missing' | 'gaveUp';

/**
 * One closed case → one bag under `packages/<agencyId>/<packageId>/`:
 *   data/case.json, data/evidence/<evidenceId>/<fileName> (each verified original, streamed by
 *   version), data/audit.json (the audit trail of the case and of each item), data/premis.json;
 *   bag-info: Source-Organization (agency), External-Identifier (case number), Bagging-Date.
 * Claimed first (`PACKAGE#<caseId>`, status packaging) so that two runs never package one case
 * twice; then validated (RFC 8493 §3 over what S3 now holds) and checked for the four properties
 * at the filing stage; the record keeps the manifests' hashes, Payload-Oxum and the report. A bag
 * that does not validate, or a run that fails, is retried with a new package id (the earlier
 * prefix is kept in `abandoned`) up to MAX_PACKAGING_ATTEMPTS times.
 */
export const packageCase = async (caseId: string): Promise<{ outcome: PackageOutcome; packageId?: string; valid?: boolean; error?: string }> => {
  const c = await findCase(caseId, true);
  if (!c) return { outcome: 'missing' };
  const closing = closingStep(c);
  if (!closing) return { outcome: 'notClosed' };
  const existing = await findPackage(caseId);
  const nowMs = systemClock.now().getTime();
  if (existing?.status === 'packaged') return { outcome: 'alreadyPackaged', packageId: existing.packageId };
  if (existing?.status === 'packaging' && Date.parse(existing.claimedAt) > nowMs - PACKAGING_CLAIM_MS) return { outcome: 'inProgress', packageId: existing.packageId };
  if (existing && existing.attempts >= MAX_PACKAGING_ATTEMPTS) return { outcome: 'gaveUp', packageId: existing.packageId };

  const ctx = jobContext(c.agencyId, 'preservation');
  const caseAudit = (reason: string): AuditDraft => ({ action: 'case.package', objectType: 'case', objectId: c.caseId, objectAgencyId: c.agencyId, outcome: 'allowed', reason });
  const packageId = newId();
  const prefix = packagePrefix(c.agencyId, packageId);
  let claim: PackageRecord = {
    caseId,
    caseNumber: c.caseNumber,
    agencyId: c.agencyId,
    packageId,
    prefix,
    status: 'packaging',
    attempts: (existing?.attempts ?? 0) + 1,
    claimedAt: nowIso(systemClock),
    abandoned: existing ? [...existing.abandoned, existing.prefix] : [],
    version: (existing?.version ?? 0) + 1,
  };
  try {
    await commit(
      ctx,
      [putVersioned(packageItem(claim), existing?.version, () => conflict('package.claimed', '该案件正在封装'))],
      [caseAudit(`packaging ${packageId} started (attempt ${claim.attempts})`)],
    );
  } catch (err) {
    if (err instanceof DomainError && err.code === 'package.claimed') return { outcome: 'inProgress' };
    throw err;
  }

  const finish = async (next: PackageRecord, reason: string, extra: DomainWrite[] = []) => {
    await commit(ctx, [putVersioned(packageItem(next), claim.version, () => conflict('package.claimed', '封装记录已被改动')), ...extra], [caseAudit(reason)]);
    claim = next;
  };

  try {
    const at = systemClock.now();
    const atIso = nowIso(systemClock);
    const day = shanghaiDate(at);
    const agency = await findAgency(c.agencyId);
    const linked = await queryAll(
      { TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': caseEvidencePartition(caseId) } },
      (i) => (i.record as EvidenceItem).evidenceId,
    );
    const records = (await Promise.all(linked.map((id) => findEvidence(id, true)))).filter((e): e is EvidenceItem => !!e && e.caseId === caseId);
    const items = records.filter((e) => e.status === 'verified' && !e.derivedFrom);
    const excluded = records
      .filter((e) => !items.includes(e))
      .map((e) => ({ evidenceId: e.evidenceId, status: e.status, reason: e.derivedFrom ? '派生复制件，不作为原件封装' : `状态为 ${e.status}` }));

    // every read of an original is audited before its bytes are read (fail closed)
    await auditInChunks(
      ctx,
      items.map((e) => ({ action: 'evidence.package', ...auditObject(e), outcome: 'allowed' as const, reason: `read for preservation package ${packageId} of case ${c.caseNumber}` })),
    );

    const trail = [...(await auditTrail('case', caseId)), ...(await Promise.all(items.map((e) => auditTrail('evidence', e.evidenceId)))).flat()].sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1,
    );
    const fixityByItem = new Map(await Promise.all(items.map(async (e) => [e.evidenceId, (await fixityChecksOf(e.evidenceId)).reverse()] as const)));
    const copiesByItem = new Map(await Promise.all(items.map(async (e) => [e.evidenceId, await copiesOf(e.evidenceId)] as const)));

    const paths = new Map(items.map((e) => [e.evidenceId, `evidence/${e.evidenceId}/${bagFileName(e.fileName)}`]));
    const heads = new Map(items.map((e) => [e.evidenceId, {} as { bytes?: Uint8Array }]));
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    const payload: PayloadFile[] = [
      { path: 'case.json', content: json(c) },
      ...items.map((e) => ({ path: paths.get(e.evidenceId)!, content: streamOriginal(e, heads.get(e.evidenceId)!) })),
      { path: 'audit.json', content: json({ caseId, caseNumber: c.caseNumber, generatedAt: atIso, note: '案件及其声像资料的审计记录（哈希链字段保留，可逐条核验）', records: trail }) },
      { path: 'premis.json', content: json(premisOf(c, items, new Map([...paths].map(([k, v]) => [k, `data/${v}`])), fixityByItem, copiesByItem, { packageId, at: atIso })) },
    ];

    const closedOn = closing.on;
    const lockUntil = await caseFileUntil(c, closedOn, day);
    const store = S3BagStore.forPackage(c.agencyId, packageId, { lockUntil: lockUntil ?? undefined });
    const written = await writeBag(
      store,
      payload,
      {
        sourceOrganization: agency?.name ?? c.agencyId,
        externalIdentifier: c.caseNumber,
        externalDescription: `${CASE_KIND_LABELS[c.kind]}案卷：${c.title}（${closedOn} 结案）`,
        baggingDate: day,
        other: [
          ['Internal-Sender-Identifier', `case:${c.caseId}`],
          ['Bag-Group-Identifier', `package:${packageId}`],
        ],
      },
      { now: at },
    );

    const validation = await validateBag(store);
    const stored = new Map(validation.payload.map((p) => [p.path, p]));
    const itemReports = await Promise.all(
      items.map(async (e) => {
        const d = stored.get(`data/${paths.get(e.evidenceId)}`);
        return itemReport(
          {
            id: e.evidenceId,
            title: e.title,
            declared: { sha256: e.sha256, sm3: e.sm3, bytes: e.size, mediaType: e.mediaType },
            ...(d?.digests.sha256 && d.digests.sm3 ? { recomputed: { sha256: d.digests.sha256, sm3: d.digests.sm3, bytes: d.bytes } } : {}),
            metadata: { fields: { title: e.title, ...e.capture, fileName: e.fileName, mediaType: e.mediaType, caseId: e.caseId }, required: REQUIRED_METADATA },
            format: heads.get(e.evidenceId)!.bytes ? { firstBytes: heads.get(e.evidenceId)!.bytes! } : {},
            protection: await protectionOf(e),
          },
          { stage: 'filing', now: at },
        );
      }),
    );
    const report = packageReport({ id: packageId, title: `${c.caseNumber} ${c.title}`, bag: validation, items: itemReports, expectedItemCount: items.length }, { stage: 'filing', now: at });
    const summary: PackageReportSummary = {
      ...report,
      items: itemReports.map((i) => ({
        id: i.subject.id,
        overall: i.overall,
        failed: [i.authenticity, i.integrity, i.usability, i.security].flatMap((p) => p.checks.filter((x) => !x.pass).map((x) => x.id)),
      })),
    };
    const tag = (f: (typeof written.tagFiles)[number]) => ({ path: f.path, bytes: f.bytes, sha256: f.digests.sha256!, sm3: f.digests.sm3! });
    const next: PackageRecord = {
      ...claim,
      status: validation.valid ? 'packaged' : 'invalid',
      packagedAt: atIso,
      baggingDate: day,
      bagInfo: written.bagInfo,
      payloadOxum: `${written.oxum.octets}.${written.oxum.streams}`,
      tagFiles: written.tagFiles.map(tag),
      evidence: items.map((e) => {
        const w = written.payload.find((p) => p.path === `data/${paths.get(e.evidenceId)}`)!;
        return { evidenceId: e.evidenceId, path: w.path, bytes: w.bytes, sha256: w.digests.sha256!, sm3: w.digests.sm3! };
      }),
      excluded,
      validation: { complete: validation.complete, valid: validation.valid, problems: validation.problems.slice(0, 50) },
      report: summary,
      lock: lockUntil ? { retainUntil: lockUntil, applied: await bucketHasObjectLock() } : null,
      version: claim.version + 1,
    };
    const alert = validation.valid
      ? []
      : notificationWrites(
          {
            kind: 'decided',
            agencyId: c.agencyId,
            title: `【告警】案卷信息包校验未通过：${c.caseNumber}`,
            body: `案件 ${c.caseNumber} 的 BagIt 信息包写入后校验未通过（${validation.problems
              .filter((p) => p.severity === 'error')
              .slice(0, 3)
              .map((p) => p.message)
              .join('；')}），下一次作业将重新封装。`,
            recipients: [{ type: 'role', agencyId: c.agencyId, role: 'secAdmin' }],
          },
          atIso,
        ).writes;
    await finish(next, `package ${packageId} ${validation.valid ? 'valid' : 'INVALID'}: Payload-Oxum ${next.payloadOxum}, four properties ${report.overall ? 'pass' : 'not all pass'}`, alert);
    return { outcome: validation.valid ? 'packaged' : 'invalid', packageId, valid: validation.valid };
  } catch (err) {
    // the last attempt tells the security administrator: nothing retries it after that
    const last =
      claim.attempts >= MAX_PACKAGING_ATTEMPTS
        ? notificationWrites(
            {
              kind: 'decided',
              agencyId: c.agencyId,
              title: `【告警】案卷信息包封装失败：${c.caseNumber}`,
              body: `案件 ${c.caseNumber} 已 ${claim.attempts} 次封装失败（${errText(err).slice(0, 200)}），不再自动重试，请核查后处理。`,
              recipients: [{ type: 'role', agencyId: c.agencyId, role: 'secAdmin' }],
            },
            nowIso(systemClock),
          ).writes
        : [];
    await finish({ ...claim, status: 'failed', error: errText(err).slice(0, 1000), version: claim.version + 1 }, `package ${packageId} failed: ${errText(err).slice(0, 200)}`, last).catch(
      () => undefined,
    );
    return { outcome: 'failed', packageId, error: errText(err) };
  }
};

export interface PreservationResult {
  agencies: number;
  closedCases: number;
  packaged: number;
  invalid: number;
  failed: number;
  alreadyPackaged: number;
  other: number;
  incomplete: boolean;
}

/**
 * Cases closed (or archived) since the last run, found through the audit days of each agency
 * (`case.step.closed` / `case.step.archived` records; the case table has no index by state),
 * from the agency's cursor — or its creation — to today. Today is scanned again tomorrow.
 */
export const preservation = async (opts: { budgetMs?: number } = {}): Promise<PreservationResult> => {
  const deadline = Date.now() + (opts.budgetMs ?? JOB_BUDGET_MS);
  const day = today();
  const r: PreservationResult = { agencies: 0, closedCases: 0, packaged: 0, invalid: 0, failed: 0, alreadyPackaged: 0, other: 0, incomplete: false };
  for (const agency of await listAllAgencies()) {
    if (r.incomplete) break;
    r.agencies++;
    const key = preservationCursorKey(agency.agencyId);
    const start = ((await getItem(key))?.nextDay as string | undefined) ?? shanghaiDate(new Date(agency.createdAt));
    const caseIds = new Set<string>();
    for (let d = start; d <= day; d = addCalendarDays(d, 1)) {
      for (const a of await auditDay(agency.agencyId, d, ['case.step.closed', 'case.step.archived'])) caseIds.add(a.objectId);
    }
    let clean = true;
    for (const caseId of caseIds) {
      if (Date.now() > deadline) {
        r.incomplete = true;
        clean = false;
        break;
      }
      r.closedCases++;
      const out = await packageCase(caseId);
      if (out.outcome === 'packaged') r.packaged++;
      else if (out.outcome === 'alreadyPackaged') r.alreadyPackaged++;
      else if (out.outcome === 'invalid') r.invalid++;
      else if (out.outcome === 'failed') r.failed++;
      else r.other++;
      if (out.outcome === 'invalid' || out.outcome === 'failed' || out.outcome === 'inProgress') clean = false;
    }
    if (clean && start !== day) {
      await commit(jobContext(agency.agencyId, 'preservation'), [{ item: { Put: { TableName: tableName(), Item: { ...key, kind: 'jobCursor', nextDay: day, at: nowIso(systemClock) } } } }], []);
    }
  }
  return r;
};
