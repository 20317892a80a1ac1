import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    pool: 'forks',
    // Builds the CLI bundle when stale: the child-process CLI tests run what ships.
    globalSetup: ['test/cli/build-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
