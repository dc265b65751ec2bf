import { addCalendarDays, addMonths, type Calendar, classifyDay, computeDue } from '../calendar/calendar.ts';
import { shanghaiDate, toShanghaiIso } from '../kernel/clock.ts';
import type { CASE_FILE_KINDS, HOLD_REASONS, RECORDING_KINDS, RuleParameters, RuleVersionRecord } from '../rules/catalog.ts';

/**
 * How long an evidence item (声像资料) is kept, and where it is stored meanwhile (D2–D4, docs/rules.md).
 * Pure domain: no I/O, no clock; every value comes from the D3/D4 rule versions passed in, and every
 * decision names the versions that produced it.
 *
 * Date arithmetic follows the docs/rules.md §3 counting conventions: the event day is not counted, and a
 * period in months ends on the same date N months later or that month's last day (2026-08-31 + 6
 * months = 2027-02-28); a year is 12 months. `retainUntil` is the last day the item must still
 * exist. It is NOT rolled forward to a working day: it is no deadline anyone must act by, only the
 * first moment a disposition may be proposed (destruction still needs an approved disposition,
 * docs/security.md §4), and rolling it would only move the date shown.
 */

export type RecordingKind = (typeof RECORDING_KINDS)[number];
export type CaseFileKind = (typeof CASE_FILE_KINDS)[number];
export type HoldReason = (typeof HOLD_REASONS)[number];
export type RetentionPeriod = RuleParameters<'D4'>['longTerm'];

export interface EvidenceHold {
  reason: HoldReason;
  /** ISO 8601 timestamp; the long-term period counts from its Shanghai date */
  placedAt: string;
  placedBy: string;
  /** set when the hold is released: a released hold no longer counts */
  releasedAt?: string | undefined;
}

export interface CaseLink {
  caseId: string;
  caseKind: CaseFileKind;
  /** a 重大行政处罚 (C8, caseKind 'penalty' only): its case file has D3's `majorPenaltyCaseFile` retention */
  major?: boolean | undefined;
  /** YYYY-MM-DD; absent while the case is open */
  caseClosedOn?: string | undefined;
  /** the case file's own retention as the archivist classified it; otherwise D3's default for the kind */
  caseFileRetention?: RetentionPeriod | undefined;
}

export interface RetentionInput {
  kind: RecordingKind;
  /** YYYY-MM-DD, Shanghai date of capture */
  capturedOn: string;
  /** YYYY-MM-DD, Shanghai date of the ingest: the kind's floor also counts from it (the capture date is only declared) */
  storedOn?: string | undefined;
  caseLink?: CaseLink | undefined;
  holds: readonly EvidenceHold[];
}

type Versioned<R extends 'D3' | 'D4'> = Pick<RuleVersionRecord<R>, 'versionId' | 'parameters'>;
/** The rule versions in force (a `RuleVersionRecord` fits as is). */
export interface RetentionRules {
  D3: Versioned<'D3'>;
  D4: Versioned<'D4'>;
}

/**
 * What kept the item: 'routine' = the kind's floor from capture (D3); 'case' = the case file (D3),
 * also while the case is open or not yet linked; 'longTerm' = a D4 hold; 'permanent' = a permanent
 * period (a permanent case file, or D4 long-term set to permanent).
 */
export type RetentionClass = 'routine' | 'case' | 'longTerm' | 'permanent';

export interface RetentionBasis {
  /** 'storedFloor': the kind's floor counted from the ingest rather than the declared capture */
  source: 'kindFloor' | 'storedFloor' | 'caseFile' | 'hold' | 'previousDecision';
  ruleId: 'D3' | 'D4';
  versionId: string;
  /** absent for a hold whose reason the D4 version does not list: it freezes deletion, adds no period */
  period?: RetentionPeriod | undefined;
  /** the event date the period counts from (not counted); null while unknown (case open or not linked) */
  from: string | null;
  /** last day; null = permanent or pending */
  until: string | null;
  pending?: 'caseClose' | 'caseLink' | undefined;
  /** the class this entry gives when it wins */
  retentionClass: RetentionClass;
  won: boolean;
  /** Chinese explanation for the console */
  note: string;
}

