/**
 * Mitigation priorities lead with what matters (issue #21 point 1): the demo ranked 27 medium "principals able to
 * snapshot" (score 108) and 20 medium broad grants (80) above 4 critical public snapshots (64). Severity decides
 * first, then how many findings; each entry says why it sits where it does.
 */
import { describe, expect, it } from 'vitest';
import { rankMitigations } from '../../reports/view-model.ts';

const item = (checkId: string, severity: 'critical' | 'high' | 'medium' | 'low', count: number, score: number) => ({
  checkId,
  title: checkId,
  remediation: '',
  rationale: '',
  severity,
  count,
  score,
  scopes: 1,
  counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0, [severity]: count },
});

describe('mitigation priorities', () => {
  const ranked = rankMitigations([
    item('permissions.snapshot-capable-principal', 'medium', 27, 108),
    item('permissions.broad-grant', 'medium', 20, 80),
    item('snapshots.public', 'critical', 4, 64),
    item('permissions.external-path', 'high', 3, 24),
    item('snapshots.shared-outside-org', 'high', 3, 24),
  ]);

  it('puts critical exposure before a crowd of medium findings, then orders by count', () => {
    expect(ranked.map((m) => m.checkId)).toEqual([
      'snapshots.public',
      'permissions.external-path',
      'snapshots.shared-outside-org',
      'permissions.snapshot-capable-principal',
      'permissions.broad-grant',
    ]);
  });

  it('says why each entry is where it is', () => {
    expect(ranked.map((m) => m.why)).toEqual([
      'first: its most severe open finding is critical, the highest of any check (4 open findings)',
      'its most severe open finding is high, below the critical entries above (3 open findings)',
      'high with as many findings as the entry above (3 open findings); ordered by check id',
      'its most severe open finding is medium, below the high entries above (27 open findings)',
      'medium like the entry above, with fewer findings (20 open findings)',
    ]);
  });
});
