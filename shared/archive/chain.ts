import { chainHash, walkChain } from '../kernel/hash.ts';

/**
 * The officer file as a hash chain: each archived entry carries its predecessor's hash, so a
 * changed, removed or reordered entry breaks verification (docs/security.md §4).
 */
export interface ChainEntry {
  officerId: string;
  seq: number;
  entryId: string;
  type: string;
  category: string;
  occurredOn: string;
  title: string;
  summary?: string;
  content: Record<string, unknown>;
  attachments?: { attachmentId: string; fileName: string; sha256: string; size: number }[];
  /** a correction names the seq it corrects; the corrected entry itself never changes */
  corrects?: number;
  handover?: Record<string, unknown>;
  workflow: Record<string, unknown>;
  custody: { agencyId: string; unitId?: string; holder: string };
  archivedAt: string;
  archivedBy: string;
  prevHash: string;
  hash: string;
}

export type ChainEntryBody = Omit<ChainEntry, 'hash'>;

export const hashEntry = (body: ChainEntryBody) => chainHash(body.prevHash, body);

export const sealEntry = (body: Omit<ChainEntryBody, 'prevHash' | 'seq'>, prev: { seq: number; hash: string }): ChainEntry => {
  const full = JSON.parse(JSON.stringify({ ...body, seq: prev.seq + 1, prevHash: prev.hash })) as ChainEntryBody;
  return { ...full, hash: hashEntry(full) };
};

export interface FileVerification {
  ok: boolean;
  count: number;
  headSeq: number;
  headHash: string;
  problems: { seq: number; problem: 'hashMismatch' | 'brokenLink' | 'gap' | 'headMismatch' }[];
}

export const verifyChain = (entries: readonly ChainEntry[], head?: { seq: number; hash: string }): FileVerification => {
  const { problems, headHash, headSeq } = walkChain<ChainEntry>(entries, hashEntry);
  const all: FileVerification['problems'] = [...problems];
  if (head && (head.seq !== headSeq || head.hash !== headHash)) all.push({ seq: head.seq, problem: 'headMismatch' });
  return { ok: all.length === 0, count: entries.length, headSeq, headHash, problems: all };
};
