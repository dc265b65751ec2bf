import type { Principal } from '../access/principal.ts';

/**
 * Domain events of the cases (一案一表), written in the transaction of the case change that raises
 * them (shared/outbox/store.ts, docs/architecture.md §6) and consumed by the areas that own their
 * effects: the recordings of the case (evidence/consumers.ts), its C8 filing (process/consumers.ts).
 */
export type CaseEvent =
  /** D3: the linked recordings now follow the case file's retention from its close */
  | { type: 'caseClosed'; caseId: string; agencyId: string; closedOn: string }
  /** D4 (二): evasion, refusal, obstruction, insult or assault of officers recorded in a step — its recordings are kept long-term */
  | { type: 'obstructionRecorded'; caseId: string; agencyId: string; obstruction: Obstruction; note: string }
  /** D4/D5 and B2: an administrative review or a lawsuit about the decision (the burden of proof) */
  | {
      type: 'caseOutcomeRecorded';
      caseId: string;
      agencyId: string;
      by: 'administrativeReview' | 'litigation';
      result: 'upheld' | 'changed' | 'revoked';
      documentNumber: string;
      decidedOn: string;
      note: string;
    }
  /**
   * C8: a major penalty decision; its filing process, under the id the case already links
   * (`filingProcessId`), is opened by the process area on behalf of whoever decided (`by`).
   */
  | {
      type: 'majorPenaltyDecided';
      caseId: string;
      agencyId: string;
      unitId: string;
      caseTitle: string;
      caseNumber: string;
      documentNumber: string;
      decidedOn: string;
      filingProcessId: string;
      by: Principal;
      requestId?: string | undefined;
    };

export const OBSTRUCTIONS = ['evasion', 'refusal', 'obstruction', 'insult', 'assault'] as const;
export type Obstruction = (typeof OBSTRUCTIONS)[number];
