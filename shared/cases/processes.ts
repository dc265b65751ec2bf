/**
 * What a case needs to know of a deadline process: the legal review it links (C1/C8 — a major
 * decision only after the review passed). Processes sit above cases in the order of the areas
 * (docs/architecture.md §4: a complaint names a case, a case's decision opens a filing through an
 * event), so cases cannot import them; the composition (shared/wiring.ts) provides this reader from
 * the process area's store, the one that owns the record.
 */
export interface LinkedProcess {
  processId: string;
  kind: string;
  agencyId: string;
  open: boolean;
  state: string;
  /** the case number a legal review names (`data.caseNumber`) */
  caseNumber?: string | undefined;
}

export type ProcessReader = (processId: string) => Promise<LinkedProcess | undefined>;

let reader: ProcessReader | undefined;

export const provideProcessReader = (r: ProcessReader) => {
  reader = r;
};

/** The linked process as its owner reads it now (consistently), or undefined when there is none. */
export const findLinkedProcess = (processId: string): Promise<LinkedProcess | undefined> => {
  if (!reader) throw new Error('cases: no process reader — this function was not wired (shared/wiring.ts wire())');
  return reader(processId);
};
