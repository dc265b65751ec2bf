import type { CaseEvent } from '../cases/events.ts';
import type { AreaConsumer } from '../outbox/dispatch.ts';
import type { ProcessEvent } from '../process/events.ts';
import { holdCaseEvidence, refreshRetentionOfCase } from './service.ts';

/**
 * The evidence area's consumer of the outbox (composed in shared/wiring.ts): the events of other
 * areas that change what happens to a case's recordings. Both effects are idempotent — a hold of a
 * reason already held is not placed again, a retention decision only ever extends (D3/D4).
 */
export const evidenceConsumer = {
  area: 'evidence',
  handlers: {
    // D3: the linked recordings follow the case file's retention from its close
    caseClosed: (e) => refreshRetentionOfCase(e.caseId, e.agencyId),
    // D4 (二): evasion, refusal, obstruction, insult or assault recorded in a step
    obstructionRecorded: (e) => holdCaseEvidence(e.caseId, e.agencyId, e.obstruction, e.note),
    // D4/D5: a review or a lawsuit about the act (the burden of proof)
    caseOutcomeRecorded: (e) => holdCaseEvidence(e.caseId, e.agencyId, 'reviewOrLitigation', e.note),
    // D4 (一): a complaint about the enforcement act
    complaintAboutCase: (e) => holdCaseEvidence(e.caseId, e.agencyId, 'complaint', `投诉 ${e.processId}`),
  },
} satisfies AreaConsumer<CaseEvent | ProcessEvent>;
