/**
 * What a scan holds until its end (each scope's part of the provider's after-all-scopes step) is stored with its
 * equal parts once (issue #23: the parts of thousands of AWS accounts within the memory budget). What a user would
 * notice: the same values — so the same cross-account grants — in less memory.
 */
import { describe, expect, it } from 'vitest';
import { shareEqual } from '../../src/engine/share-equal.ts';

const step = (id: string) => ({ kind: 'principal', id, label: id.split('/').at(-1) });

describe('shareEqual', () => {
  it('returns a value equal to its input, as JSON, whatever its shape', () => {
    const value = {
      accountId: '111111111111',
      n: [1, 2.5, -0, null, true, false, 'x'],
      nested: { 'a "quoted" key': { '': [[], {}] }, unicode: 'é漢😀', escapes: '\\"\n' },
      grants: [1, 2, 3].map((i) => ({
        action: `ec2:Action${i}`,
        path: [step('arn:aws:iam::111111111111:role/r'), { kind: 'policy', id: 'p' }],
      })),
    };
    const shared = shareEqual(value);
    expect(JSON.stringify(shared)).toBe(JSON.stringify(value));
    expect(shared).toEqual(value);
  });

  it('stores each equal object, array and string once: later occurrences are the first one', () => {
    const value = {
      a: [step('arn:aws:iam::111111111111:role/r'), ['x', 'y']],
      b: [step('arn:aws:iam::111111111111:role/r'), ['x', 'y']],
      c: step('arn:aws:iam::111111111111:role/other'),
    };
    const shared = shareEqual(value);
    expect(shared.b[0]).toBe(shared.a[0]);
    expect(shared.b[1]).toBe(shared.a[1]);
    expect(shared.c).not.toBe(shared.a[0]);
    // the input is left as it was
    expect(value.b[0]).not.toBe(value.a[0]);
  });

  it('does not take objects equal in content but not in key order, or in value types, for one another', () => {
    const shared = shareEqual({ a: { x: 1, y: 2 }, b: { y: 2, x: 1 }, c: ['1'], d: [1] });
    expect(shared.b).not.toBe(shared.a);
    expect(Object.keys(shared.b)).toEqual(['y', 'x']);
    expect(shared.d).not.toBe(shared.c);
    expect(shared.d).toEqual([1]);
  });

  it('drops properties that are undefined, as JSON does, and leaves values with toJSON as they are', () => {
    const at = new Date('2026-11-26T00:00:00Z');
    const shared = shareEqual({ kept: 1, gone: undefined, at, list: [undefined] });
    expect('gone' in shared).toBe(false);
    expect(shared.at).toBe(at);
    expect(shared.list).toEqual([null]);
  });
});
