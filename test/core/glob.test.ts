import { describe, expect, it } from 'vitest';
import { globMatch, matchGlob, parseGlob } from '../../src/core/glob.ts';

describe('glob matcher', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything at all', true],
    ['eu-*', 'EU-west-1', true],
    ['eu-*', 'us-east-1', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*.public', 'snapshots.public', true],
    ['a*', 'a\nb', true],
    ['', '', true],
    ['', 'x', false],
    ['**x', 'x', true],
    ['*a*a*a*a*b', `${'a'.repeat(256)}b`, true],
    ['arn:aws:iam::*:role/backup-*', 'arn:aws:iam::123456789012:role/backup-daily', true],
    ['😀?', '😀é', true],
  ])('%j matches %j: %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });

  it('costs at most (value length + 1) × (pattern tokens + 1) steps, whatever the input: no backtracking', () => {
    const hostile = ['*a*a*a*a*b', '*a*a*a*a*a*a*a*a*a*a*a*a*b', '?*?*?*?*?*?*!', '*'.repeat(40)];
    for (const pattern of hostile) {
      const tokens = parseGlob(pattern);
      for (const n of [256, 4096]) {
        const steps = { count: 0 };
        expect(matchGlob(tokens, 'a'.repeat(n), { steps })).toBe(pattern === '*'.repeat(40));
        expect(steps.count, `${pattern} on ${n}`).toBeLessThanOrEqual((n + 1) * (tokens.length + 1));
      }
    }
    // The regex this replaced explored every split of the value among the stars; here each further character costs
    // the same, so 512 more characters cost exactly twice what 256 more do.
    const at = (n: number) => {
      const steps = { count: 0 };
      matchGlob(parseGlob('*a*a*a*a*b'), 'a'.repeat(n), { steps });
      return steps.count;
    };
    expect(at(1024) - at(512)).toBe(2 * (at(512) - at(256)));
  });

  it('options: a separator no wildcard crosses, literal ?, backslash escapes, case', () => {
    const perm = (p: string, v: string) => matchGlob(parseGlob(p, { question: false }), v, { separator: '/' });
    expect(perm('compute.googleapis.com/snapshots.*', 'compute.googleapis.com/snapshots.create')).toBe(true);
    expect(perm('compute.*', 'compute.googleapis.com/snapshots.create')).toBe(false);
    expect(matchGlob(parseGlob('a?', { question: false }), 'ab')).toBe(false);
    expect(matchGlob(parseGlob('a?', { question: false }), 'a?')).toBe(true);
    expect(matchGlob(parseGlob('a\\*b*', { escape: true }), 'a*bcd')).toBe(true);
    expect(matchGlob(parseGlob('a\\*b', { escape: true }), 'axb')).toBe(false);
    expect(matchGlob(parseGlob('ABC'), 'abc')).toBe(false);
    expect(matchGlob(parseGlob('ABC'), 'abc', { ignoreCase: true })).toBe(true);
  });
});