export interface RetentionDecision {
  retentionClass: RetentionClass;
  /** YYYY-MM-DD, the last day to keep; null = permanent, or pending a case close or a case link */
  retainUntil: string | null;
  /** the latest date already fixed by a finite period: = retainUntil when finite, the lower bound while pending, null when permanent */
  atLeastUntil: string | null;
  pendingCaseClose: boolean;
  pendingCaseLink: boolean;
  /** an active hold: nothing deletes the item, whatever the date (S3 Object Lock legal hold) */
  legalHold: boolean;
  activeHoldReasons: HoldReason[];
  capturedOn: string;
  /** the ingest date, when the item was stored: the floor counts from it too */
  storedOn?: string | undefined;
  rules: { D3: string; D4: string };
  /** every applicable period with its rule version; exactly one has `won` */
  basis: RetentionBasis[];
}

const PERIOD_LABEL = (p: RetentionPeriod): string => (p.unit === 'permanent' ? '永久' : p.unit === 'years' ? `${p.value}年` : `${p.value}个月`);

/** The last day of `period` counted from `from` (the day itself not counted); null for permanent. */
export const retentionEnd = (from: string, period: RetentionPeriod): string | null =>
  period.unit === 'permanent' ? null : addMonths(from, period.unit === 'years' ? period.value * 12 : period.value);

/** Strict YYYY-MM-DD (RangeError otherwise). */
const checkDate = (date: string): void => {
  addCalendarDays(date, 0);
};
const parseTimestamp = (iso: string): number => {
  const t = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`not a timestamp: ${JSON.stringify(iso)}`);
  return t;
};

const KIND_LABEL: Record<RecordingKind, string> = {
  patrol: '日常巡查',
  'evidence-general-procedure': '一般程序处罚证据',
  licensing: '行政许可',
  levy: '行政征收',
  confirmation: '行政确认',
  benefit: '行政给付',
  inspection: '行政检查',
  questioning: '询问当事人',
  service: '文书送达',
  hearing: '行政听证',
  other: '其他',
};

const HOLD_LABEL: Record<HoldReason, string> = {
  dispute: '当事人对现场执法有异议',
  complaint: '当事人投诉',
  petition: '当事人上访',
  evasion: '当事人逃避执法',
  refusal: '当事人拒绝执法',
  obstruction: '当事人阻碍执法',
  insult: '谩骂侮辱执法人员',
  assault: '殴打执法人员',
  massIncident: '处置群体性事件',
  suddenIncident: '处置突发事件',
  important: '其他需长期保存的重要情况',
  reviewOrLitigation: '行政复议或诉讼举证',
};

/** Ordering of candidate ends: permanent > pending > any date; among dates the later. */
const rankOf = (b: RetentionBasis): [number, string] => (b.until !== null ? [0, b.until] : b.pending ? [1, ''] : [2, '']);
/** on a tie the more specific reason wins: a hold, then an earlier decision (extendOnly), then the case file, then the floor */
const SPECIFICITY: Record<RetentionBasis['source'], number> = { kindFloor: 0, storedFloor: 1, caseFile: 2, previousDecision: 3, hold: 4 };
const beats = (a: RetentionBasis, b: RetentionBasis): boolean => {
  const [ra, da] = rankOf(a);
  const [rb, db] = rankOf(b);
  if (ra !== rb) return ra > rb;
  if (da !== db) return da > db;
  return SPECIFICITY[a.source] > SPECIFICITY[b.source];
};
const laterOf = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);

/** a hold whose reason the D4 version does not list only freezes deletion: it appears in the basis but sets no period */
const competes = (b: RetentionBasis): boolean => !(b.source === 'hold' && b.period === undefined);

