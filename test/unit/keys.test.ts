import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { attachmentRecordKey, draftKey, draftQueueIndex, fileEntryIndexes, fileEntryKey, fileMetaKey, grantIndexes, grantKey, timelineRange } from '#shared/adapters/dynamodb/keys/archive.ts';
import { AUDIT_HEAD_SK, AUDIT_PARTITION_PREFIX, auditAnchorKey, auditHeadKey, auditRecordIndexes, auditRecordKey, auditShardSettingKey } from '#shared/adapters/dynamodb/keys/audit.ts';
import { calendarYearKey, calendarYearVersionKey, closureKey } from '#shared/adapters/dynamodb/keys/calendar.ts';
import { caseIndexes, caseKey, caseListPartition } from '#shared/adapters/dynamodb/keys/cases.ts';
import {
  approvedDispositionIndex,
  copyIndex,
  copyKey,
  dispositionKey,
  evidenceIndexes,
  evidenceKey,
  fixityCheckKey,
  fixityRotaKey,
  officerSpotCheckIndex,
  packageIndex,
  packageKey,
  preservationCursorKey,
  spotCheckKey,
  spotCheckRunKey,
  storageRecordKey,
  storageYearPrefix,
  strayObjectKey,
  sweepCursorKey,
  viewRequestKey,
} from '#shared/adapters/dynamodb/keys/evidence.ts';
import { idempotencyKey } from '#shared/adapters/dynamodb/keys/idempotency.ts';
import { inboxAddress, inboxItemKey, notificationKey, readMarkKey, undeliveredKey } from '#shared/adapters/dynamodb/keys/notify.ts';
import { agencyKey, agencyTreeIndex, officerIndex, officerKey, qualificationKey, responsibilityKey, unitIndex, unitKey } from '#shared/adapters/dynamodb/keys/org.ts';
import { OUTBOX_PARTITION_PREFIX, OUTBOX_PENDING_PARTITION, outboxKey, outboxPendingSort } from '#shared/adapters/dynamodb/keys/outbox.ts';
import { agencyFileEntryKey, historyKey, processIndexes, processKey, processListPartition } from '#shared/adapters/dynamodb/keys/process.ts';
import { ruleVersionKey } from '#shared/adapters/dynamodb/keys/rules.ts';

/**
 * One keys module per area (docs/data-model.md §3) declares every key and index key of the table;
 * nothing else builds a key string. (a) The builders produce the layout docs/data-model.md
 * documents, with the sort orders it relies on. (b) A scan of shared/, functions/ and infra/ fails on
 * any key prefix (or whole-key constant used as a key) spelled outside the keys modules; the list is
 * read from the keys modules themselves, so a new prefix is covered the moment it is declared.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const KEYS_DIR = join(ROOT, 'shared/adapters/dynamodb/keys');
const SCANNED = ['shared', 'functions', 'infra'].map((d) => join(ROOT, d));

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' || d.name === 'cdk.out' ? [] : walk(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });

/** the code without its comments or types (esbuild; strings and template literals stay as written) */
const codeOf = (source: string) => transformSync(source, { loader: 'ts', legalComments: 'none', minifyWhitespace: true, format: 'esm', target: 'esnext' }).code;

