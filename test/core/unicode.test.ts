import { describe, expect, it } from 'vitest';
import { clip, displayText, markInvisible, oneLine, wellFormed, wellFormedDeep } from '../../src/core/unicode.ts';

describe('unicode hygiene', () => {
  it('replaces lone surrogates by U+FFFD and keeps pairs', () => {
    expect(wellFormed('a\ud800b\udc00c')).toBe('a\uFFFDb\uFFFDc');
    expect(wellFormed('emoji 😀')).toBe('emoji 😀');
  });

  it('deep: fixes strings and keys anywhere, and returns clean values as they are', () => {
    const clean = { a: ['x', { b: 'y' }], n: 1, z: null };
    expect(wellFormedDeep(clean)).toBe(clean);
    const dirty = { a: ['x', { 'k\ud800': 'v\udc00' }], keep: { same: 'ok' } };
    const fixed = wellFormedDeep(dirty);
    expect(fixed).toEqual({ a: ['x', { 'k\uFFFD': 'v\uFFFD' }], keep: { same: 'ok' } });
    expect(fixed.keep).toBe(dirty.keep);
    expect(dirty.a[1]).toEqual({ 'k\ud800': 'v\udc00' });
    expect(JSON.stringify(fixed).isWellFormed()).toBe(true);
  });

  it('display text: controls become U+FFFD, invisible format characters visible markers', () => {
    expect(displayText('a\u0000b\u001bc\u009bd\uFFFEe')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(markInvisible('\u202Egnp.exe zero\u200bwidth tag\u{E0041}')).toBe('[U+202E]gnp.exe zero[U+200B]width tag[U+E0041]');
    expect(oneLine('a\nb\r\nc\u2028d\te')).toBe('a b c d e');
  });

  it('clips without cutting a surrogate pair', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('ab😀cd', 5)).toBe('ab😀…');
    expect(clip('abc', 3)).toBe('abc');
  });
});
