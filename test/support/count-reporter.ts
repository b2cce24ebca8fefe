/**
 * Ends every run with the plain line CI reads: `N passed, N failed`. A failure is a failed test, a test file that
 * failed without a failed test of its own (it did not load, or a beforeAll/afterAll hook threw, so its tests never
 * ran or their outcome does not count), or an unhandled error. A run that vitest ends as failed never reads "0 failed".
 */
import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node';

export interface RunCounts {
  passed: number;
  failed: number;
}

export function countRun(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<unknown>, reason: TestRunEndReason): RunCounts {
  let passed = 0;
  let failed = unhandled.length;
  for (const m of modules) {
    let failedTests = 0;
    for (const t of m.children.allTests()) {
      const s = t.result().state;
      if (s === 'passed') passed++;
      else if (s === 'failed') failedTests++;
    }
    failed += failedTests;
    if (failedTests === 0 && (m.state() === 'failed' || m.errors().length > 0)) failed++;
  }
  if (reason === 'failed' && failed === 0) failed = 1;
  return { passed, failed };
}

export default class CountReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<unknown>, reason: TestRunEndReason): void {
    const { passed, failed } = countRun(modules, unhandled, reason);
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  }
}
