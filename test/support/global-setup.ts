import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../infra/local/dynamodb.ts';
import { startS3Local } from '../../infra/local/s3.ts';

/**
 * vitest globalSetup: ONE in-memory DynamoDB Local and ONE s3rver (temporary folder) per test run,
 * on free loopback ports, shared by every test file (docs/architecture.md §13). Test files reach them through
 * `inject(...)` — use the helpers of test/support/platform.ts (`freshTable()` etc.). Both stop, and
 * the folder is removed, in the teardown.
 *
 * S3 events are not wired here: s3rver runs in vitest's main process, the handlers in the test
 * workers. Integration tests of the ingest call the handler with `objectCreatedEvent(...)`.
 */
export const TEST_BUCKET = 'evidence-test';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local of this test run (in memory) */
    dynamoEndpoint: string;
    /** s3rver of this test run */
    s3Endpoint: string;
    /** a bucket that exists on s3Endpoint */
    testBucket: string;
    /** s3rver's data folder: what lies below the S3 API (bit rot, a write behind S3's back; test/support/s3-storage.ts) */
    s3Directory: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'archive-test-s3-'));
  const dynamo = await startDynamoLocal({});
  let s3: Awaited<ReturnType<typeof startS3Local>> | undefined;
  try {
    s3 = await startS3Local({ directory: dir, buckets: [{ name: TEST_BUCKET }] });
  } catch (e) {
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('testBucket', TEST_BUCKET);
  project.provide('s3Directory', dir);
  const started = s3;
  return async () => {
    await started.stop().catch(() => {});
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
