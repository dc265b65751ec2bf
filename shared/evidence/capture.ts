import { calendarFor } from '../calendar/store.ts';
import { nowIso, shanghaiDate, toShanghaiIso } from '../kernel/clock.ts';
import { validationError } from '../kernel/errors.ts';
import { notificationWrites } from '../notify/store.ts';
import { ruleInForce } from '../rules/store.ts';
import type { Capture, EvidenceItem, LateDeclaration } from './model.ts';
import { storageDueAt } from './retention.ts';

/**
 * Is a declared capture time plausible (D2, issue 8)? The client declares when a recording was
 * made, and the D3 retention counts from it, so an unbounded date would let a recording be
 * declared old enough to be disposable at once. With the D2 version in force:
 *  - neither end of the capture may lie in the future beyond `captureClockSkewMinutes` (a device
 *    clock a little ahead is normal; "tomorrow" is not);
 *  - a capture that started before its storage due time (end of the working day, storageDueAt)
 *    plus `lateWindow` is accepted only as late, with a written reason; the reason is kept on the
 *    record and the unit's department head is told when the recording is stored (lateStorageAlert);
 * and, whatever is declared, retention never ends before D3's minimum counted from the ingest
 * (retention.ts `storedOn`). Derived copies carry their original's capture and are not checked again.
 */
export const checkCapture = async (at: Date, capture: Capture, lateReason: string | undefined, agencyPath: readonly string[]): Promise<LateDeclaration | undefined> => {
  const d2 = await ruleInForce('D2', agencyPath, shanghaiDate(at));
  const skew = d2.parameters.captureClockSkewMinutes;
  const latest = at.getTime() + skew * 60_000;
  const future = (['startedAt', 'endedAt'] as const).filter((f) => Date.parse(capture[f]) > latest);
  if (future.length > 0) {
    throw validationError(
      'evidence.captureInFuture',
      `采集时间不能晚于当前时间（允许设备时钟误差 ${skew} 分钟，D2）`,
      future.map((f) => ({ path: `body.capture.${f}`, message: '晚于当前时间' })),
    );
  }
  if (Date.parse(capture.endedAt) < Date.parse(capture.startedAt)) {
    throw validationError('evidence.captureOrder', '结束时间不能早于开始时间', [{ path: 'body.capture.endedAt', message: '早于开始时间' }]);
  }
  const due = storageDueAt(await calendarFor(agencyPath), capture.startedAt, d2.parameters);
  const windowEnd = new Date(Date.parse(due.due) + d2.parameters.lateWindow.value * 86_400_000);
  if (at.getTime() <= windowEnd.getTime()) return undefined;
  if (!lateReason) {
    throw validationError('evidence.lateReasonRequired', `采集时间早于应存储时间 ${d2.parameters.lateWindow.value} 日以上，须写明迟延存储的理由（D2）`, [
      { path: 'body.lateReason', message: `应于 ${due.due} 前存储，须写明迟延理由` },
    ]);
  }
  return { reason: lateReason, storageDueAt: due.due, windowEndedAt: toShanghaiIso(windowEnd), declaredAt: toShanghaiIso(at), ruleVersion: d2.versionId };
};

/** The department head of the unit is told when a recording declared late (with its reason) is stored. */
export const lateStorageAlert = (e: EvidenceItem, at: Date) => {
  const late = e.lateDeclaration;
  if (!late) return [];
  return notificationWrites(
    {
      kind: 'decided',
      agencyId: e.agencyId,
      title: `【迟延存储】${e.title}（采集于 ${shanghaiDate(new Date(e.capture.startedAt))}）`,
      body: `该声像资料应于 ${late.storageDueAt} 前存储，${shanghaiDate(at)} 才存储（D2）。上传人说明的理由：${late.reason}。保存期限自入库之日起不少于 D3 规定的期限。证据编号 ${e.evidenceId}。`,
      recipients: [{ type: 'role', agencyId: e.agencyId, role: 'deptHead', unitId: e.unitId }],
    },
    nowIso({ now: () => at }),
  ).writes;
};
