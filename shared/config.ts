/**
 * Configuration is read once at start-up and fails fast when a variable is missing (STYLE.md).
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
  };
  return cached;
};

/** tests and the embedded platform switch environments in one process */
export const resetConfig = () => {
  cached = undefined;
};
