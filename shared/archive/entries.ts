import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { commit, putVersioned, type AuditContext, type DomainWrite, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import type { Allowed } from '../access/gate.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, DomainError, notFound, requireVersion, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { ruleInForce } from '../rules/store.ts';
import { findAgency } from '../org/store.ts';
import type { ChainEntry } from './chain.ts';
import { entryTypeInfo, type DraftBody, type EntryType } from './entry-types.ts';
import { appendToChain, batchGetRecords, getChainEntry } from './file-store.ts';
import { attachmentRecordKey, draftKey, draftQueueIndex, draftQueuePartition, FILE_SK, filePartition } from '../adapters/dynamodb/keys/archive.ts';
import { nextState, type EntryEvent, type EntryState } from './workflow.ts';

/** An entry on its way into the file (A6). Mutable until archived; then the chain link is the record. */
export interface DraftEntry extends DraftBody {
  entryId: string;
  officerId: string;
  category: string;
  state: EntryState;
  version: number;
  agencyId: string;
  unitId?: string | undefined;
  handover?: Record<string, unknown> | undefined;
  conclusive?: boolean | undefined;
  ruleVersions: Record<string, string>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  archivedSeq?: number | undefined;
  history: { event: string; by: string; roles: string[]; at: string; comment?: string | undefined }[];
}

export interface Attachment {
  attachmentId: string;
  officerId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  key: string;
  status: 'pending' | 'verified' | 'mismatch';
  createdBy: string;
  createdAt: string;
  verifiedAt?: string | undefined;
  actualSha256?: string | undefined;
}

const now = (ctx: AuditContext) => nowIso(ctx.clock ?? systemClock);

const queueKeys = (d: DraftEntry) => (d.state === 'archived' || d.state === 'rejected' || d.state === 'draft' ? {} : draftQueueIndex(d));

const draftItem = (d: DraftEntry) => ({ ...draftKey(d.officerId, d.entryId), ...queueKeys(d), kind: 'draftEntry', record: d });

/** Put a draft, conditioned on the version we read (optimistic concurrency, 409 on conflict). */
const putDraft = (d: DraftEntry, expectedVersion: number | undefined): DomainWrite => putVersioned(draftItem(d), expectedVersion, () => conflict('entry.versionConflict', VERSION_CONFLICT));

const VERSION_CONFLICT = '条目已被他人修改，请刷新后重试（ETag 不匹配）';

export const readDraft = async (officerId: string, entryId: string): Promise<DraftEntry> => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: draftKey(officerId, entryId), ConsistentRead: true }));
  if (!r.Item) throw notFound('entry.notFound', '条目不存在');
  return r.Item.record as DraftEntry;
};

export const listDraftsOf = async (officerId: string, state?: EntryState) => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :d)',
      ExpressionAttributeValues: { ':p': filePartition(officerId), ':d': FILE_SK.draft, ...(state ? { ':s': state } : {}) },
      ...(state ? { FilterExpression: '#r.#s = :s', ExpressionAttributeNames: { '#r': 'record', '#s': 'state' } } : {}),
      ScanIndexForward: false,
    }),
  );
  return (r.Items ?? []).map((i) => i.record as DraftEntry);
};

export const unitQueue = async (agencyId: string, unitId: string, state: EntryState) => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': draftQueuePartition(agencyId, unitId, state) },
      Limit: 200,
    }),
  );
  return (r.Items ?? []).map((i) => i.record as DraftEntry);
};

const checkVersion = (d: DraftEntry, ifMatch: string | undefined) => requireVersion(d, ifMatch, 'entry.versionConflict', VERSION_CONFLICT);

const checkCorrects = async (officerId: string, corrects: number | undefined) => {
  if (corrects === undefined) return;
  if (!(await getChainEntry(officerId, corrects))) {
    throw validationError('entry.correctsUnknown', '被更正的条目不存在', [{ path: 'body.corrects', message: '档案中没有该序号的已归档条目' }]);
  }
};

export const createDraftEntry = async (
  ctx: AuditContext,
  gate: Allowed,
  body: DraftBody,
  opts: { handover?: Record<string, unknown>; idempotent?: Omit<IdempotentCreate, 'response'> },
): Promise<DraftEntry> => {
  await checkCorrects(gate.officer.officerId, body.corrects);
  const at = now(ctx);
  const info = entryTypeInfo(body.type as EntryType);
  const d: DraftEntry = {
    ...body,
    entryId: newId(),
    officerId: gate.officer.officerId,
    category: info.category,
    state: 'draft',
    version: 1,
    agencyId: gate.subject.custody.agencyId,
    unitId: gate.subject.custody.unitId,
    handover: opts.handover,
    ruleVersions: {},
    createdBy: ctx.principal.userId,
    createdAt: at,
    updatedAt: at,
    history: [{ event: opts.handover ? 'handover' : 'draft', by: ctx.principal.userId, roles: ctx.principal.roles, at }],
  };
  await commit(
    ctx,
    [putDraft(d, undefined)],
    [{ ...gate.auditBase, action: opts.handover ? 'entry.handover' : 'entry.draft', objectType: 'entry', objectId: d.entryId }],
    opts.idempotent ? { ...opts.idempotent, response: d } : undefined,
  );
  return d;
};

/**
 * An entry proposed by a process outcome (a substantiated complaint, a fault finding, a supervised
 * case closed): written in the same transaction as the process decision, already submitted, so it
 * enters the A6 workflow at the department head's review like any other entry.
 */
