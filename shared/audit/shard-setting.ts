/**
 * How many audit hash chains an agency has (docs/scale.md): the setting lives beside the one writer
 * that pins and uses it (shared/adapters/dynamodb/audit-shards.ts); the audit area imports it from here.
 */
export * from '../adapters/dynamodb/audit-shards.ts';
