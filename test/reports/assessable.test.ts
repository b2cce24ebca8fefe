/**
 * A check is "could not assess" in a scope only when a gap hides what it reads. Every adapter gates the refined
 * needs separately, so a gap in the exposure reads (sharing) or the creator lookup (creators) hides the checks that
 * read them and not a check that reads the listing alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../checks/index.ts';
import { checkAssessable } from '../../reports/view-model.ts';
import type { Part, ScanResult, ScopeResult } from '../../src/core/model/result.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8')) as ScanResult;

function withGap(part: Part): ScopeResult {
  const s = structuredClone(fixture.scopes[0] as ScopeResult);
  s.coverage.status = 'partial';
  s.coverage.gaps = [{ code: 'access_denied', part, operation: 'x:Read', region: null, message: 'denied' }];
  return s;
}

describe('which checks a gap hides', () => {
  it.each([
    {
      part: 'sharing',
      hidden: ['snapshots.public', 'snapshots.shared-outside-org'],
      shown: ['snapshots.stale', 'snapshots.unapproved-creator'],
    },
    { part: 'creators', hidden: ['snapshots.unapproved-creator', 'snapshots.no-owner'], shown: ['snapshots.stale', 'snapshots.public'] },
    { part: 'snapshots', hidden: ['snapshots.stale', 'snapshots.public'], shown: ['logging.retention'] },
  ] as Array<{ part: Part; hidden: string[]; shown: string[] }>)('a $part gap', ({ part, hidden, shown }) => {
    const scope = withGap(part);
    for (const id of hidden) expect(checkAssessable(scope, id, catalogue), id).toMatchObject({ assessable: false });
    for (const id of shown) expect(checkAssessable(scope, id, catalogue), id).toEqual({ assessable: true, why: null });
  });
});
