import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { commit, type AuditContext, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import { hashObject, presignGet, presignPut } from '../adapters/s3/client.ts';
import type { Allowed } from '../access/gate.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { conflict, notFound } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import type { Attachment } from './entries.ts';
import { attachmentRecordKey } from '../adapters/dynamodb/keys/archive.ts';

/**
 * Attachments on entries go straight from the client to S3 with a presigned URL that carries the
 * client's SHA-256 (no Lambda carries the bytes); once the object arrives the server hashes it
 * itself and marks the attachment verified or mismatched. Only verified attachments can be archived.
 */
export const attachmentKey = (officerId: string, attachmentId: string) => `attachments/${officerId}/${attachmentId}`;
/** the record as stored: the S3 version the hashes are of, where the bucket has versions (downloads name it) */
type StoredAttachment = Attachment & { versionId?: string | undefined };

export const createAttachment = async (
  ctx: AuditContext,
  gate: Allowed,
  input: { fileName: string; contentType: string; size: number; sha256: string },
  idem: Omit<IdempotentCreate, 'response'> | undefined,
) => {
  const attachmentId = newId();
  const a: Attachment = {
    attachmentId,
    officerId: gate.officer.officerId,
    ...input,
    key: attachmentKey(gate.officer.officerId, attachmentId),
    status: 'pending',
    createdBy: ctx.principal.userId,
    createdAt: nowIso(ctx.clock ?? systemClock),
  };
  const upload = await presignPut(a.key, a.contentType, a.size, a.sha256);
  const response = { attachment: a, upload };
  await commit(
    ctx,
    [{ item: { Put: { TableName: tableName(), Item: { ...attachmentRecordKey(a.officerId, attachmentId), kind: 'attachment', record: a }, ConditionExpression: 'attribute_not_exists(pk)' } } }],
    [{ ...gate.auditBase, action: 'attachment.create', objectType: 'attachment', objectId: attachmentId }],
    idem ? { ...idem, response } : undefined,
  );
  return response;
};

export const readAttachment = async (officerId: string, attachmentId: string) => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: attachmentRecordKey(officerId, attachmentId), ConsistentRead: true }));
  if (!r.Item) throw notFound('attachment.notFound', '附件不存在');
  return r.Item.record as Attachment;
};

/**
 * Verify what arrived. Called by the S3 ObjectCreated event (functions/events/attachment-arrived.ts,
 * with the version it names) and by the explicit verify route; idempotent: a verified attachment
 * stays verified. The version hashed is recorded, and downloads name it (the key is written once:
 * its presigned PUT carries `If-None-Match: *`, shared/adapters/s3/client.ts presignPut).
 */
export const verifyArrival = async (ctx: AuditContext, officerId: string, attachmentId: string, objectAgencyId?: string, versionId?: string | undefined) => {
  const a = await readAttachment(officerId, attachmentId);
  if (a.status !== 'pending') return a;
  const got = await hashObject(a.key, versionId);
  if (!got) throw conflict('attachment.notUploaded', '附件尚未上传');
  const ok = got.sha256 === a.sha256 && got.size === a.size;
  const next: StoredAttachment = { ...a, status: ok ? 'verified' : 'mismatch', verifiedAt: nowIso(ctx.clock ?? systemClock), actualSha256: got.sha256, versionId: got.versionId };
  await commit(
    ctx,
    [
      {
        item: {
          Put: {
            TableName: tableName(),
            Item: { ...attachmentRecordKey(officerId, attachmentId), kind: 'attachment', record: next },
            ConditionExpression: '#r.#s = :pending',
            ExpressionAttributeNames: { '#r': 'record', '#s': 'status' },
            ExpressionAttributeValues: { ':pending': 'pending' },
          },
        },
        onConditionFailed: () => conflict('attachment.alreadyVerified', '附件已校验'),
      },
    ],
    [{ action: 'attachment.verify', objectType: 'attachment', objectId: attachmentId, objectAgencyId, outcome: ok ? 'allowed' : 'failed', reason: ok ? undefined : 'sha256 mismatch' }],
  );
  return next;
};

export const downloadUrl = (a: StoredAttachment) => (a.status === 'verified' ? presignGet(a.key, undefined, a.versionId) : Promise.resolve(undefined));
