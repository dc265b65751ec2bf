import { chainHash, GENESIS_HASH } from '../kernel/hash.ts';

/**
 * The officer file as a hash chain: each archived entry carries its predecessor's hash, so a
 * changed, removed or reordered entry breaks verification (DESIGN.md §2).
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
  const problems: FileVerification['problems'] = [];
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const e of entries) {
    if (e.seq !== expected) problems.push({ seq: e.seq, problem: 'gap' });
    if (e.prevHash !== prev) problems.push({ seq: e.seq, problem: 'brokenLink' });
    const { hash, ...body } = e;
    if (hashEntry(body) !== hash) problems.push({ seq: e.seq, problem: 'hashMismatch' });
    prev = e.hash;
    expected = e.seq + 1;
  }
  const headSeq = entries.length ? entries[entries.length - 1]!.seq : 0;
  if (head && (head.seq !== headSeq || head.hash !== prev)) problems.push({ seq: head.seq, problem: 'headMismatch' });
  return { ok: problems.length === 0, count: entries.length, headSeq, headHash: prev, problems };
};
