/**
 * Deadline-process benchmark (issue 3): `npx tsx test/bench/processes.ts` (run by `npm run bench`,
 * test/bench/run.ts). Figures only, nothing asserted (docs/architecture.md §13).
 *
 *   1. State transitions per complete process of each kind, as counted by the local Step Functions
 *      engine (infra/local/stepfunctions.ts: one per StateEntered event, the unit Step Functions
 *      Standard bills; an execution stopped while waiting is counted as AWS would count it — stopped
 *      in the Wait state, without the Check inside which the local engine waits). An in-memory embedded platform on a manual clock; a small organisation built
 *      through the API (root agency provisioned in-process, as api.ts does); then, through
 *      `POST /processes` and `POST /processes/{id}/actions` (If-Match = the ETag of GET), one
 *      complete process of each kind in two scenarios:
 *        on time — decided right away;
 *        late    — the clock moved just past the 提醒, 催办 and 通报 checkpoints one at a time
 *                  (`clock.set` then `engine.settle()`), then finished.
 *      Transitions are summed over every execution named `<processId>-c<version>`.
 *   2. 100,000 due dates: test/bench/calendar.ts (its own run in `npm run bench`), not repeated here.
 *   3. Recomputing open clocks after a calendar correction:
 *      a. pure domain: 10,000 ProcessClocks started on the shipped calendar (2027 not published →
 *         provisional), recomputed with `recomputeClock` on a calendar with a 2027 BENCH FIXTURE year;
 *         raw baseline in the same run: 10,000 plain `computeDue` calls (same starts/periods, new calendar);
 *      b. end to end on DynamoDB Local: N open filing processes whose clocks reach into 2027, then
 *         `PUT /calendar/years/2027` as the root agency's sysAdmin, which recomputes them through the
 *         outbox inline (`recomputeOpenClocks([2027])`: new clock versions, history, executions
 *         stopped and started) for the HTTP request's time budget (5 s; the rest is continued by the
 *         outbox); then a second, unbounded `recomputeOpenClocks([2027])` that moves what the first
 *         slice left (and looks at the rest), and, as the floor, reading the open processes alone.
 *
 * Writes .data/bench-results-processes.json. BENCH_PROCESSES overrides N (default 300).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { manualClock } from '../../infra/local/clock.ts';
import { type Platform, startPlatform } from '../../infra/local/platform.ts';
import { computeDue, type Calendar, type Period, shippedCalendar, validateYearCalendar, type YearCalendar } from '../../shared/calendar/calendar.ts';
import { shanghaiDate } from '../../shared/kernel/clock.ts';
import { newId } from '../../shared/kernel/ids.ts';
import { documentClient } from '../../shared/adapters/dynamodb/client.ts';
import { logger } from '../../shared/http/logger.ts';
import { extendClock, ladderFor, type ProcessClock, recomputeClock, type RulePeriod, RUNGS, startClock, yearsOfClock } from '../../shared/process/clock.ts';
import type { ProcessKind } from '../../shared/process/model.ts';
import { recomputeOpenClocks } from '../../shared/process/timer.ts';
import { allOpenProcesses } from '../../shared/process/store.ts';
import { prng } from './calendar.ts';
import { type Caller, benchOrganisation, ok } from './support.ts';

const UA = 'test/bench/processes.ts';
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS_FILE = join(REPO_ROOT, '.data', 'bench-results-processes.json');
const COMPLAINT_GOAL = 15;
const DOMAIN_CLOCKS = 10_000;
const DOMAIN_RUNS = 5;
const SEED = 20261001;
const E2E_PROCESSES = Number(process.env.BENCH_PROCESSES ?? 300);
const OPEN_CONCURRENCY = 8;
const TASK_STATES = new Set(['Plan', 'Check', 'Escalate', 'Defer']);

// the clock handler logs one INFO line per task: hundreds here (LOG_LEVEL=INFO to see them)
if (!process.env.LOG_LEVEL) logger.setLogLevel('WARN');

const log = (s: string) => process.stderr.write(`[bench:processes] ${s}\n`);
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * BENCH FIXTURE — NOT the State Council's 2027 notice (not published when this was written): a
 * plausible 2027 (元旦 01-01..03; 春节 02-06..12 with make-up Sundays/Saturdays 02-14 and 02-20), so
 * that clocks reaching into 2027 have something to be recomputed against.
 */