/** key prefixes: an upper-case word right before a `#` (`FILE#`, `E#`, the `C#` of `…#C#…`) */
const PREFIX = /(?<![A-Za-z0-9_$])([A-Z][A-Z0-9]*)#/g;
/** whole-key constants written as string literals (`'META'`, `'HEAD'`, `'AGENCIES'`) */
const CONSTANT = /["'`]([A-Z][A-Z0-9_]{2,})["'`]/g;
/** a constant used as a key: the value of a key attribute or of a `:placeholder` in a query */
const KEY_VALUE = /(?:\b(?:pk|sk|gsi[12](?:pk|sk))|["']:[A-Za-z0-9_]+["'])\s*:\s*["'`]([A-Z][A-Z0-9_]*)["'`]/g;

const keyVocabulary = (keysSources: readonly string[]) => {
  const prefixes = new Set<string>();
  const constants = new Set<string>();
  for (const src of keysSources.map(codeOf)) {
    for (const m of src.matchAll(PREFIX)) prefixes.add(m[1]!);
    for (const m of src.matchAll(CONSTANT)) constants.add(m[1]!);
  }
  // a constant is a prefix too where a key continues it (`${CALENDAR_PARTITION}#${agencyId}`)
  for (const c of constants) prefixes.add(c);
  return { prefixes, constants };
};

/** Every place a source spells a key outside the keys modules, with the code around it. */
const keySpellings = (source: string, vocabulary: { prefixes: ReadonlySet<string>; constants: ReadonlySet<string> }): string[] => {
  const code = codeOf(source);
  const out: string[] = [];
  const snippet = (i: number) => `…${code.slice(Math.max(0, i - 40), i + 40)}…`;
  for (const m of code.matchAll(PREFIX)) if (vocabulary.prefixes.has(m[1]!)) out.push(snippet(m.index));
  for (const m of code.matchAll(KEY_VALUE)) if (vocabulary.constants.has(m[1]!)) out.push(snippet(m.index));
  return out;
};

const keysModules = walk(KEYS_DIR);
const vocabulary = keyVocabulary(keysModules.map((f) => readFileSync(f, 'utf8')));

describe('key builders (docs/data-model.md §3)', () => {
  it('organisation', () => {
    expect(agencyKey('a1')).toEqual({ pk: 'AGENCY#a1', sk: 'META' });
    expect(agencyTreeIndex({ agencyId: 'c', ancestors: ['b', 'root'] })).toEqual({ gsi1pk: 'AGENCIES', gsi1sk: 'root/b/c' });
    expect(unitKey('a1', 'u1')).toEqual({ pk: 'AGENCY#a1', sk: 'UNIT#u1' });
    expect(unitIndex('u1')).toEqual({ gsi2pk: 'UNITID#u1', gsi2sk: 'UNIT' });
    expect(responsibilityKey('a1')).toEqual({ pk: 'AGENCY#a1', sk: 'RESPONSIBILITY' });
    expect(officerKey('o1')).toEqual({ pk: 'OFFICER#o1', sk: 'META' });
    expect(officerIndex({ agencyId: 'a1', unitId: 'u1', name: '马超', officerId: 'o1' })).toEqual({ gsi1pk: 'STAFF#a1', gsi1sk: 'u1#马超#o1' });
    expect(qualificationKey('o1', 'q1')).toEqual({ pk: 'OFFICER#o1', sk: 'QUAL#q1' });
  });

  it('officer file: entries sort in chain order, the timeline by day', () => {
    expect(fileMetaKey('o1')).toEqual({ pk: 'FILE#o1', sk: 'META' });
    expect(fileEntryKey('o1', 7)).toEqual({ pk: 'FILE#o1', sk: 'E#0000000007' });
    expect(fileEntryKey('o1', 9).sk < fileEntryKey('o1', 10).sk).toBe(true);
    expect(draftKey('o1', 'd1').sk).toBe('D#d1');
    expect(grantKey('o1', 'g1').sk).toBe('G#g1');
    expect(attachmentRecordKey('o1', 'x1').sk).toBe('A#x1');
    expect(fileEntryIndexes({ officerId: 'o1', occurredOn: '2026-03-01', seq: 12, category: 'reward' })).toEqual({
      gsi1pk: 'FILE#o1',
      gsi1sk: 'T#2026-03-01#0000000012',
      gsi2pk: 'FILE#o1#C#reward',
      gsi2sk: 'T#2026-03-01#0000000012',
    });
    const { from, to } = timelineRange('2026-03-01', '2026-03-01');
    const sk = fileEntryIndexes({ officerId: 'o1', occurredOn: '2026-03-01', seq: 99, category: 'x' }).gsi1sk;
    expect(from <= sk && sk <= to).toBe(true);
    expect(timelineRange(undefined, undefined)).toEqual({ from: 'T#0000-00-00', to: 'T#9999-99-99#~' });
    expect(draftQueueIndex({ agencyId: 'a1', state: 'underReview', updatedAt: 't', entryId: 'e' })).toEqual({ gsi1pk: 'QUEUE#a1#personnel#underReview', gsi1sk: 't#e' });
    expect(grantIndexes({ granteeUserId: 'u', createdAt: 't', grantId: 'g', status: 'requested' }, 'a1')).toEqual({ gsi1pk: 'GRANTEE#u', gsi1sk: 't#g', gsi2pk: 'GRANTQ#a1', gsi2sk: 't#g' });
    expect(grantIndexes({ granteeUserId: 'u', createdAt: 't', grantId: 'g', status: 'approved' }, 'a1')).toEqual({ gsi1pk: 'GRANTEE#u', gsi1sk: 't#g' });
  });

  it('audit: records sort in chain order and before the head', () => {
    expect(auditRecordKey('a1#0', 3)).toEqual({ pk: 'AUDIT#a1#0', sk: '000000000003' });
    expect(auditHeadKey('a1#0')).toEqual({ pk: 'AUDIT#a1#0', sk: 'HEAD' });
    expect(auditRecordKey('a1#0', 999_999_999_999).sk < AUDIT_HEAD_SK).toBe(true);
    expect(auditShardSettingKey('a1')).toEqual({ pk: 'AUDIT#a1', sk: 'SHARDS' });
    expect(auditShardSettingKey('a1').pk.startsWith(AUDIT_PARTITION_PREFIX)).toBe(true);
    const r = { id: 'i', at: '2026-03-01T08:00:00+08:00', objectType: 'file', objectId: 'o1', actor: { agencyId: 'actor' } };
    expect(auditRecordIndexes(r)).toEqual({ gsi1pk: 'AUDITDAY#actor#2026-03-01', gsi1sk: '2026-03-01T08:00:00+08:00#i', gsi2pk: 'AUDITOBJ#file#o1', gsi2sk: '2026-03-01T08:00:00+08:00#i' });
    expect(auditRecordIndexes({ ...r, objectAgencyId: 'holder' }).gsi1pk).toBe('AUDITDAY#holder#2026-03-01');
    expect(auditAnchorKey('a1', '2026-03-01')).toEqual({ pk: 'ANCHOR#a1', sk: '2026-03-01' });
    expect(idempotencyKey('u1', 'k1')).toEqual({ pk: 'IDEM#u1#k1', sk: 'META' });
  });

  it('processes, outbox, agency file', () => {
    expect(processKey('p1')).toEqual({ pk: 'PROC#p1', sk: 'META' });
    expect(processIndexes({ processId: 'p1', agencyId: 'a1', unitId: 'u1', open: true, due: '2026-03-01' })).toEqual({
      gsi1pk: 'PROCS#a1#open',
      gsi1sk: '2026-03-01#p1',
      gsi2pk: 'PROCS#U#u1#open',
      gsi2sk: '2026-03-01#p1',
    });
    expect(processIndexes({ processId: 'p1', agencyId: 'a1', open: false })).toEqual({ gsi1pk: 'PROCS#a1#closed', gsi1sk: '9999-12-31#p1' });
    expect(processListPartition({ agencyId: 'a1', unitId: 'u1' }, false)).toBe('PROCS#U#u1#closed');
    expect(historyKey('p1', 2)).toEqual({ pk: 'PROC#p1', sk: 'H#000002' });
    expect(outboxKey('x')).toEqual({ pk: 'OUTBOX#x', sk: 'META' });
    expect(OUTBOX_PENDING_PARTITION.startsWith(OUTBOX_PARTITION_PREFIX)).toBe(true);
    // the reconciler's bound `<time>#~` takes every command of that instant (ids are ULIDs: 0-9A-Z)
    expect(outboxPendingSort('2026-03-01T00:00:00.000Z', '01JZZZZZZZZZZZZZZZZZZZZZZZ') <= outboxPendingSort('2026-03-01T00:00:00.000Z', '~')).toBe(true);
    expect(agencyFileEntryKey('a1', 't', 'e')).toEqual({ pk: 'AFILE#a1', sk: 't#e' });
  });

  it('notifications', () => {
    expect(inboxAddress({ type: 'officer', officerId: 'o1' })).toBe('OFFICER#o1');
    expect(inboxAddress({ type: 'user', userId: 'u1' })).toBe('USER#u1');
    expect(inboxAddress({ type: 'role', agencyId: 'a1', role: 'leadership' })).toBe('ROLE#a1#*#leadership');
    expect(inboxAddress({ type: 'role', agencyId: 'a1', role: 'deptHead', unitId: 'u1' })).toBe('ROLE#a1#u1#deptHead');
    expect(notificationKey('n')).toEqual({ pk: 'NOTE#n', sk: 'META' });
    expect(inboxItemKey('USER#u1', 't', 'n')).toEqual({ pk: 'INBOX#USER#u1', sk: 't#n' });
    expect(undeliveredKey('a1', 't', 'n')).toEqual({ pk: 'UNDELIVERED#a1', sk: 't#n' });
    expect(readMarkKey('u1', 'n')).toEqual({ pk: 'READ#u1', sk: 'n' });
  });

  it('rules, calendar, cases', () => {
    expect(ruleVersionKey({ ruleId: 'D2', jurisdiction: 'a1', effectiveFrom: '2026-01-01', versionId: 'v' })).toEqual({ pk: 'RULE#D2', sk: 'V#a1#2026-01-01#v' });
    expect(calendarYearKey(2026)).toEqual({ pk: 'CALENDAR', sk: 'Y#2026' });
    expect(calendarYearVersionKey(2026, 3)).toEqual({ pk: 'CALENDAR', sk: 'V#2026#0003' });
    expect(closureKey('a1', '2026-03-01')).toEqual({ pk: 'CALENDAR#a1', sk: 'C#2026-03-01' });
    expect(caseKey('c1')).toEqual({ pk: 'CASE#c1', sk: 'META' });
    expect(caseIndexes({ caseId: 'c1', agencyId: 'a1', unitId: 'u1', createdAt: 't' })).toEqual({ gsi1pk: 'CASES#a1', gsi1sk: 't#c1', gsi2pk: 'CASES#U#u1', gsi2sk: 't#c1' });
    expect(caseListPartition({ agencyId: 'a1' })).toBe('CASES#a1');
  });

  it('evidence and preservation', () => {
    expect(evidenceKey('e1')).toEqual({ pk: 'EVID#e1', sk: 'META' });
    const e = { evidenceId: 'e1', officerId: 'o1', capturedAt: 't' };
    expect(evidenceIndexes(e)).toEqual({ gsi1pk: 'EVIDS#OFFICER#o1', gsi1sk: 't#e1' });
    expect(evidenceIndexes({ ...e, caseId: 'c1', retainUntil: '2027-02-28' })).toEqual({ gsi1pk: 'EVIDS#CASE#c1', gsi1sk: 't#e1', gsi2pk: 'EXPIRY#2027-02', gsi2sk: '2027-02-28#e1' });
    expect(viewRequestKey('e1', 'r')).toEqual({ pk: 'EVID#e1', sk: 'VR#r' });
    expect(copyKey('e1', 'c')).toEqual({ pk: 'EVID#e1', sk: 'COPY#c' });
    expect(copyIndex('a1', 't', 'c')).toEqual({ gsi1pk: 'COPIES#a1', gsi1sk: 't#c' });
    expect(dispositionKey('e1')).toEqual({ pk: 'EVID#e1', sk: 'DISPOSITION' });
    expect(approvedDispositionIndex('t', 'e1')).toEqual({ gsi2pk: 'DISPOSE#approved', gsi2sk: 't#e1' });
    expect(fixityRotaKey(7, 'e1')).toEqual({ pk: 'FIXITYQ#007', sk: 'e1' });
    expect(fixityCheckKey('e1', 't')).toEqual({ pk: 'FIXITY#e1', sk: 't' });
    expect(storageRecordKey('o1', '2026', 'e1')).toEqual({ pk: 'RECORDKEEPING#o1', sk: 'D2#2026#e1' });
    expect(storageRecordKey('o1', '2026', 'e1').sk.startsWith(storageYearPrefix(2026))).toBe(true);
    expect(packageKey('c1')).toEqual({ pk: 'PACKAGE#c1', sk: 'META' });
    expect(packageIndex('a1', 't', 'c1')).toEqual({ gsi1pk: 'PACKAGES#a1', gsi1sk: 't#c1' });
    expect(spotCheckKey('a1', '2026-03-01', 'e1')).toEqual({ pk: 'SPOTCHECK#a1#2026-03-01', sk: 'e1' });
    expect(officerSpotCheckIndex('o1', '2026-03-01', 'e1')).toEqual({ gsi1pk: 'SPOTCHECKS#OFFICER#o1', gsi1sk: '2026-03-01#e1' });
    expect(spotCheckRunKey('a1', '2026-03-01')).toEqual({ pk: 'SPOTCHECKRUN#a1', sk: '2026-03-01' });
    expect(sweepCursorKey()).toEqual({ pk: 'SWEEP#cursor', sk: 'retention' });
    expect(preservationCursorKey('a1')).toEqual({ pk: 'PRESERVE#cursor', sk: 'a1' });
    expect(strayObjectKey('evidence/x', 'v1')).toEqual({ pk: 'STRAYOBJ#evidence/x', sk: 'v1' });
  });
});

describe('nothing outside the keys modules builds a key string', () => {
  it('reads its vocabulary from the keys modules', () => {
    expect(keysModules.length).toBeGreaterThanOrEqual(9);
    for (const p of ['FILE', 'AUDIT', 'OUTBOX', 'EVID', 'OFFICER', 'CALENDAR', 'E', 'C']) expect(vocabulary.prefixes, p).toContain(p);
    for (const c of ['META', 'HEAD', 'AGENCIES', 'DISPOSITION', 'RESPONSIBILITY', 'SHARDS']) expect(vocabulary.constants, c).toContain(c);
  });

  it('finds a key spelled in code, not in comments (the checker itself)', () => {
    const v = { prefixes: new Set(['FILE', 'E']), constants: new Set(['META']) };
    expect(keySpellings('// FILE#<officer>\n/** `FILE#x` / `E#…` */\nconst a = 1;', v)).toEqual([]);
    expect(keySpellings('const k = (id: string) => `FILE#${id}`;', v)).toHaveLength(1);
    expect(keySpellings("const q = { ':p': 'E#' };", v)).toHaveLength(1);
    expect(keySpellings("const k = { pk: x, sk: 'META' };", v)).toHaveLength(1);
    expect(keySpellings("const m = { method: 'HEAD', label: 'META' };", v)).toEqual([]);
  });

  it('finds none in shared/, functions/ and infra/', () => {
    const found = SCANNED.flatMap(walk)
      .filter((f) => !f.startsWith(`${KEYS_DIR}/`))
      .flatMap((f) => keySpellings(readFileSync(f, 'utf8'), vocabulary).map((s) => `${relative(ROOT, f)}: ${s}`));
    expect(found, `key strings outside shared/adapters/dynamodb/keys/:\n${found.join('\n')}`).toEqual([]);
  });
});
