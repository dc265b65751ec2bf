import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../../config.ts';

/** Module-level singleton, built once per execution environment (STYLE.md). */
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
export const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

export const decodeCursor = (cursor: string | undefined): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) {
      return v as Record<string, unknown>;
    }
  } catch {
    /* fall through */
  }
  return undefined;
};

export const pad = (n: number, width = 10) => String(n).padStart(width, '0');
