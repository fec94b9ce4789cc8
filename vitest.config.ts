import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration tests start real servers; give them room, and run files in a few forks only
    // (2 cores on CI).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './tests/rig/summary-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