/** Picks the winner among the candidates and builds the decision around it. */
const decide = (
  dates: { capturedOn: string; storedOn?: string | undefined },
  rules: { D3: string; D4: string },
  candidates: RetentionBasis[],
  holds: { legalHold: boolean; reasons: HoldReason[] },
  pending: { caseClose: boolean; caseLink: boolean },
): RetentionDecision => {
  const competing = candidates.filter(competes);
  let winner = competing[0]!; // the kind floor always competes
  for (const c of competing) if (beats(c, winner)) winner = c;
  const permanent = competing.some((c) => c.until === null && !c.pending);
  const atLeastUntil = permanent ? null : competing.reduce<string | null>((acc, c) => laterOf(acc, c.until), null);
  return {
    retentionClass: winner.retentionClass,
    retainUntil: winner.until,
    atLeastUntil,
    pendingCaseClose: pending.caseClose,
    pendingCaseLink: pending.caseLink,
    legalHold: holds.legalHold,
    activeHoldReasons: holds.reasons,
    capturedOn: dates.capturedOn,
    ...(dates.storedOn ? { storedOn: dates.storedOn } : {}),
    rules,
    basis: candidates.map((c) => ({ ...c, won: c === winner })),
  };
};

/**
 * The retention of one evidence item: every applicable period (D3 floor of its kind from capture;
 * D3 case file from the case's close when linked or case-bound; D4 long-term from each active hold)
 * and the longest wins. An open case, or a case-bound kind not yet linked, keeps the item with
 * `retainUntil: null` until the case closes or is linked. Released holds do not count; an active
 * hold of any reason sets `legalHold`.
 */
