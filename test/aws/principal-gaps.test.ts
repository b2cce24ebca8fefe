/** What the policy evaluator could not read is a coverage gap, not a silently smaller answer. */
import { describe, expect, it } from 'vitest';
import { evaluateAccount } from '../../providers/aws/evaluator.ts';
import { scanAws } from './support.ts';

describe('who-can gaps', () => {
  it('a managed policy missing from the authorization details makes the principals part a gap', async () => {
    const { result } = await scanAws('demo', {
      // As when IAM leaves AWS managed policies out of the details: the attachments stay, the documents go.
      evaluate: (input) =>
        evaluateAccount({
          ...input,
          details: { ...input.details, Policies: (input.details.Policies ?? []).filter((p) => p.Arn?.includes(':aws:policy/') !== true) },
        }),
    });
    const affected = result.scopes.filter((s) => s.coverage.gaps.some((g) => g.part === 'principals'));
    expect(affected.length).toBeGreaterThan(0);
    for (const s of affected) {
      expect(s.coverage.status).toBe('partial');
      expect(s.coverage.gaps.filter((g) => g.part === 'principals')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'not_found', message: expect.stringMatching(/arn:aws:iam::aws:policy\/\w+/) }),
        ]),
      );
      expect(s.findings.map((f) => f.checkId)).toContain('coverage.scope-unreadable');
    }
  });
});
