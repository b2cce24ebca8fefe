import check from '../../checks/snapshots-stale.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

runCheckCases(check, {
  pass: [
    { name: 'recent', input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: '2026-10-01T00:00:00Z' })] }) },
    { name: 'exactly at the limit', input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: '2026-05-30T00:00:00Z' })] }) },
    {
      name: 'within a configured limit',
      input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: '2025-01-01T00:00:00Z' })] }),
      options: { maxAgeDays: 1000 },
    },
    { name: 'creation time unknown', input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: null })] }) },
  ],
  fail: [
    {
      name: 'older than 180 days',
      input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: '2025-01-01T00:00:00Z' })] }),
      expect: [
        {
          severity: 'low',
          messageId: 'tooOld',
          evidence: { snapshot: 'snap', region: 'us-east-1', ageDays: 694, createdAt: '2025-01-01T00:00:00Z', limitDays: 180 },
        },
      ],
    },
    {
      name: 'older than a configured limit',
      input: makeScopeInput({ snapshots: [makeSnapshot({ createdAt: '2026-10-01T00:00:00Z' })] }),
      options: { maxAgeDays: 30 },
      expect: [{ messageId: 'tooOld', evidence: { ageDays: 56, limitDays: 30 } }],
    },
  ],
});