export const retentionFor = (input: RetentionInput, rules: RetentionRules): RetentionDecision => {
  const d3 = rules.D3.parameters;
  const d4 = rules.D4.parameters;
  const versions = { D3: rules.D3.versionId, D4: rules.D4.versionId };
  const candidates: RetentionBasis[] = [];

  // D3: the floor of the kind, counted from capture (patrol ≥ 6 months, 003 全过程记录 §11 ¶2).
  checkDate(input.capturedOn);
  const kindRule = d3.kinds[input.kind];
  const floorUntil = retentionEnd(input.capturedOn, kindRule.floor);
  candidates.push({
    source: 'kindFloor',
    ruleId: 'D3',
    versionId: rules.D3.versionId,
    period: kindRule.floor,
    from: input.capturedOn,
    until: floorUntil,
    retentionClass: floorUntil === null ? 'permanent' : 'routine',
    won: false,
    note: `${KIND_LABEL[input.kind]}声像资料自采集日起保存${PERIOD_LABEL(kindRule.floor)}`,
  });
  // ... and from the ingest: the capture date is the client's declaration, the ingest the product's
  // own record, so whatever is declared no original is disposable before the floor counted from it
  if (input.storedOn !== undefined && input.storedOn > input.capturedOn && floorUntil !== null) {
    checkDate(input.storedOn);
    candidates.push({
      source: 'storedFloor',
      ruleId: 'D3',
      versionId: rules.D3.versionId,
      period: kindRule.floor,
      from: input.storedOn,
      until: retentionEnd(input.storedOn, kindRule.floor),
      retentionClass: 'routine',
      won: false,
      note: `自入库日 ${input.storedOn} 起至少保存${PERIOD_LABEL(kindRule.floor)}（采集日 ${input.capturedOn} 由上传人声明）`,
    });
  }

  // D3: as long as the case file (§11 ¶3–4). Any linked recording is used in that case, whatever its kind.
  const link = input.caseLink;
  let pendingCaseClose = false;
  let pendingCaseLink = false;
  if (link) {
    const major = link.major === true && link.caseKind === 'penalty';
    const period = link.caseFileRetention ?? (major ? d3.majorPenaltyCaseFile : d3.caseFiles[link.caseKind]);
    const whence = link.caseFileRetention ? '按案卷自身的保管期限' : major ? '重大行政处罚案卷' : '案卷默认保管期限';
    if (link.caseClosedOn === undefined) {
      pendingCaseClose = true;
      // A permanent case file is permanent whenever the case closes: nothing is pending.
      const permanent = period.unit === 'permanent';
      candidates.push({
        source: 'caseFile',
        ruleId: 'D3',
        versionId: rules.D3.versionId,
        period,
        from: null,
        until: null,
        pending: permanent ? undefined : 'caseClose',
        retentionClass: permanent ? 'permanent' : 'case',
        won: false,
        note: permanent ? `与案件 ${link.caseId} 案卷同期保存（${whence}永久）` : `案件 ${link.caseId} 尚未结案：至少保存至结案，再按${whence}${PERIOD_LABEL(period)}计算`,
      });
    } else {
      checkDate(link.caseClosedOn);
      // Archives are filed by year: 'yearAfterClose' counts from 1 January after the close (31 December is the event, not counted).
      const from = d3.caseFileCountFrom === 'yearAfterClose' ? `${link.caseClosedOn.slice(0, 4)}-12-31` : link.caseClosedOn;
      const until = retentionEnd(from, period);
      candidates.push({
        source: 'caseFile',
        ruleId: 'D3',
        versionId: rules.D3.versionId,
        period,
        from,
        until,
        retentionClass: until === null ? 'permanent' : 'case',
        won: false,
        note: `与案件 ${link.caseId} 案卷同期保存（${whence}${PERIOD_LABEL(period)}，${link.caseClosedOn} 结案${d3.caseFileCountFrom === 'yearAfterClose' ? '，自次年1月1日起算' : ''}）`,
      });
    }
  } else if (kindRule.caseBound) {
    pendingCaseLink = true;
    candidates.push({
      source: 'caseFile',
      ruleId: 'D3',
      versionId: rules.D3.versionId,
      from: null,
      until: null,
      pending: 'caseLink',
      retentionClass: 'case',
      won: false,
      note: `${KIND_LABEL[input.kind]}声像资料与案卷同期保存：尚未关联案件，到期日待关联后确定`,
    });
  }

  // D4: long-term preservation from each active hold (§12); a released hold does not count.
  const active = input.holds.filter((h) => !h.releasedAt);
  for (const h of active) {
    const from = shanghaiDate(new Date(parseTimestamp(h.placedAt)));
    const listed = d4.holdReasons.includes(h.reason);
    const until = listed ? retentionEnd(from, d4.longTerm) : null;
    candidates.push({
      source: 'hold',
      ruleId: 'D4',
      versionId: rules.D4.versionId,
      period: listed ? d4.longTerm : undefined,
      from,
      until,
      retentionClass: listed && until === null ? 'permanent' : 'longTerm',
      won: false,
      note: listed ? `${HOLD_LABEL[h.reason]}：自 ${from} 起长期保存${PERIOD_LABEL(d4.longTerm)}，保全期间冻结删除` : `${HOLD_LABEL[h.reason]}：不属本版本长期保存情形，仅在保全期间冻结删除`,
    });
  }

  return decide(
    { capturedOn: input.capturedOn, storedOn: input.storedOn },
    versions,
    candidates,
    { legalHold: active.length > 0, reasons: [...new Set(active.map((h) => h.reason))] },
    { caseClose: pendingCaseClose, caseLink: pendingCaseLink },
  );
};

const isPermanent = (d: RetentionDecision): boolean => d.retainUntil === null && d.atLeastUntil === null;

/**
 * A recomputed decision may only extend the stored one, never shorten it (the date mirrors S3
 * Object Lock compliance retention, which can only be extended): the result is `next`, raised to
 * the previous date where that is later, with the previous decision listed in the basis. Holds are
 * current state, so `legalHold` always follows `next` (a release lifts the hold, not the date).
 * A pending decision (open case, no link) resolving to a date is no shortening: the date is never
 * below the pending decision's fixed lower bound. `changed` says whether the stored retention moves.
 */
