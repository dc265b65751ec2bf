import { commit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import type { CaseEvent } from '../cases/events.ts';
import { DomainError } from '../kernel/errors.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { type AreaConsumer, dispatch } from '../outbox/dispatch.ts';
import { putOutbox } from '../outbox/store.ts';
import { workflowEngine } from './engine.ts';
import type { ProcessCommand } from './events.ts';
import { prepareOpen } from './service.ts';
import { findProcess } from './store.ts';
import { recomputeOpenClocks } from './timer.ts';
import { auditObject } from './writes.ts';

/**
 * The process area's consumer of the outbox (composed in shared/wiring.ts): its own commands —
 * executions started and stopped by deterministic name, clocks recomputed after a calendar change —
 * and the case events it owns the effect of (C8: a major penalty decision opens its filing). Every
 * handler is idempotent: a message may run again after a crash.
 */

/** C8: the filing of a major penalty decision, opened under the id the case already links. */
const openFilingOfCase = async (e: Extract<CaseEvent, { type: 'majorPenaltyDecided' }>) => {
  if (await findProcess(e.filingProcessId, true)) return { opened: false };
  // on behalf of whoever decided: the process records them as its opener, the audit record too
  const ctx: AuditContext = { principal: e.by, source: { requestId: e.requestId } };
  const change = await prepareOpen(ctx, {
    kind: 'filing',
    title: `重大行政处罚备案：${e.caseTitle}`,
    unitId: e.unitId,
    filingKind: 'majorPenalty',
    basisDate: e.decidedOn,
    reference: `${e.caseNumber}（${e.documentNumber}）`,
    processId: e.filingProcessId,
  });
  try {
    await commit(ctx, change.writes, [{ action: 'process.open', ...auditObject(change.record), outcome: 'allowed', reason: `major penalty decision of case ${e.caseId}` }]);
  } catch (err) {
    // opened by an earlier run of this message that died before it was marked done
    if (err instanceof DomainError && err.code === 'process.versionConflict' && (await findProcess(e.filingProcessId, true))) return { opened: false };
    throw err;
  }
  await dispatch(change.outbox);
  return { opened: true };
};

export const processConsumer = {
  area: 'process',
  handlers: {
    startExecution: (c) => workflowEngine().start(c.kind, c.name, c.input),
    stopExecution: (c) => workflowEngine().stop(c.kind, c.name, c.cause),
    recomputeClocks: async (c, d) => {
      const r = await recomputeOpenClocks(c.years, c.agencyIds, d.budgetMs);
      // what did not fit in this dispatcher's time goes back to the outbox as its own command
      if (r.remainingAgencyIds.length) await putOutbox<ProcessCommand>({ type: 'recomputeClocks', years: c.years, agencyIds: r.remainingAgencyIds }, nowIso(systemClock));
      return r;
    },
    majorPenaltyDecided: (e) => openFilingOfCase(e),
  },
} satisfies AreaConsumer<ProcessCommand | CaseEvent>;
