import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, queryAll, tableName } from '../adapters/dynamodb/client.ts';
import { commit } from '../adapters/dynamodb/commit.ts';
import { officerSpotCheckIndex, officerSpotCheckPartition, spotCheckKey, spotCheckLedgerPartition, spotCheckRunKey } from '../adapters/dynamodb/keys/evidence.ts';
import { auditDay } from '../audit/trail.ts';
import { addCalendarDays, addMonths } from '../calendar/calendar.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { conflict, DomainError } from '../kernel/errors.ts';
import { sha256Hex } from '../kernel/hash.ts';
import { type NotificationDraft, notificationWrites } from '../notify/store.ts';
import { type Agency, listAllAgencies } from '../org/store.ts';
import type { RuleParameters } from '../rules/catalog.ts';
import { ruleInForce } from '../rules/store.ts';
import { auditObject, getItem, jobContext, putNew, yesterday } from './job-support.ts';
import { type EvidenceItem, findEvidence } from './model.ts';

/** The D8 spot-check draw and its ledger (job 4 of job-support.ts). */

export interface SpotCheckCandidate {
  evidenceId: string;
  officerId: string;
}
export interface SpotCheckPick extends SpotCheckCandidate {
  reason: 'dailySample' | 'perOfficerMinimum';
  rank: string;
}

/** D8 daily sample size of a population of `n`: a rate (at least `atLeast`) or a count, never more than there is. */
export const spotCheckSampleSize = (n: number, s: RuleParameters<'D8'>['dailySample']) => Math.min(n, s.mode === 'count' ? s.count : Math.max(s.atLeast, Math.ceil(Number((s.rate * n).toFixed(9)))));

/**
 * The D8 draw, pure: every candidate ranked by SHA-256(seed, id) — the same seed gives the same
 * picks whatever the order the candidates come in — the first `spotCheckSampleSize` taken, then
 * officers still under D8's per-officer minimum for the period (counting `sampledInPeriod`, the
 * picks of the earlier days of the period) topped up from their own items in rank order.
 */
export const sampleSpotChecks = (population: readonly SpotCheckCandidate[], seed: string, d8: RuleParameters<'D8'>, sampledInPeriod: ReadonlyMap<string, number>): SpotCheckPick[] => {
  const unique = [...new Map(population.map((c) => [c.evidenceId, c])).values()];
  const ranked = unique.map((c) => ({ ...c, rank: sha256Hex(`${seed}#${c.evidenceId}`) })).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  const picks: SpotCheckPick[] = ranked.slice(0, spotCheckSampleSize(ranked.length, d8.dailySample)).map((c) => ({ ...c, reason: 'dailySample' as const }));
  const chosen = new Set(picks.map((p) => p.evidenceId));
  for (const officerId of [...new Set(ranked.map((c) => c.officerId))].sort()) {
    let have = (sampledInPeriod.get(officerId) ?? 0) + picks.filter((p) => p.officerId === officerId).length;
    for (const c of ranked) {
      if (have >= d8.perOfficer.minimum) break;
      if (c.officerId !== officerId || chosen.has(c.evidenceId)) continue;
      picks.push({ ...c, reason: 'perOfficerMinimum' });
      chosen.add(c.evidenceId);
      have++;
    }
  }
  return picks;
};

export interface SpotCheckEntry {
  agencyId: string;
  date: string;
  evidenceId: string;
  officerId: string;
  unitId: string;
  title: string;
  capturedAt: string;
  reason: SpotCheckPick['reason'];
  /** assigned by the agency (执法监督) when the playback review is scheduled */
  reviewer: string | null;
  status: 'toReview';
  ruleVersion: string;
  seed: string;
  sampledAt: string;
}
export interface SpotCheckRun {
  agencyId: string;
  date: string;
  population: number;
  sampled: number;
  ruleVersion: string;
  seed: string;
  completedAt: string;
}

const spotCheckSeed = (agencyId: string, date: string) => sha256Hex(`D8#${agencyId}#${date}`);