export const extendOnly = (previous: RetentionDecision, next: RetentionDecision): { decision: RetentionDecision; changed: boolean } => {
  const prevWinner = previous.basis.find((b) => b.won);
  const previousEntry = (won: boolean): RetentionBasis => ({
    source: 'previousDecision',
    ruleId: prevWinner?.ruleId ?? 'D3',
    versionId: prevWinner?.versionId ?? previous.rules.D3,
    period: prevWinner?.period,
    from: prevWinner?.from ?? null,
    until: previous.retainUntil ?? previous.atLeastUntil,
    retentionClass: previous.retentionClass,
    won,
    note: `此前决定保存至${previous.retainUntil ?? previous.atLeastUntil ?? '永久'}：保存期限只延长、不缩短`,
  });
  const demote = (basis: RetentionBasis[]) => basis.map((b) => ({ ...b, won: false }));
  let decision: RetentionDecision;
  if (isPermanent(previous) && !isPermanent(next)) {
    decision = { ...next, retentionClass: 'permanent', retainUntil: null, atLeastUntil: null, basis: [...demote(next.basis), previousEntry(true)] };
  } else if (isPermanent(next) || isPermanent(previous)) {
    decision = next;
  } else {
    const bound = (previous.retainUntil ?? previous.atLeastUntil)!;
    if (next.retainUntil === null) {
      const raised = laterOf(next.atLeastUntil, bound);
      decision = raised === next.atLeastUntil ? next : { ...next, atLeastUntil: raised, basis: [...next.basis, previousEntry(false)] };
    } else if (next.retainUntil >= bound) {
      decision = next;
    } else {
      // A pending previous decision is bounded by its latest fixed entry: that entry's class is kept.
      const kept =
        previous.retainUntil !== null
          ? previous.retentionClass
          : (previous.basis.filter((b) => b.until === bound).sort((a, b) => SPECIFICITY[b.source] - SPECIFICITY[a.source])[0]?.retentionClass ?? 'routine');
      decision = { ...next, retentionClass: kept, retainUntil: bound, atLeastUntil: bound, basis: [...demote(next.basis), { ...previousEntry(true), until: bound, retentionClass: kept }] };
    }
  }
  const changed = decision.retainUntil !== previous.retainUntil || decision.atLeastUntil !== previous.atLeastUntil;
  return { decision, changed };
};

// ---------------------------------------------------------------------------------------------
// Storage tiers (a product constant, not regulation).

export type StorageTier = 'STANDARD' | 'GLACIER_IR' | 'DEEP_ARCHIVE';

/**
 * When an original moves to colder S3 storage, by retention class, in days since capture. No
 * regulation sets this; it is a cost decision, kept here as one table:
 *  - recordings are viewed, spot-checked (D8) and complained about in the first weeks, so they stay
 *    in STANDARD for 30 days; after that GLACIER_IR costs a sixth and still plays back at once;
 *  - GLACIER_IR still plays back in milliseconds, so a viewing grant (D6) works unchanged;
 *  - DEEP_ARCHIVE needs a restore of up to 12 hours before playback, so it only takes items a year
 *    old — past the usual 复议/诉讼 window (6 months from knowing of the act, 行政诉讼法 §46) with a
 *    6-month margin — and never an item under a legal hold or in an open or unlinked case (the D5
 *    burden of proof may call for it at short notice). A year, not two: with 30 days in STANDARD it
 *    keeps a TB of long-kept footage at $93.41 over 3 years against $848 all in STANDARD
 *    (docs/storage-cost-model.md, the goal ≤ $95); two years would cost $130–169;
 *  - S3 bills a minimum stay (GLACIER_IR 90 days, DEEP_ARCHIVE 180 days): an item moves only if it
 *    is kept at least that long after the scheduled move. The check uses the scheduled day, not
 *    today, so for a given decision the tier only ever gets colder with age (lifecycle
 *    transitions cannot go back).
 * The tier is the target an object tag names; moving an object back to a warmer tier (a hold placed
 * on an archived item) is an explicit restore, not a lifecycle transition.
 */
