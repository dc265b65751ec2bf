import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // one in-memory DynamoDB Local + one s3rver per run, reached through inject() (test/support/platform.ts)
    globalSetup: ['test/support/global-setup.ts', 'test/support/console-build.ts'],
  },
});