export const processDraftWrite = (
  officer: { officerId: string; agencyId: string; unitId?: string | undefined },
  body: DraftBody,
  by: { userId: string; roles: string[] },
  at: string,
  source: { processId: string; event: string },
): { draft: DraftEntry; write: DomainWrite } => {
  const info = entryTypeInfo(body.type);
  const d: DraftEntry = {
    ...body,
    entryId: newId(),
    officerId: officer.officerId,
    category: info.category,
    state: 'underReview',
    version: 1,
    agencyId: officer.agencyId,
    unitId: officer.unitId,
    ruleVersions: {},
    createdBy: by.userId,
    createdAt: at,
    updatedAt: at,
    history: [{ event: 'submit', by: by.userId, roles: by.roles, at, comment: `由流程 ${source.processId}（${source.event}）生成` }],
  };
  return { draft: d, write: putDraft(d, undefined) };
};

export const updateDraftEntry = async (ctx: AuditContext, gate: Allowed, entryId: string, body: DraftBody, ifMatch: string | undefined) => {
  const d = await readDraft(gate.officer.officerId, entryId);
  checkVersion(d, ifMatch);
  if (d.createdBy !== ctx.principal.userId) throw new DomainError('forbidden', 'entry.notAuthor', '只有起草人可以修改草稿');
  nextState(d.state, 'edit', false);
  await checkCorrects(gate.officer.officerId, body.corrects);
  const at = now(ctx);
  const next: DraftEntry = {
    ...d,
    summary: undefined,
    attachmentIds: undefined,
    corrects: undefined,
    ...body,
    category: entryTypeInfo(body.type as EntryType).category,
    version: d.version + 1,
    updatedAt: at,
    history: [...d.history, { event: 'edit', by: ctx.principal.userId, roles: ctx.principal.roles, at }],
  };
  await commit(ctx, [putDraft(next, d.version)], [{ ...gate.auditBase, action: 'entry.edit', objectType: 'entry', objectId: entryId }]);
  return next;
};

/**
 * submit / approve / reject / acknowledge. The A6 rule version in force decides whether the type is a
 * conclusive document (notified before entry) and is recorded on the entry.
 */
export const transitionDraft = async (ctx: AuditContext, gate: Allowed, entryId: string, event: Exclude<EntryEvent, 'edit' | 'archive'>, ifMatch: string | undefined, comment?: string) => {
  const d = await readDraft(gate.officer.officerId, entryId);
  checkVersion(d, ifMatch);
  if (event === 'submit' && d.createdBy !== ctx.principal.userId) throw new DomainError('forbidden', 'entry.notAuthor', '只有起草人可以提交审核');
  const agency = await findAgency(d.agencyId);
  const today = shanghaiDate((ctx.clock ?? systemClock).now());
  const a6 = await ruleInForce('A6', [d.agencyId, ...(agency?.ancestors ?? [])], today);
  const conclusive = a6.parameters.conclusiveEntryTypes.includes(d.type);
  const state = nextState(d.state, event, conclusive);
  const at = now(ctx);
  const next: DraftEntry = {
    ...d,
    state,
    version: d.version + 1,
    updatedAt: at,
    conclusive,
    ruleVersions: { ...d.ruleVersions, A6: a6.versionId },
    history: [...d.history, { event, by: ctx.principal.userId, roles: ctx.principal.roles, at, comment }],
  };
  await commit(ctx, [putDraft(next, d.version)], [{ ...gate.auditBase, action: `entry.${event}`, objectType: 'entry', objectId: entryId, reason: event === 'reject' ? comment : undefined }]);
  return next;
};

/** A6: the designated recorder enters the approved entry: it becomes a link of the chain, forever. */
export const archiveDraft = async (ctx: AuditContext, gate: Allowed, entryId: string, ifMatch: string | undefined) => {
  const d = await readDraft(gate.officer.officerId, entryId);
  checkVersion(d, ifMatch);
  const state = nextState(d.state, 'archive', d.conclusive ?? false);
  const attachments = await batchGetRecords<Attachment>((d.attachmentIds ?? []).map((a) => attachmentRecordKey(d.officerId, a)));
  const missing = (d.attachmentIds ?? []).filter((a) => !attachments.some((x) => x.attachmentId === a && x.status === 'verified'));
  if (missing.length) throw conflict('entry.attachmentNotVerified', '附件尚未上传或哈希校验未通过，不能归档', { attachmentIds: missing });
  const at = now(ctx);
  const { sealed } = await appendToChain(
    ctx,
    d.officerId,
    [
      {
        entryId: d.entryId,
        type: d.type,
        category: d.category,
        occurredOn: d.occurredOn,
        title: d.title,
        summary: d.summary,
        content: d.content,
        attachments: attachments.map((a) => ({ attachmentId: a.attachmentId, fileName: a.fileName, sha256: a.sha256, size: a.size })),
        corrects: d.corrects,
        handover: d.handover,
        workflow: { history: [...d.history, { event: 'archive', by: ctx.principal.userId, roles: ctx.principal.roles, at }], ruleVersions: d.ruleVersions, conclusive: d.conclusive ?? false },
        custody: { agencyId: gate.subject.custody.agencyId, unitId: gate.subject.custody.unitId, holder: gate.subject.custody.holder },
        archivedAt: at,
        archivedBy: ctx.principal.userId,
      } as Omit<ChainEntry, 'prevHash' | 'seq' | 'officerId' | 'hash'>,
    ],
    (links) => {
      const next: DraftEntry = {
        ...d,
        state,
        version: d.version + 1,
        updatedAt: at,
        archivedSeq: links[0]!.seq,
        history: [...d.history, { event: 'archive', by: ctx.principal.userId, roles: ctx.principal.roles, at }],
      };
      return {
        writes: [putDraft(next, d.version)],
        audit: [{ ...gate.auditBase, action: 'entry.archive', objectType: 'entry', objectId: d.entryId, reason: `seq ${links[0]!.seq}` }],
      };
    },
  );
  return sealed[0]!;
};
