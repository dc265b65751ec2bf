/**
 * Verify hash chains from the command line, against the embedded platform or AWS:
 *
 *   npm run verify -- file <officerId>     # an officer file (一人一档)
 *   npm run verify -- audit <agencyId>     # every audit chain of an agency: all <agency>#0 … #<count-1> of its
 *                                          # stored shard count, which only grows (docs/scale.md)
 *
 * Against AWS: set TABLE_NAME, BUCKET_NAME and AWS_REGION (credentials from the usual chain).
 * Locally: with no TABLE_NAME it reads the endpoints `npm start` wrote to <DATA_DIR or .data>/platform.json.
 * Exit code 0 = intact, 1 = broken, 2 = usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChain } from '../../shared/archive/chain.ts';
import { readFileMeta, readWholeChain } from '../../shared/archive/file-store.ts';
import { verifyAgencyAudit } from '../../shared/audit/query.ts';

const [kind, id] = process.argv.slice(2);
if (!kind || !id || !['file', 'audit'].includes(kind)) {
  console.error('用法: npm run verify -- file <officerId> | audit <agencyId>');
  process.exit(2);
}
const platformFile = join(process.env.DATA_DIR ?? '.data', 'platform.json');
if (!process.env.TABLE_NAME && existsSync(platformFile)) {
  const p = JSON.parse(readFileSync(platformFile, 'utf8')) as Record<string, string>;
  Object.assign(process.env, {
    TABLE_NAME: p.tableName,
    BUCKET_NAME: p.bucketName,
    DYNAMODB_ENDPOINT: p.dynamoEndpoint,
    S3_ENDPOINT: p.s3Endpoint,
    AWS_REGION: p.region ?? 'cn-north-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  });
}

if (kind === 'file') {
  const [meta, chain] = await Promise.all([readFileMeta(id), readWholeChain(id)]);
  const r = verifyChain(chain.entries, meta ? { seq: meta.headSeq, hash: meta.headHash } : undefined);
  console.log(JSON.stringify({ officerId: id, ...r, dynamoRequests: chain.requests }, null, 2));
  console.log(r.ok ? `档案哈希链完整：${r.count} 条` : `档案哈希链被破坏：${r.problems.length} 处问题`);
  process.exit(r.ok ? 0 : 1);
} else {
  const r = await verifyAgencyAudit(id);
  console.log(JSON.stringify(r, null, 2));
  console.log(r.ok ? `审计哈希链完整：${r.shards} 条链` : `审计哈希链被破坏（共 ${r.shards} 条链）`);
  process.exit(r.ok ? 0 : 1);
}