export const spotCheckEntries = (agencyId: string, date: string) =>
  queryAll(
    { TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': spotCheckLedgerPartition(agencyId, date) }, ConsistentRead: true },
    (i) => i.record as SpotCheckEntry,
  );

export interface SpotCheckResult {
  date: string;
  agencies: { agencyId: string; population: number; sampled: number; written: number; alreadyDrawn: boolean }[];
}

/**
 * D8: the spot-check draw of `date` (default: yesterday) for every agency, from the originals the
 * agency verified that day (its `evidence.ingest` audit records), into the ledger
 * `SPOTCHECK#<agencyId>#<date>` / `<evidenceId>` (immutable entries, reviewer to be assigned) and
 * the run record `SPOTCHECKRUN#<agencyId>` / `<date>`. A day already drawn is not drawn again; a
 * run that stopped half-way is finished by the next, which draws the same items.
 */
export const spotCheck = async (opts: { date?: string } = {}): Promise<SpotCheckResult> => {
  const date = opts.date ?? yesterday();
  const out: SpotCheckResult = { date, agencies: [] };
  for (const agency of await listAllAgencies()) out.agencies.push(await spotCheckAgency(agency, date));
  return out;
};

const spotCheckAgency = async (agency: Agency, date: string) => {
  const agencyId = agency.agencyId;
  const key = spotCheckRunKey(agencyId, date);
  const done = (await getItem(key))?.record as SpotCheckRun | undefined;
  if (done) return { agencyId, population: done.population, sampled: done.sampled, written: 0, alreadyDrawn: true };
  const ctx = jobContext(agencyId, 'spotCheck');
  const d8 = await ruleInForce('D8', [agencyId, ...agency.ancestors], date);
  const ids = [...new Set((await auditDay(agencyId, date, ['evidence.ingest'])).map((a) => a.objectId))];
  const items = (await Promise.all(ids.map((id) => findEvidence(id, true)))).filter((e): e is EvidenceItem => !!e && e.agencyId === agencyId && e.status === 'verified' && !e.derivedFrom);
  const byId = new Map(items.map((e) => [e.evidenceId, e]));
  // the officers' picks of the earlier days of the D8 period (the day itself excluded: a rerun counts the same)
  const from = addCalendarDays(addMonths(date, -d8.parameters.perOfficer.period.value), 1);
  const officers = [...new Set(items.map((e) => e.capture.officerId))];
  const counts = new Map(
    await Promise.all(
      officers.map(
        async (o) =>
          [
            o,
            (
              await documentClient().send(
                new QueryCommand({
                  TableName: tableName(),
                  IndexName: 'gsi1',
                  KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to',
                  Select: 'COUNT',
                  ExpressionAttributeValues: { ':p': officerSpotCheckPartition(o), ':from': from, ':to': `${addCalendarDays(date, -1)}~` },
                }),
              )
            ).Count ?? 0,
          ] as const,
      ),
    ),
  );
  const seed = spotCheckSeed(agencyId, date);
  const picks = sampleSpotChecks(
    items.map((e) => ({ evidenceId: e.evidenceId, officerId: e.capture.officerId })),
    seed,
    d8.parameters,
    counts,
  );
  const existing = new Set((await spotCheckEntries(agencyId, date)).map((x) => x.evidenceId));
  const at = nowIso(systemClock);
  let written = 0;
  for (const p of picks) {
    if (existing.has(p.evidenceId)) continue;
    const e = byId.get(p.evidenceId)!;
    const entry: SpotCheckEntry = {
      agencyId,
      date,
      evidenceId: e.evidenceId,
      officerId: e.capture.officerId,
      unitId: e.unitId,
      title: e.title,
      capturedAt: e.capture.startedAt,
      reason: p.reason,
      reviewer: null,
      status: 'toReview',
      ruleVersion: d8.versionId,
      seed,
      sampledAt: at,
    };
    try {
      await commit(
        ctx,
        [
          putNew(
            {
              ...spotCheckKey(agencyId, date, e.evidenceId),
              ...officerSpotCheckIndex(entry.officerId, date, e.evidenceId),
              kind: 'spotCheck',
              record: entry,
            },
            () => conflict('spotCheck.exists', '已列入抽检台帐'),
          ),
        ],
        [{ action: 'evidence.spotCheckSampled', ...auditObject(e), outcome: 'allowed', reason: `D8 ${p.reason} (${d8.versionId}) for ${date}` }],
      );
      written++;
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'spotCheck.exists')) throw err;
    }
  }
  const run: SpotCheckRun = { agencyId, date, population: items.length, sampled: picks.length, ruleVersion: d8.versionId, seed, completedAt: at };
  const tell =
    picks.length === 0
      ? []
      : notificationWrites(
          {
            kind: 'opened',
            agencyId,
            title: `【抽检】${date} 声像资料抽检台帐：${picks.length} 条待指定检查人员`,
            body: `按 D8（${d8.versionId}）自 ${date} 存储的 ${items.length} 条声像资料中抽取 ${picks.length} 条（含每名执法人员每期最低抽检数），请指定回放检查人员并登记检查结果。`,
            recipients: [{ type: 'role', agencyId, role: 'supervision' }],
          } satisfies NotificationDraft,
          at,
        ).writes;
  try {
    await commit(
      ctx,
      [putNew({ ...key, kind: 'spotCheckRun', record: run }, () => conflict('spotCheck.drawn', '当日已抽检')), ...tell],
      [{ action: 'evidence.spotCheckDraw', objectType: 'agency', objectId: agencyId, objectAgencyId: agencyId, outcome: 'allowed', reason: `D8 ${date}: ${picks.length} of ${items.length}` }],
    );
  } catch (err) {
    if (!(err instanceof DomainError && err.code === 'spotCheck.drawn')) throw err;
    return { agencyId, population: items.length, sampled: picks.length, written, alreadyDrawn: true };
  }
  return { agencyId, population: items.length, sampled: picks.length, written, alreadyDrawn: false };
};
