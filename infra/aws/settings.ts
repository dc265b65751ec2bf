import type { Node } from 'constructs';

/**
 * Deployment settings, read once from CDK context (cdk.json, or `-c key=value` on the command
 * line). Everything has a default so `cdk synth` runs offline with no account and no credentials;
 * a real deployment passes its own account and region.
 *
 * | context key          | default        | what it is                                                     |
 * |----------------------|----------------|----------------------------------------------------------------|
 * | account              | 111122223333   | target account (a placeholder is enough to synthesize)         |
 * | region               | ap-east-1      | one region, or several comma-separated (one stack per region)  |
 * | logLevel             | INFO           | LOG_LEVEL of every function (Powertools Logger)                |
 * | auditShards          | (unset)        | AUDIT_SHARDS: audit hash chains per agency (shared/config.ts)  |
 * | apiRateLimit         | 50             | $default stage steady-state requests per second                |
 * | apiBurstLimit        | 100            | $default stage burst                                           |
 * | reservedConcurrency  | 10             | reserved concurrent executions per function                    |
 * | allowedOrigins       | (none)         | extra comma-separated origins for CORS on the API (the console's own origin is always allowed; the evidence bucket admits the console only) |
 * | evidenceBucketName   | enforcement-archive-evidence-<account>-<region>                 |
 * | smsEnabled           | true in aws, false in aws-cn | deadline notifications by SMS (SNS publish to a phone number) |
 * | emailFrom            | (none = off)   | sender address of deadline notification e-mail (SES v2)        |
 *
 * The in-app inbox always works; SMS and e-mail are extra channels (docs/architecture.md §10). Neither SNS SMS
 * nor SES is offered in the aws-cn partition, so there SMS defaults to off and asking for either
 * fails the synthesis (infra/aws/process-jobs.ts, notificationChannels).
 */
export interface Settings {
  account: string;
  regions: string[];
  logLevel: string;
  auditShards?: string | undefined;
  apiRateLimit: number;
  apiBurstLimit: number;
  reservedConcurrency: number;
  allowedOrigins: string[];
  evidenceBucketName?: string | undefined;
  /** SMS notifications; undefined = what the partition offers (infra/aws/process-jobs.ts) */
  smsEnabled?: boolean | undefined;
  /** sender of notification e-mail, a verified SES identity (the address or its domain); undefined = no e-mail */
  emailFrom?: string | undefined;
}

const text = (node: Node, key: string): string | undefined => {
  const v: unknown = node.tryGetContext(key);
  if (v === undefined || v === null || v === '') return undefined;
  return String(v).trim();
};

const list = (node: Node, key: string): string[] =>
  (text(node, key) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const flag = (node: Node, key: string): boolean | undefined => {
  const raw = text(node, key);
  if (raw === undefined) return undefined;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new Error(`context ${key} must be true or false, got "${raw}"`);
};

const positive = (node: Node, key: string, fallback: number): number => {
  const raw = text(node, key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`context ${key} must be a positive integer, got "${raw}"`);
  return n;
};

export const settingsFrom = (node: Node): Settings => {
  const account = text(node, 'account') ?? '111122223333';
  if (!/^\d{12}$/.test(account)) throw new Error(`context account must be 12 digits, got "${account}"`);
  const regions = list(node, 'region');
  const evidenceBucketName = text(node, 'evidenceBucketName');
  if (evidenceBucketName !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(evidenceBucketName)) {
    throw new Error(`context evidenceBucketName is not a valid S3 bucket name: "${evidenceBucketName}"`);
  }
  const emailFrom = text(node, 'emailFrom');
  if (emailFrom !== undefined && !/^[^\s@<>"]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(emailFrom)) {
    throw new Error(`context emailFrom must be a plain e-mail address (name@domain), got "${emailFrom}"`);
  }
  const auditShards = text(node, 'auditShards');
  if (auditShards !== undefined) positive(node, 'auditShards', 1);
  return {
    account,
    regions: regions.length > 0 ? regions : ['ap-east-1'],
    logLevel: (text(node, 'logLevel') ?? 'INFO').toUpperCase(),
    auditShards,
    apiRateLimit: positive(node, 'apiRateLimit', 50),
    apiBurstLimit: positive(node, 'apiBurstLimit', 100),
    reservedConcurrency: positive(node, 'reservedConcurrency', 10),
    allowedOrigins: list(node, 'allowedOrigins'),
    evidenceBucketName,
    smsEnabled: flag(node, 'smsEnabled'),
    emailFrom,
  };
};
