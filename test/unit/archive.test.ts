import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sealEntry, verifyChain, type ChainEntry } from '#shared/archive/chain.ts';
import { nextState, type EntryEvent, type EntryState } from '#shared/archive/workflow.ts';
import { hashAudit, verifyAuditChain, type AuditRecord } from '#shared/audit/record.ts';
import { GENESIS_HASH } from '#shared/kernel/hash.ts';

describe('A6 entry workflow', () => {
  it('runs draft → underReview → approved → archived for an ordinary entry', () => {
    let s: EntryState = 'draft';
    for (const e of ['submit', 'approve', 'archive'] as EntryEvent[]) s = nextState(s, e, false);
    expect(s).toBe('archived');
  });
  it('notifies and waits for acknowledgement of a conclusive document', () => {
    expect(nextState('underReview', 'approve', true)).toBe('notified');
    expect(() => nextState('notified', 'archive', true)).toThrow(/不能执行/);
    expect(nextState(nextState('notified', 'acknowledge', true), 'archive', true)).toBe('archived');
  });
  it('never leaves archived or rejected', () => {
    for (const s of ['archived', 'rejected'] as EntryState[]) {
      for (const e of ['edit', 'submit', 'approve', 'reject', 'acknowledge', 'archive'] as EntryEvent[]) {
        expect(() => nextState(s, e, false)).toThrow();
      }
    }
  });
});

const body = (i: number) => ({
  officerId: 'O',
  entryId: `E${i}`,
  type: 'training',
  category: 'basic',
  occurredOn: '2026-01-01',
  title: `培训 ${i}`,
  content: { course: '行政处罚法', hours: i + 1, result: 'passed' },
  workflow: {},
  custody: { agencyId: 'D', unitId: 'U', holder: 'unit' },
  archivedAt: '2026-01-02T00:00:00.000+08:00',
  archivedBy: 'u',
});
const build = (n: number) => {
  const out: ChainEntry[] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let i = 0; i < n; i++) {
    const e = sealEntry(body(i), head);
    out.push(e);
    head = { seq: e.seq, hash: e.hash };
  }
  return out;
};

describe('officer file hash chain', () => {
  it('verifies an untouched chain and its head', () => {
    const chain = build(20);
    expect(verifyChain(chain, { seq: 20, hash: chain[19]!.hash }).ok).toBe(true);
  });
  it('detects any tampered field, removed link or reordering (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.nat(), fc.constantFrom('title', 'content', 'occurredOn', 'drop', 'swap'), (n, k, how) => {
        const chain = build(n);
        const i = k % n;
        let tampered: ChainEntry[] = chain.map((e) => ({ ...e }));
        if (how === 'title') tampered[i] = { ...tampered[i]!, title: `${tampered[i]!.title}（改）` };
        if (how === 'content') tampered[i] = { ...tampered[i]!, content: { ...tampered[i]!.content, hours: 999 } };
        if (how === 'occurredOn') tampered[i] = { ...tampered[i]!, occurredOn: '2025-12-31' };
        if (how === 'drop') tampered = tampered.filter((_, j) => j !== i);
        if (how === 'swap') tampered = [...tampered.slice(0, i), ...(i + 1 < n ? [tampered[i + 1]!, tampered[i]!] : [tampered[i]!]), ...tampered.slice(i + 2)];
        const head = { seq: n, hash: chain[n - 1]!.hash };
        const changed = how !== 'swap' || i + 1 < n;
        expect(verifyChain(tampered, head).ok).toBe(!changed);
      }),
      { numRuns: 300 },
    );
  });
});

describe('audit hash chain', () => {
  const rec = (seq: number, prevHash: string): AuditRecord => {
    const b = {
      id: `A${seq}`,
      at: '2026-11-23T10:00:00.000+08:00',
      actor: { userId: 'u', agencyId: 'D', roles: ['officer'] },
      action: 'file.read',
      objectType: 'file' as const,
      objectId: 'O',
      outcome: 'allowed' as const,
      source: {},
      chainId: 'D#0',
      seq,
      prevHash,
    };
    return { ...b, hash: hashAudit(b) };
  };
  const chain = () => {
    const out: AuditRecord[] = [];
    let prev = GENESIS_HASH;
    for (let s = 1; s <= 10; s++) {
      const r = rec(s, prev);
      out.push(r);
      prev = r.hash;
    }
    return out;
  };
  it('verifies and detects a tampered record', () => {
    expect(verifyAuditChain(chain()).ok).toBe(true);
    const t = chain();
    t[4] = { ...t[4]!, outcome: 'denied' };
    expect(verifyAuditChain(t).problems).toContainEqual({ seq: 5, problem: 'hashMismatch' });
    const dropped = chain().filter((r) => r.seq !== 3);
    expect(verifyAuditChain(dropped).ok).toBe(false);
  });
});
