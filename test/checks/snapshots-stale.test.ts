import check from '../../checks/snapshots-stale.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

runCheckCases(check, {
  pass: [
    { name: 'recent', input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: '2026-10-01T00:00:00Z' })] }) },
    { name: 'exactly at the limit', input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: '2026-05-30T00:00:00Z' })] }) },
    { name: 'creation time unknown', input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: null })] }) },
  ],
  fail: [
    {
      name: 'older than 180 days',
      input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: '2025-01-01T00:00:00Z' })] }),
      expect: [{ message: /694 days old \(limit 180\)/ }],
    },
  ],
});
