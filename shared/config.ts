/**
 * Configuration is read once at start-up and fails fast when a variable is missing (docs/architecture.md §12).
 * The same variables drive Lambda (set by CDK) and the embedded platform (set by infra/local).
 */
export interface Config {
  tableName: string;
  bucketName: string;
  region: string;
  /** embedded platform only: DynamoDB Local / s3rver endpoints */
  dynamoEndpoint?: string | undefined;
  s3Endpoint?: string | undefined;
  /** number of independent audit hash chains per agency (write concurrency; see shared/audit) */
  auditShards: number;
  /**
   * the most audit records one audit query reads while filling its page (DynamoDB applies Limit
   * before the filter); past it the page ends early with a cursor (shared/audit/query.ts)
   */
  auditQueryBudget: number;
}

const required = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`missing environment variable ${name}`);
  return v;
};

let cached: Config | undefined;
export const config = (): Config => {
  cached ??= {
    tableName: required('TABLE_NAME'),
    bucketName: required('BUCKET_NAME'),
    region: process.env.AWS_REGION ?? 'cn-north-1',
    dynamoEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    s3Endpoint: process.env.S3_ENDPOINT || undefined,
    auditShards: Number(process.env.AUDIT_SHARDS ?? '4'),
    auditQueryBudget: Math.max(1, Math.floor(Number(process.env.AUDIT_QUERY_BUDGET ?? '10000')) || 10_000),
  };
  return cached;
};

/** tests and the embedded platform switch environments in one process */
export const resetConfig = () => {
  cached = undefined;
};