const YEAR_2027_FIXTURE: YearCalendar = {
  year: 2027,
  notice: { title: '2027 年节假日安排（基准测试用虚构数据，非国务院通知）', number: 'BENCH-FIXTURE-2027', publishedOn: '2026-11-10' },
  holidays: [
    { name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] },
    { name: '春节', dates: ['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'] },
  ],
  makeupWorkdays: [
    { date: '2027-02-14', name: '春节' },
    { date: '2027-02-20', name: '春节' },
  ],
  version: 1,
};

// ---- calling the API -----------------------------------------------------------------------

/** DynamoDB requests of the product's document client, per command (a middleware, as api.ts counts them) */
const requestCounter = () => {
  const byCommand: Record<string, number> = {};
  const stack = documentClient().middlewareStack as unknown as { add(mw: unknown, opts: { step: string; name: string; priority?: string }): void };
  stack.add(
    (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
      byCommand[name] = (byCommand[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCountProcessCalls', priority: 'high' },
  );
  const total = () => Object.values(byCommand).reduce((a, b) => a + b, 0);
  const mark = () => ({ ...byCommand });
  const since = (m: Record<string, number>) => {
    const d: Record<string, number> = {};
    for (const [k, v] of Object.entries(byCommand)) if (v - (m[k] ?? 0)) d[k] = v - (m[k] ?? 0);
    return d;
  };
  return { total, mark, since };
};
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const fmtCounts = (r: Record<string, number>) =>
  Object.entries(r)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** whether a checkpoint of the clock's ladder lands elsewhere on `cal` */
const ladderMoved = (cal: Calendar, c: ProcessClock) => {
  const l = ladderFor(cal, c.due, c.escalation, c.startedAt);
  return RUNGS.some((r) => l[r] !== c.checkpoints[r]);
};

// ---- 3a. pure domain: recomputing 10,000 clocks ----------------------------------------------

/** the products' default ladder (shared/rules/catalog.ts DEFAULT_ESCALATION, not exported) */
const ESCALATION = { warnWithin: { value: 2, unit: 'workingDays' }, reportAfter: { value: 3, unit: 'workingDays' } } as const;
const iso = (d: Date) => d.toISOString().slice(0, 10);

const domainBench = () => {
  const oldCal = shippedCalendar();
  validateYearCalendar(YEAR_2027_FIXTURE);
  const newCal: Calendar = { years: new Map([...oldCal.years, [2027, YEAR_2027_FIXTURE]]), closures: [] };
  const rnd = prng(SEED);
  const first = Date.UTC(2026, 9, 1);
  const span = (Date.UTC(2026, 11, 31) - first) / 86_400_000 + 1;
  const byUnit = { workingDays: 0, calendarDays: 0, months: 0 };
  const clocks: ProcessClock[] = [];
  let extended = 0;
  for (let i = 0; i < DOMAIN_CLOCKS; i++) {
    const start = iso(new Date(first + Math.floor(rnd() * span) * 86_400_000));
    const u = Math.floor(rnd() * 3);
    const period: RulePeriod =
      u === 0
        ? { value: 1 + Math.floor(rnd() * 60), unit: 'workingDays' }
        : u === 1
          ? { value: 1 + Math.floor(rnd() * 120), unit: 'calendarDays' }
          : { value: 1 + Math.floor(rnd() * 6), unit: 'months' };
    byUnit[period.unit]++;
    const startedAt = `${start}T10:00:00.000+08:00`;
    let clock = startClock(oldCal, { phase: 'bench', label: '基准期限', rule: { ruleId: 'C4', versionId: 'C4-default-1' }, start, startedAt, escalation: ESCALATION, period });
    // one clock in ten was extended once (C4: half a month), so recomputation replays an extension too
    if (i % 10 === 9) {
      clock = extendClock(oldCal, clock, { period: { value: 15, unit: 'calendarDays' }, reason: '基准', requestedBy: 'bench', approvedBy: 'bench', approvedAt: startedAt }, new Date(startedAt));
      extended++;
    }
    clocks.push(clock);
  }
  const periods: { start: string; period: Period }[] = clocks.map((c) => ({ start: c.start, period: { unit: c.period!.unit, amount: c.period!.value } }));
  const touching2027 = clocks.filter((c) => yearsOfClock(c).includes(2027)).length;
  const provisionalBefore = clocks.filter((c) => c.provisional).length;
  const now = new Date('2026-12-31T18:00:00.000+08:00');

  // cold: the first pass on the new calendar value builds its day tables
  const t0 = performance.now();
  let out = clocks.map((c) => recomputeClock(newCal, c, now));
  const coldMs = performance.now() - t0;
  const moved = out.filter((c, i) => c.due !== clocks[i]!.due).length;
  const newVersions = out.filter((c, i) => c !== clocks[i]).length;
  const provisionalAfter = out.filter((c) => c.provisional).length;
  // clocks left as they were although their ladder (通报 after the due date, 提醒 before it) reaches
  // into the newly published year: recomputeClock keeps a clock whose due date and provisional flag
  // are unchanged, so such a checkpoint keeps its weekday-only date
  const staleLadders = out.filter((c, i) => c === clocks[i] && ladderMoved(newCal, c)).length;
  const movedExamples = out
    .flatMap((c, i) => (c.due !== clocks[i]!.due ? [`${clocks[i]!.start} +${clocks[i]!.period!.value} ${clocks[i]!.period!.unit}: ${clocks[i]!.due} → ${c.due}`] : []))
    .slice(0, 3);

  // warm: interleaved runs (recompute, baseline, recompute, …) after one warm-up of each
  let sink = 0;
  const runRecompute = () => {
    const t = performance.now();
    out = clocks.map((c) => recomputeClock(newCal, c, now));
    const ms = performance.now() - t;
    sink += out.length;
    return ms;
  };
  const runBaseline = () => {
    const t = performance.now();
    for (const p of periods) sink += computeDue(newCal, p.start, p.period).skipped.length;
    return performance.now() - t;
  };
  runRecompute();
  runBaseline();
  const rec: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < DOMAIN_RUNS; r++) {
    rec.push(runRecompute());
    base.push(runBaseline());
  }
  const recMs = median(rec);
  const baseMs = median(base);
  return {
    clocks: DOMAIN_CLOCKS,
    seed: SEED,
    starts: '2026-10-01..2026-12-31',
    byUnit,
    extended,
    touching2027,
    provisionalBefore,
    provisionalAfter,
    dueDatesMoved: moved,
    newClockVersions: newVersions,
    unchangedWithStaleLadder: staleLadders,
    movedExamples,
    coldFirstPassMs: round(coldMs, 1),
    recomputeMs: round(recMs, 2),
    recomputeUsPerClock: round((recMs * 1000) / DOMAIN_CLOCKS, 3),
    computeDueBaselineMs: round(baseMs, 2),
    computeDueUsPerCall: round((baseMs * 1000) / DOMAIN_CLOCKS, 3),
    ratioRecomputeToComputeDue: round(recMs / baseMs, 2),
    samples: { recompute: rec.map((x) => round(x, 2)), computeDue: base.map((x) => round(x, 2)) },
    runs: DOMAIN_RUNS,
    checksum: sink,
  };
};

// ---- the run -------------------------------------------------------------------------------

interface ScenarioResult {
  kind: ProcessKind;
  scenario: 'onTime' | 'late';
  processId: string;
  executions: { name: string; status: string; transitions: number; states: string[] }[];
  transitions: number;
  taskInvocations: number;
  escalations: string[];
  finalState: string;
  wallMs: number;
}

const main = async () => {
  const started = Date.now();

  // ---- 3a first: pure CPU, no platform running beside it ----------------------------------
  log(`recomputing ${DOMAIN_CLOCKS} clocks in the domain (2027 bench fixture)`);
  const domain = domainBench();

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-processes-'));
  const clock = manualClock('2026-03-02T09:30:00.000+08:00');
  const platform = await startPlatform({ dataDir, inMemory: true, clock, reconcileEveryMs: 0 });
  const engine = platform.engine;
  try {
    const requests = requestCounter();
    log(`platform up in ${Date.now() - started} ms; building the organisation`);
    const today = () => shanghaiDate(clock.now());
    const setForward = (at: string) => {
      const t = Date.parse(at);
      clock.set(new Date(Math.max(t, clock.now().getTime() + 3_600_000)));
    };

    // ---- the organisation (test/bench/support.ts) ---------------------------------------
    const { as, cityAdmin, agencyId, unitId, officerIds } = await benchOrganisation(platform, UA, [
      { name: '张三', staffNumber: 'BM0101', certificate: '基司执证〔2026〕0101' },
      { name: '李四', staffNumber: 'BM0102', certificate: '基司执证〔2026〕0102' },
    ]);
    const [officerA, officerB] = [officerIds[0]!, officerIds[1]!];
    const u = {
      officerA: as({ userId: 'bench-officer-zhangsan', name: '张三', agencyId, unitId, officerId: officerA, roles: ['officer'] }),
      officerB: as({ userId: 'bench-officer-lisi', name: '李四', agencyId, unitId, officerId: officerB, roles: ['officer'] }),
      deptHead: as({ userId: 'bench-head-enf1', name: '王科长', agencyId, unitId, roles: ['deptHead', 'officer'] }),
      leadership: as({ userId: 'bench-leader', name: '局长', agencyId, roles: ['leadership'] }),
      legal: as({ userId: 'bench-legal', name: '法制科', agencyId, roles: ['legal'] }),
      // a legal reviewer who is a registered officer (李四, not the handling officer): reviews are assigned to officers
      reviewer: as({ userId: 'bench-reviewer-lisi', name: '李四', agencyId, unitId, officerId: officerB, roles: ['legal', 'officer'] }),
      discipline: as({ userId: 'bench-discipline', name: '纪检监察室', agencyId, roles: ['discipline'] }),
    };

    // ---- 1. transitions per complete process ---------------------------------------------
    type Step = { who: Caller; body: () => Record<string, unknown> };
    interface Spec {
      kind: ProcessKind;
      /** Shanghai time the scenario starts at (moved forward if the clock is already past it) */
      at: string;
      open: Step;
      /** steps up to the point where the clock runs with its handler assigned */
      before: Step[];
      /** the steps that finish it (taken right away, or after the ladder in the late scenario) */
      after: Step[];
    }
    const specs: Spec[] = [
      {
        kind: 'complaint',
        at: '2026-03-02T09:30:00.000+08:00',
        open: {
          who: u.officerA,
          body: () => ({
            kind: 'complaint',
            title: '执法人员态度粗暴',
            channel: 'hotline12345',
            content: '3 月 1 日在某市场检查时态度粗暴',
            complainant: { anonymous: false, name: '陈某', phone: '13800000000' },
            about: { officerIds: [officerA] },
            externalReference: '12345-2026-000123',
          }),
        },
        before: [
          { who: u.leadership, body: () => ({ action: 'signOff', decision: 'accept', unitId }) },
          { who: u.deptHead, body: () => ({ action: 'assign', officerId: officerB }) },
        ],
        after: [
          { who: u.officerB, body: () => ({ action: 'complete', finding: 'unsubstantiated', result: '经查不属实' }) },
          { who: u.officerB, body: () => ({ action: 'reply', channel: 'phone', content: '已电话告知处理结果', toldOn: today() }) },
        ],
      },
      {
        kind: 'legal-review',
        at: '2026-04-01T10:00:00.000+08:00',
        open: {
          who: u.deptHead,
          body: () => ({
            kind: 'legal-review',
            title: '某公司罚款 50000 元',
            unitId,
            caseNumber: '基罚〔2026〕12号',
            decisionSummary: '拟处罚款 5 万元',
            parties: [{ name: '某某商贸有限公司', partyKind: 'organisation' }],
            handlingOfficerIds: [officerA],
          }),
        },
        before: [{ who: u.reviewer, body: () => ({ action: 'accept', relations: [] }) }],
        after: [{ who: u.reviewer, body: () => ({ action: 'decide', outcome: 'pass', opinion: '事实清楚，证据确凿' }) }],
      },
      {
        kind: 'fault-investigation',
        at: '2026-05-11T10:00:00.000+08:00',
        open: { who: u.discipline, body: () => ({ kind: 'fault-investigation', title: '举报不实', officerIds: [officerA], allegation: '收受礼品' }) },
        before: [],
        after: [{ who: u.discipline, body: () => ({ action: 'conclude', substantiated: false, reason: '查无实据' }) }],
      },
      {
        kind: 'supervised-case',
        at: '2026-08-03T10:00:00.000+08:00',
        open: {
          who: u.leadership,
          body: () => ({
            kind: 'supervised-case',
            title: '某违建拆除督办',
            unitId,
            officerId: officerA,
            dueOn: shanghaiDate(new Date(clock.now().getTime() + 11 * 86_400_000)),
            instructions: '按期报告办理结果',
          }),
        },
        before: [],
        after: [{ who: u.officerA, body: () => ({ action: 'report', content: '已拆除完毕' }) }],
      },
      {
        kind: 'filing',
        at: '2026-09-01T10:00:00.000+08:00',
        open: {
          who: u.legal,
          body: () => ({ kind: 'filing', title: '重大行政处罚备案', filingKind: 'majorPenalty', basisDate: shanghaiDate(new Date(clock.now().getTime() - 86_400_000)), reference: '基罚〔2026〕30号' }),
        },
        before: [],
        after: [{ who: u.legal, body: () => ({ action: 'file', on: today(), receiptNumber: '备〔2026〕1号' }) }],
      },
    ];

    const getProcess = async (id: string) => ok(await u.leadership('GET', `/processes/${id}`), `GET /processes/${id}`);
    const act = async (id: string, step: Step) => {
      const etag = (await getProcess(id)).headers.etag;
      const body = step.body();
      ok(await step.who('POST', `/processes/${id}/actions`, { body, ifMatch: etag }), `${String(body.action)} on ${id}`);
      await engine.settle();
    };

    const runScenario = async (spec: Spec, scenario: 'onTime' | 'late'): Promise<ScenarioResult> => {
      setForward(spec.at);
      const t0 = performance.now();
      const opened = ok(await spec.open.who('POST', '/processes', { body: spec.open.body(), idem: true }), `open ${spec.kind}`);
      const processId = opened.json.processId as string;
      await engine.settle();
      for (const s of spec.before) await act(processId, s);
      if (scenario === 'late') {
        for (const rung of RUNGS) {
          const cp = (await getProcess(processId)).json.clock?.checkpoints?.[rung] as string | undefined;
          if (!cp) throw new Error(`${spec.kind}: no ${rung} checkpoint`);
          clock.set(new Date(Date.parse(cp) + 60_000)); // one minute past the checkpoint
          await engine.settle();
        }
      }
      for (const s of spec.after) await act(processId, s);
      await engine.settle();
      const wallMs = performance.now() - t0;
      const final = (await getProcess(processId)).json;
      const executions = [...engine.executions().values()]
        .filter((e) => e.name.startsWith(`${processId}-c`))
        .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
        .map((e) => ({ name: e.name, status: e.status, transitions: e.transitions, states: [...e.states] }));
      return {
        kind: spec.kind,
        scenario,
        processId,
        executions,
        transitions: executions.reduce((s, e) => s + e.transitions, 0),
        taskInvocations: executions.reduce((s, e) => s + e.states.filter((x) => TASK_STATES.has(x)).length, 0),
        escalations: (final.escalations as { rung: string }[]).map((e) => e.rung),
        finalState: `${final.state}${final.open ? ' (open!)' : ''}`,
        wallMs: round(wallMs, 1),
      };
    };

    const transitions: ScenarioResult[] = [];
    for (const spec of specs) {
      for (const scenario of ['onTime', 'late'] as const) {
        log(`${spec.kind} ${scenario}`);
        transitions.push(await runScenario(spec, scenario));
      }
    }
    const stillRunning = transitions.flatMap((r) => r.executions.filter((e) => e.status === 'RUNNING').map((e) => e.name));
    // figures from broken executions would be meaningless: this is a failure of the benchmark itself
    const failed = transitions.flatMap((r) => r.executions.filter((e) => e.status === 'FAILED').map((e) => e.name));
    const unescalated = transitions.filter((r) => r.scenario === 'late' && r.escalations.join() !== RUNGS.join());
    if (failed.length || unescalated.length) {
      throw new Error(
        `executions failed (${failed.join(', ') || 'none'}) or late scenarios without the full ladder (${unescalated.map((r) => r.kind).join(', ') || 'none'}); ` +
          `the local engine needs Node ≥ 22 (Promise.withResolvers): run through npm (npm run bench) or npx tsx, which use the project's Node 22`,
      );
    }

    // ---- 3b. end to end: N open clocks recomputed after publishing 2027 --------------------
    setForward('2026-12-28T10:00:00.000+08:00');
    log(`opening ${E2E_PROCESSES} filing processes that reach into 2027 (${OPEN_CONCURRENCY} at a time)`);
    const tOpen = performance.now();
    const openBodies = Array.from({ length: E2E_PROCESSES }, (_, i) =>
      i % 2 === 0
        ? // C8: 30 calendar days from a decision in December 2026 → due 2026-12-31 … 2027-01-27
          { kind: 'filing', title: `重大行政处罚备案 ${i}`, filingKind: 'majorPenalty', basisDate: `2026-12-${String(1 + ((i >> 1) % 28)).padStart(2, '0')}`, reference: `基罚〔2026〕${1000 + i}号` }
        : // C10: the 2026 annual report, due 3 months after the year's end → 2027-03-31
          { kind: 'filing', title: `2026 年度行政执法报告 ${i}`, filingKind: 'annualReport', year: 2026, reference: `2026 年度 ${i}` },
    );
    let next = 0;
    await Promise.all(
      Array.from({ length: OPEN_CONCURRENCY }, async () => {
        while (next < openBodies.length) {
          const body = openBodies[next++]!;
          ok(await u.legal('POST', '/processes', { body, idem: true }), 'open filing');
        }
      }),
    );
    await engine.settle(120_000);
    const openMs = performance.now() - tOpen;

    const snapshot = async () => new Map((await allOpenProcesses(agencyId)).map((p) => [p.processId, p]));
    const before = await snapshot();
    const touching = [...before.values()].filter((p) => p.clock && yearsOfClock(p.clock).includes(2027)).length;
    const provisionalBefore = [...before.values()].filter((p) => p.clock?.provisional).length;

    // the floor: reading the open processes (what every recomputation pass does first)
    const readSamples: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      await allOpenProcesses(agencyId);
      readSamples.push(performance.now() - t);
    }
    const readMs = median(readSamples);

    log(`PUT /calendar/years/2027 (bench fixture) → recompute ${before.size} open clocks`);
    const rootSysAdmin = cityAdmin;
    const { year: _y, version: _v, ...yearBody } = YEAR_2027_FIXTURE;
    const putMark = requests.mark();
    const tPut = performance.now();
    const put = await rootSysAdmin('PUT', '/calendar/years/2027', { body: { ...yearBody, note: '基准测试用虚构数据' } });
    const putMs = performance.now() - tPut;
    ok(put, 'PUT /calendar/years/2027');
    const tSettle = performance.now();
    await engine.settle(120_000);
    const settleMs = performance.now() - tSettle;
    const putRequests = requests.since(putMark);
    const after = await snapshot();
    let dueMoved = 0;
    let versionBumped = 0;
    let provisionalAfter = 0;
    for (const [id, p] of after) {
      const b = before.get(id);
      if (!b?.clock || !p.clock) continue;
      if (p.clock.due !== b.clock.due) dueMoved++;
      if (p.clock.version !== b.clock.version) versionBumped++;
      if (p.clock.provisional) provisionalAfter++;
    }
    const newCal: Calendar = { years: new Map([...shippedCalendar().years, [2027, YEAR_2027_FIXTURE]]), closures: [] };
    const staleLadders = [...after.values()].filter((x) => x.clock && x.clock.version === before.get(x.processId)?.clock?.version && ladderMoved(newCal, x.clock)).length;
    const liveAfter = [...after.values()].filter((p) => p.clock && engine.executions().get(`${p.processId}-c${p.clock.version}`)?.status === 'RUNNING').length;

    // a second pass finds every clock already right: reads and recomputes, writes nothing
    const noopMark = requests.mark();
    const tNoop = performance.now();
    const noop = await recomputeOpenClocks([2027]);
    const noopMs = performance.now() - tNoop;
    const noopRequests = requests.since(noopMark);

    const e2e = {
      processes: E2E_PROCESSES,
      mix: { majorPenalty: Math.ceil(E2E_PROCESSES / 2), annualReport: Math.floor(E2E_PROCESSES / 2) },
      openMs: Math.round(openMs),
      openClocks: before.size,
      touching2027: touching,
      provisionalBefore,
      publishAndRecompute: {
        putMs: round(putMs, 1),
        msPerClock: round(putMs / Math.max(1, before.size), 3),
        executionsSettleMs: round(settleMs, 1),
        newClockVersions: versionBumped,
        dueDatesMoved: dueMoved,
        provisionalAfter,
        unchangedWithStaleLadder: staleLadders,
        liveExecutionsAfter: liveAfter,
        /** the whole PUT + settle window, the new executions' Plan tasks included */
        dynamoRequests: { total: sum(putRequests), perClock: round(sum(putRequests) / Math.max(1, versionBumped), 2), byCommand: putRequests },
      },
      secondPassNothingToMove: {
        ms: round(noopMs, 1),
        msPerClock: round(noopMs / Math.max(1, noop.examined), 3),
        examined: noop.examined,
        moved: noop.moved,
        dynamoRequests: { total: sum(noopRequests), byCommand: noopRequests },
      },
      readOpenProcessesMs: { median: round(readMs, 1), msPerClock: round(readMs / Math.max(1, before.size), 4), samples: readSamples.map((x) => round(x, 1)) },
    };

    // ---- report --------------------------------------------------------------------------
    const results = {
      benchmark: 'processes',
      generatedAt: new Date().toISOString(),
      environment: {
        node: process.version,
        platform: `${process.platform}/${process.arch}`,
        cpus: cpus().length,
        dynamodb: 'DynamoDB Local, in memory (embedded platform)',
        engine: 'aws-local-stepfunctions (infra/local/stepfunctions.ts), manual clock',
      },
      transitions: {
        countedAs: 'StateEntered events of the local engine, summed over every execution <processId>-c<version>',
        complaintGoal: COMPLAINT_GOAL,
        scenarios: transitions,
        executionsLeftRunning: stillRunning,
      },
      dueDates100k: 'see test/bench/calendar.ts (run separately by npm run bench)',
      recomputeDomain: domain,
      recomputeEndToEnd: e2e,
      calendarFixture2027: { ...YEAR_2027_FIXTURE, note: 'BENCH FIXTURE, not the State Council notice' },
      durationSeconds: Math.round((Date.now() - started) / 1000),
    };

    const lines: string[] = [];
    lines.push('');
    lines.push(`期限流程基准 / deadline-process benchmark — Node ${process.version}, ${results.environment.cpus} CPU, DynamoDB Local in memory, manual clock`);
    lines.push('');
    lines.push('1. 状态转换 / Step Functions state transitions per complete process (StateEntered, all executions of the process)');
    lines.push(`   on time = decided right away; late = clock moved past 提醒, 催办, 通报 one at a time, then finished`);
    lines.push('');
    lines.push(`   ${'kind'.padEnd(20)}${'scenario'.padEnd(9)}${'exec'.padStart(5)}${'transitions'.padStart(13)}${'Lambda tasks'.padStart(14)}  escalations         goal`);
    for (const r of transitions) {
      const goal = r.kind === 'complaint' ? `${r.transitions <= COMPLAINT_GOAL ? 'within' : 'ABOVE'} ≤ ${COMPLAINT_GOAL}` : '';
      lines.push(
        `   ${r.kind.padEnd(20)}${r.scenario.padEnd(9)}${String(r.executions.length).padStart(5)}${String(r.transitions).padStart(13)}${String(r.taskInvocations).padStart(14)}  ${(r.escalations.join(',') || '—').padEnd(20)}${goal}`,
      );
    }
    lines.push('');
    lines.push('   states entered (per execution, in order; status at the end):');
    for (const r of transitions) {
      lines.push(`   ${r.kind} ${r.scenario} → ${r.finalState}`);
      for (const e of r.executions) lines.push(`     ${e.name.slice(e.name.lastIndexOf('-') + 1)} ${e.status.padEnd(9)} ${String(e.transitions).padStart(2)}  ${e.states.join('→')}`);
    }
    if (stillRunning.length) lines.push(`   executions still RUNNING after the process closed: ${stillRunning.join(', ')}`);
    lines.push('');
    lines.push('2. 100,000 due dates: test/bench/calendar.ts (its own section of npm run bench)');
    lines.push('');
    const d = domain;
    lines.push(`3a. 日历更正后重算 / recompute ${d.clocks} open clocks after publishing 2027 (BENCH FIXTURE year), pure domain`);
    lines.push(`    starts ${d.starts}, seed ${d.seed}; workingDays ${d.byUnit.workingDays}, calendarDays ${d.byUnit.calendarDays}, months ${d.byUnit.months}; ${d.extended} extended once`);
    lines.push(
      `    ${d.touching2027} clocks touch 2027; provisional before ${d.provisionalBefore}, after ${d.provisionalAfter}; due dates moved ${d.dueDatesMoved}; new clock versions ${d.newClockVersions}`,
    );
    lines.push(`    left unchanged although a checkpoint of their ladder moves on the new calendar: ${d.unchangedWithStaleLadder}`);
    for (const ex of d.movedExamples) lines.push(`      e.g. ${ex}`);
    lines.push(`    recomputeClock, first pass (builds 2027 day tables) ${d.coldFirstPassMs.toFixed(1).padStart(8)} ms`);
    lines.push(
      `    recomputeClock × ${d.clocks}                        ${d.recomputeMs.toFixed(2).padStart(8)} ms   ${d.recomputeUsPerClock.toFixed(2).padStart(6)} µs/clock     (median of ${d.runs})`,
    );
    lines.push(
      `    raw baseline: computeDue × ${d.clocks}              ${d.computeDueBaselineMs.toFixed(2).padStart(8)} ms   ${d.computeDueUsPerCall.toFixed(2).padStart(6)} µs/call      (median of ${d.runs})`,
    );
    lines.push(`    ratio recompute / computeDue: ${d.ratioRecomputeToComputeDue}×`);
    lines.push('');
    const p = e2e.publishAndRecompute;
    lines.push(
      `3b. end to end on DynamoDB Local: ${e2e.openClocks} open filing clocks (${e2e.mix.majorPenalty} major-penalty Dec 2026, ${e2e.mix.annualReport} annual report 2026), ${e2e.touching2027} touch 2027, ${e2e.provisionalBefore} provisional`,
    );
    lines.push(`    (opened through the API in ${e2e.openMs} ms)`);
    lines.push(`    PUT /calendar/years/2027, first 5 s slice inline (outbox) ${p.putMs.toFixed(1).padStart(9)} ms   ${p.msPerClock.toFixed(2).padStart(6)} ms/clock`);
    lines.push(
      `      new clock versions ${p.newClockVersions}, due dates moved ${p.dueDatesMoved}, provisional after ${p.provisionalAfter}, live executions after ${p.liveExecutionsAfter}; new executions settled in ${p.executionsSettleMs.toFixed(0)} ms more`,
    );
    lines.push(`      DynamoDB requests ${p.dynamoRequests.total} (${p.dynamoRequests.perClock} per recomputed clock, new executions' Plan included): ${fmtCounts(p.dynamoRequests.byCommand)}`);
    lines.push(`      left unchanged although a checkpoint of their ladder moves on the new calendar: ${p.unchangedWithStaleLadder}`);
    lines.push(
      `    recomputeOpenClocks([2027]) again, the rest of the work${e2e.secondPassNothingToMove.ms.toFixed(1).padStart(9)} ms   ${e2e.secondPassNothingToMove.msPerClock.toFixed(2).padStart(6)} ms/clock  (examined ${e2e.secondPassNothingToMove.examined}, moved ${e2e.secondPassNothingToMove.moved}; requests: ${fmtCounts(e2e.secondPassNothingToMove.dynamoRequests.byCommand)})`,
    );
    lines.push(
      `    floor: reading the open processes (allOpenProcesses)  ${e2e.readOpenProcessesMs.median.toFixed(1).padStart(9)} ms   ${e2e.readOpenProcessesMs.msPerClock.toFixed(3).padStart(6)} ms/clock  (median of 5)`,
    );
    lines.push('');
    process.stdout.write(`${lines.join('\n')}\n`);

    mkdirSync(dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`figures written to ${RESULTS_FILE.slice(REPO_ROOT.length + 1)} (${results.durationSeconds} s)\n`);
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`[bench:processes] failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
