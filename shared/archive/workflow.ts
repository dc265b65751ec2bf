import { conflict } from '../kernel/errors.ts';

/**
 * The recording workflow of A6 (docs/rules.md): drafted (officer or designated recorder) → reviewed by the
 * head of the officer's department → conclusive documents are notified to the officer, who
 * acknowledges → the designated recorder enters it into the file (archived, immutable).
 * Rejection ends a draft with a reason; the author drafts anew.
 */
export const ENTRY_STATES = ['draft', 'underReview', 'approved', 'notified', 'acknowledged', 'archived', 'rejected'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];
export type EntryEvent = 'edit' | 'submit' | 'approve' | 'reject' | 'acknowledge' | 'archive';

export const STATE_LABELS: Record<EntryState, string> = {
  draft: '草稿',
  underReview: '待审核',
  approved: '待录入',
  notified: '待本人知悉',
  acknowledged: '已知悉待录入',
  archived: '已归档',
  rejected: '已退回',
};

export const nextState = (state: EntryState, event: EntryEvent, conclusive: boolean): EntryState => {
  const to = ((): EntryState | undefined => {
    switch (event) {
      case 'edit':
        return state === 'draft' ? 'draft' : undefined;
      case 'submit':
        return state === 'draft' ? 'underReview' : undefined;
      case 'approve':
        // A6: conclusive documents are notified to the officer before they are entered
        return state === 'underReview' ? (conclusive ? 'notified' : 'approved') : undefined;
      case 'reject':
        return state === 'underReview' ? 'rejected' : undefined;
      case 'acknowledge':
        return state === 'notified' ? 'acknowledged' : undefined;
      case 'archive':
        return state === 'approved' || state === 'acknowledged' ? 'archived' : undefined;
    }
  })();
  if (!to) {
    throw conflict('entry.invalidTransition', `条目当前状态为“${STATE_LABELS[state]}”，不能执行该操作`, { state, event });
  }
  return to;
};
