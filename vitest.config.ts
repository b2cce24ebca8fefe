import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each run gets its own TMPDIR; the run fails when a test leaves anything in it (test/support/temp-check.ts).
    globalSetup: ['test/support/temp-check.ts'],
    setupFiles: ['test/support/temp-cleanup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/count-reporter.ts'],
  },
});
