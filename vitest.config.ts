import { defineConfig } from 'vitest/config';

/**
 * The package test packs, installs and runs the whole package: heavy on CPU and disk, so it never runs beside other
 * test files (vitest runs groups of a different sequence.groupOrder one after the other).
 */
const alone = ['test/package/package.test.ts'];

export default defineConfig({
  test: {
    // Each run gets its own TMPDIR; the run fails when a test leaves anything in it (test/support/temp-check.ts).
    globalSetup: ['test/support/temp-check.ts'],
    setupFiles: ['test/support/temp-cleanup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/count-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: alone, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'package', include: alone, sequence: { groupOrder: 1 } } },
    ],
  },
});
