import { systemPrincipal } from '../access/principal.ts';
import { commit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import { readObject, tagObject, headObject } from '../adapters/s3/evidence.ts';
import { calendarFor } from '../calendar/store.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { notificationWrites } from '../notify/store.ts';
import { digestStream } from '../preservation/digest.ts';
import { ruleInForce } from '../rules/store.ts';
import { lateStorageAlert } from './capture.ts';
import { type Arrival, type EvidenceItem, findEvidence, fixityQueueWrite, putEvidence } from './model.ts';
import { storedLate } from './retention.ts';
import { strayArrival, unexpectedObject } from './tamper.ts';
import { QUARANTINE_TAG } from './tiers.ts';
import { applyToObject, decideRetention } from './holds.ts';
import { storageRecordWrite } from './record-keeping.ts';
import { auditObject } from './use-case-support.ts';

const SYSTEM = (agencyId: string): AuditContext => ({ principal: systemPrincipal('evidence-ingest', agencyId), source: { requestId: 'evidence-ingest' } });

/**
 * What arrived at an item's key: stream it once, SHA-256 and SM3 over the whole file (S3's multipart
 * checksums are composite, not whole-file). A different hash or size quarantines the object and
 * alerts; a match records the version, both hashes, the D2 late flag and the retention. An arrival
 * on a key of no item, or on an item already ingested, is tampering (shared/evidence/tamper.ts).
 */
export const ingestArrival = async (evidenceId: string | undefined, arrived: Arrival) => {
  const e = evidenceId ? await findEvidence(evidenceId, true) : undefined;
  if (!e || e.key !== arrived.key) return unexpectedObject(arrived);
  if (e.status !== 'uploading') return strayArrival(e, arrived);
  const arrival = { versionId: arrived.versionId, sequencer: arrived.sequencer, eTag: arrived.eTag };
  const head = await headObject(e.key);
  const versionId = arrived.versionId ?? head?.versionId;
  const digest = await digestStream(await readObject(e.key, versionId));
  const at = systemClock.now();
  const atIso = nowIso(systemClock);
  const ctx = SYSTEM(e.agencyId);
  if (digest.sha256 !== e.declaredSha256 || digest.bytes !== e.size) {
    const quarantined: EvidenceItem = {
      ...e,
      status: 'quarantined',
      versionId,
      arrival: { ...arrival, versionId },
      sha256: digest.sha256,
      sm3: digest.sm3,
      ingestedAt: atIso,
      quarantine: { reason: digest.bytes !== e.size ? 'sizeMismatch' : 'sha256Mismatch', at: atIso, actualSha256: digest.sha256, actualSize: digest.bytes },
      version: e.version + 1,
      updatedAt: atIso,
    };
    await tagObject(e.key, versionId, { [QUARANTINE_TAG.key]: QUARANTINE_TAG.value, evidence: e.evidenceId });
    const alert = notificationWrites(
      {
        kind: 'decided',
        agencyId: e.agencyId,
        title: `【隔离】声像资料校验不符：${e.title}`,
        body: `上传内容与声明的 SHA-256 不一致（声明 ${e.declaredSha256.slice(0, 16)}…，实际 ${digest.sha256.slice(0, 16)}…，${digest.bytes} 字节），已隔离，请重新上传原始文件。`,
        recipients: [
          { type: 'officer', officerId: e.capture.officerId },
          { type: 'role', agencyId: e.agencyId, role: 'deptHead', unitId: e.unitId },
          { type: 'role', agencyId: e.agencyId, role: 'secAdmin' },
        ],
      },
      atIso,
    ).writes;
    await commit(ctx, [putEvidence(quarantined, e.version), ...alert], [{ action: 'evidence.quarantine', ...auditObject(e), outcome: 'allowed', reason: quarantined.quarantine!.reason }]);
    return { outcome: 'quarantined' as const, sha256: digest.sha256 };
  }
  const d2 = (await ruleInForce('D2', e.agencyPath, shanghaiDate(at))).parameters;
  const late = storedLate(await calendarFor(e.agencyPath), e.capture.endedAt, atIso, d2);
  let verified: EvidenceItem = {
    ...e,
    status: 'verified',
    versionId,
    arrival: { ...arrival, versionId },
    sha256: digest.sha256,
    sm3: digest.sm3,
    ingestedAt: atIso,
    late,
    version: e.version + 1,
    updatedAt: atIso,
  };
  const retention = await decideRetention(verified, shanghaiDate(at));
  verified = { ...verified, retention, objectLock: await applyToObject(verified, retention, at) };
  await commit(
    ctx,
    [putEvidence(verified, e.version), fixityQueueWrite(verified), storageRecordWrite(verified, atIso), ...lateStorageAlert(verified, at)],
    [{ action: 'evidence.ingest', ...auditObject(e), outcome: 'allowed', reason: late ? `stored late (D2)${e.lateDeclaration ? `: ${e.lateDeclaration.reason}` : ''}` : undefined }],
  );
  return { outcome: 'verified' as const, sha256: digest.sha256, sm3: digest.sm3, late };
};