export const STORAGE_TIER_SCHEDULE: Readonly<Record<RetentionClass, { glacierIrAfterDays: number; deepArchiveAfterDays: number }>> = {
  routine: { glacierIrAfterDays: 30, deepArchiveAfterDays: 365 },
  case: { glacierIrAfterDays: 30, deepArchiveAfterDays: 365 },
  longTerm: { glacierIrAfterDays: 30, deepArchiveAfterDays: 365 },
  permanent: { glacierIrAfterDays: 30, deepArchiveAfterDays: 365 },
};
/** S3 minimum storage durations (days) billed on early deletion. */
export const MINIMUM_STAY_DAYS: Readonly<Record<Exclude<StorageTier, 'STANDARD'>, number>> = { GLACIER_IR: 90, DEEP_ARCHIVE: 180 };

const daysBetween = (from: string, to: string): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

export const tierFor = (decision: RetentionDecision, ageInDays: number): StorageTier => {
  if (!Number.isSafeInteger(ageInDays) || ageInDays < 0) throw new RangeError(`ageInDays must be a non-negative integer, got ${ageInDays}`);
  const schedule = STORAGE_TIER_SCHEDULE[decision.retentionClass];
  /** kept at least the tier's minimum stay after the day it would move there */
  const staysLongEnough = (afterDays: number, tier: Exclude<StorageTier, 'STANDARD'>): boolean =>
    decision.retainUntil === null || daysBetween(decision.capturedOn, decision.retainUntil) - afterDays >= MINIMUM_STAY_DAYS[tier];
  const mayArchive = !decision.legalHold && !decision.pendingCaseClose && !decision.pendingCaseLink;
  if (mayArchive && ageInDays >= schedule.deepArchiveAfterDays && staysLongEnough(schedule.deepArchiveAfterDays, 'DEEP_ARCHIVE')) return 'DEEP_ARCHIVE';
  if (ageInDays >= schedule.glacierIrAfterDays && staysLongEnough(schedule.glacierIrAfterDays, 'GLACIER_IR')) return 'GLACIER_IR';
  return 'STANDARD';
};

// ---------------------------------------------------------------------------------------------
// D2: stored by the end of the working day of capture.

/**
 * When a recording captured at `capturedAt` must be stored (D2, 003 全过程记录 §10): the end hour of
 * the capture day; a capture at or after that hour belongs to the next day; with
 * `countByWorkingDay`, a non-working day moves it to the next working day on the calendar.
 * `provisional` when the calendar year consulted has no published notice.
 */
export const storageDueAt = (cal: Calendar, capturedAt: string, d2: RuleParameters<'D2'>): { due: string; workingDay: string; provisional: boolean } => {
  const local = toShanghaiIso(new Date(parseTimestamp(capturedAt)));
  const date = local.slice(0, 10);
  const minutes = Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
  let day = minutes >= d2.workdayEndHour * 60 ? addCalendarDays(date, 1) : date;
  let provisional = false;
  if (d2.countByWorkingDay) {
    const info = classifyDay(cal, day);
    provisional = info.provisional;
    if (!info.working) {
      const next = computeDue(cal, day, { unit: 'workingDays', amount: 1 });
      day = next.due;
      provisional ||= next.provisional;
    }
  }
  const due = toShanghaiIso(new Date(Date.parse(`${day}T00:00:00.000+08:00`) + d2.workdayEndHour * 3_600_000));
  return { due, workingDay: day, provisional };
};

/** Whether a recording stored at `storedAt` was stored late (D2): after its `storageDueAt`. */
export const storedLate = (cal: Calendar, capturedAt: string, storedAt: string, d2: RuleParameters<'D2'>): boolean => parseTimestamp(storedAt) > Date.parse(storageDueAt(cal, capturedAt, d2).due);
