import { systemPrincipal } from '../access/principal.ts';
import { tableName } from '../adapters/dynamodb/client.ts';
import { commit, type AuditContext, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import { strayObjectKey } from '../adapters/dynamodb/keys/evidence.ts';
import { readObject, tagObject } from '../adapters/s3/evidence.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { conflict, DomainError } from '../kernel/errors.ts';
import { type NotificationDraft, notificationWrites } from '../notify/store.ts';
import { findAgency, listAllAgencies } from '../org/store.ts';
import { digestStream } from '../preservation/digest.ts';
import { type Arrival, type EvidenceItem, evidenceIdOfKey, putEvidence, type StrayArrival } from './model.ts';
import { QUARANTINE_TAG } from './tiers.ts';

/**
 * Writes under `evidence/` that the product did not expect (D7: originals are never altered).
 * Every original is written once, by the upload its declaration presigned, and ingested from that
 * one ObjectCreated. Anything else is tampering until shown otherwise:
 *  - a second ObjectCreated on an item's key — a replayed upload URL, a credential with
 *    s3:PutObject — records a stray arrival on the item, isolates what arrived and alerts the
 *    recording's custodians (the capturing officer, the unit's head and recorder, D2) and the
 *    security administrator, audited as `evidence.tamper`. In a versioned bucket (AWS) the verified
 *    version is untouched — Object Lock, and every read names its VersionId — so the stray version
 *    is tagged `quarantine` and the item stays verified; in a store without versions (the embedded
 *    one, whose guard should make this impossible) the key is re-hashed, and if the verified bytes
 *    are gone the item is quarantined and its content no longer served;
 *  - an object whose key belongs to no item is tagged `quarantine` and reported to the security
 *    administrators of the agency its key names (or of every root agency), audited as
 *    `evidence.unexpectedObject`.
 * S3 delivers an event at least once: the same event again (same version, or same sequencer where
 * there are no versions) is no new write and changes nothing.
 */
const SYSTEM = (agencyId: string): AuditContext => ({ principal: systemPrincipal('evidence-ingest', agencyId), source: { requestId: 'evidence-ingest' } });
const ALERT_PREFIX = '【告警】';

type Seen = { versionId?: string | undefined; sequencer?: string | undefined };
/** the same S3 write: by version where both know one, else by the event's sequencer (unique per write of a key) */
const sameWrite = (a: Seen, b: Seen | undefined) => !!b && (a.versionId && b.versionId ? a.versionId === b.versionId : !!a.sequencer && a.sequencer === b.sequencer);

/** What an ObjectCreated on the key of an item no longer being uploaded is. Pure. */
export const classifyArrival = (e: Pick<EvidenceItem, 'versionId' | 'arrival' | 'strayArrivals'>, a: Seen): 'redelivery' | 'strayRedelivery' | 'strayVersion' | 'rewrite' => {
  if (sameWrite(a, e.arrival ?? { versionId: e.versionId })) return 'redelivery';
  if ((e.strayArrivals ?? []).some((s) => sameWrite(a, s))) return 'strayRedelivery';
  // a new version beside the verified one, or (no versions) a rewrite of the only copy
  return a.versionId && e.versionId ? 'strayVersion' : 'rewrite';
};

/** the D2 custodians of the recording and the agency's security administrator */
const custodiansOf = (e: EvidenceItem): NotificationDraft['recipients'] => [
  { type: 'officer', officerId: e.capture.officerId },
  { type: 'role', agencyId: e.agencyId, role: 'deptHead', unitId: e.unitId },
  { type: 'role', agencyId: e.agencyId, role: 'recorder', unitId: e.unitId },
  { type: 'role', agencyId: e.agencyId, role: 'secAdmin' },
];

const quarantineTags = (evidenceId?: string) => ({ [QUARANTINE_TAG.key]: QUARANTINE_TAG.value, stray: 'true', ...(evidenceId ? { evidence: evidenceId } : {}) });

/** A second ObjectCreated on the key of an item that is no longer being uploaded. */
export const strayArrival = async (e: EvidenceItem, a: Arrival) => {
  const kind = classifyArrival(e, a);
  if (kind === 'redelivery') return { outcome: 'alreadyIngested' as const, status: e.status };
  if (kind === 'strayRedelivery') return { outcome: 'alreadyRecorded' as const, status: e.status };
  const at = nowIso(systemClock);
  let intact = true;
  let actual: { sha256: string; bytes: number } | undefined;
  if (kind === 'strayVersion') {
    await tagObject(e.key, a.versionId, quarantineTags(e.evidenceId));
  } else {
    actual = await digestStream(await readObject(e.key)).catch(() => undefined);
    intact = !!actual && !!e.sha256 && actual.sha256 === e.sha256 && actual.bytes === e.size;
  }
  const stray: StrayArrival = { at, versionId: a.versionId, sequencer: a.sequencer, eTag: a.eTag, size: a.size, intact, actualSha256: actual?.sha256 };
  const lost = !intact && e.status === 'verified';
  if (lost && actual) await tagObject(e.key, undefined, quarantineTags(e.evidenceId));
  const next: EvidenceItem = {
    ...e,
    strayArrivals: [...(e.strayArrivals ?? []), stray],
    version: e.version + 1,
    updatedAt: at,
    ...(lost ? { status: 'quarantined' as const, quarantine: { reason: 'overwritten', at, actualSha256: actual?.sha256, actualSize: actual?.bytes } } : {}),
  };
  const what =
    kind === 'strayVersion'
      ? `出现新版本 ${a.versionId}（已隔离，查看仍只用入库时核验的版本）`
      : intact
        ? '被再次写入，内容仍与入库时一致'
        : '被再次写入，入库时核验的内容已不在（已隔离，停止提供查看）';
  const alert = notificationWrites(
    {
      kind: 'decided',
      agencyId: e.agencyId,
      title: `${ALERT_PREFIX}原始声像资料被再次写入：${e.title}`,
      body: `已核验入库的原始声像资料（证据编号 ${e.evidenceId}）在存储中${what}。原始声像资料不得删改（D7），请立即核查上传地址、访问凭证与存储访问日志。`,
      recipients: custodiansOf(e),
    },
    at,
  ).writes;
  await commit(
    SYSTEM(e.agencyId),
    [putEvidence(next, e.version), ...alert],
    [
      {
        action: 'evidence.tamper',
        objectType: 'evidence',
        objectId: e.evidenceId,
        objectAgencyId: e.agencyId,
        outcome: 'failed',
        reason: `second ObjectCreated on ${e.key} (${kind}${a.versionId ? `, version ${a.versionId}` : ''}${a.sequencer ? `, sequencer ${a.sequencer}` : ''}): ${intact ? 'verified bytes intact' : 'verified bytes gone, quarantined'}`,
      },
    ],
  );
  return { outcome: 'tampered' as const, intact, status: next.status };
};

/** An ObjectCreated under `evidence/` whose key belongs to no item: isolated and reported, once per write. */
export const unexpectedObject = async (a: Arrival) => {
  const evidenceId = evidenceIdOfKey(a.key);
  const named = /^evidence\/([^/]+)\//.exec(a.key)?.[1];
  const agency = named ? await findAgency(named) : undefined;
  const agencies = agency ? [agency.agencyId] : (await listAllAgencies()).filter((x) => x.ancestors.length === 0).map((x) => x.agencyId);
  let tagged = true;
  await tagObject(a.key, a.versionId, quarantineTags(evidenceId)).catch(() => {
    tagged = false; // gone again already: still reported
  });
  const at = nowIso(systemClock);
  // one report per write of the key (S3 may deliver the event again)
  const marker: DomainWrite = {
    item: { Put: { TableName: tableName(), Item: { ...strayObjectKey(a.key, a.versionId ?? a.sequencer ?? at), kind: 'strayObject', at }, ConditionExpression: 'attribute_not_exists(pk)' } },
    onConditionFailed: () => conflict('evidence.strayRecorded', '已登记'),
  };
  try {
    for (const [i, agencyId] of agencies.entries()) {
      const alert = notificationWrites(
        {
          kind: 'decided',
          agencyId,
          title: `${ALERT_PREFIX}存储中出现未登记的声像资料对象`,
          body: `证据存储的 ${a.key}${a.versionId ? `（版本 ${a.versionId}）` : ''} 没有对应的上传声明，${tagged ? '已标记隔离' : '对象已不在'}。原始声像资料只能经声明后的上传写入（D7），请核查访问凭证与存储访问日志。`,
          recipients: [{ type: 'role', agencyId, role: 'secAdmin' }],
        },
        at,
      ).writes;
      await commit(
        SYSTEM(agencyId),
        [...(i === 0 ? [marker] : []), ...alert],
        [
          {
            action: 'evidence.unexpectedObject',
            objectType: 'evidence',
            objectId: evidenceId ?? a.key,
            objectAgencyId: agencyId,
            outcome: 'failed',
            reason: `ObjectCreated ${a.key}${a.versionId ? ` version ${a.versionId}` : ''} with no declaration${tagged ? ', tagged quarantine' : ''}`,
          },
        ],
      );
    }
  } catch (err) {
    if (err instanceof DomainError && err.code === 'evidence.strayRecorded') return { outcome: 'alreadyRecorded' as const };
    throw err;
  }
  return { outcome: 'unexpected' as const, agencies };
};
