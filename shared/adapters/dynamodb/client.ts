import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from '../../config.ts';
import { validationError } from '../../kernel/errors.ts';

/** Module-level singleton, built once per execution environment (docs/architecture.md §12). */
let doc: DynamoDBDocumentClient | undefined;
let builtFor: string | undefined;

export const documentClient = (): DynamoDBDocumentClient => {
  const c = config();
  const key = `${c.region}|${c.dynamoEndpoint ?? ''}`;
  if (!doc || builtFor !== key) {
    const client = new DynamoDBClient({
      region: c.region,
      ...(c.dynamoEndpoint ? { endpoint: c.dynamoEndpoint } : {}),
      maxAttempts: 4,
    });
    doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
    builtFor = key;
  }
  return doc;
};

export const tableName = () => config().tableName;

export const isConditionalCheckFailed = (e: unknown) => (e as { name?: string })?.name === 'ConditionalCheckFailedException';

/** For a TransactionCanceledException, the per-item reason codes in request order. */
export const cancellationCodes = (e: unknown): string[] | undefined => {
  const err = e as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (err?.name !== 'TransactionCanceledException') return undefined;
  return (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
};

/** Cursor for paginated queries: the LastEvaluatedKey, base64url JSON. Opaque to clients. */
export const encodeCursor = (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);

/**
 * Decode a client's cursor, accepting only the key attributes of the index being queried and the
 * partition being read: a forged or stale cursor is a 400, never a DynamoDB ValidationException.
 */
export const decodeCursor = (cursor: string | undefined, expected: { partition: [name: string, value: string]; keys: readonly string[] }): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  const ok =
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.keys(v).length === expected.keys.length &&
    expected.keys.every((k) => typeof (v as Record<string, unknown>)[k] === 'string' && ((v as Record<string, string>)[k] as string).length <= 1024) &&
    (v as Record<string, unknown>)[expected.partition[0]] === expected.partition[1];
  if (!ok) throw validationError('request.cursor', '分页游标无效或已过期，请从第一页重新查询', [{ path: 'query.cursor', message: '游标无效' }]);
  return v as Record<string, unknown>;
};

/**
 * A Query that may start from a client's cursor. A cursor can be well-formed and still name a start
 * key DynamoDB refuses (empty values, outside the key range): that is the client's error, a 400.
 */
export const queryFromCursor = async (input: QueryCommandInput) => {
  try {
    return await documentClient().send(new QueryCommand(input));
  } catch (e) {
    if (input.ExclusiveStartKey && (e as { name?: string }).name === 'ValidationException') {
      throw validationError('request.cursor', '分页游标无效或已过期，请从第一页重新查询', [{ path: 'query.cursor', message: '游标无效' }]);
    }
    throw e;
  }
};

/** Every item of a Query, following LastEvaluatedKey (for partitions known to stay small). */
export const queryAll = async <T>(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>, map: (item: Record<string, unknown>) => T): Promise<T[]> => {
  const out: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    out.push(...(r.Items ?? []).map(map));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};
