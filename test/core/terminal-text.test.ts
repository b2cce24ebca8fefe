import { describe, expect, it } from 'vitest';
import { terminalSafeIo, type CliIo } from '../../src/cli/io.ts';
import { terminalField, terminalText } from '../../src/core/terminal-text.ts';
import { INVISIBLE, RAW_TERMINAL_CONTROL, SURROGATES, TERMINAL } from '../support/hostile.ts';

describe('terminal text', () => {
  it('shows every control, escape sequence, bidi and zero-width character as a visible \\uXXXX escape', () => {
    for (const s of [...TERMINAL, ...INVISIBLE]) {
      const out = terminalText(s);
      expect(out, JSON.stringify(s)).not.toMatch(RAW_TERMINAL_CONTROL);
      expect(out).not.toContain('\u001b');
    }
    expect(terminalText('\u001b[2J')).toBe('\\u001B[2J');
    expect(terminalText('\u001b]8;;https://evil.example/\u0007click')).toBe('\\u001B]8;;https://evil.example/\\u0007click');
    expect(terminalText('\u009b31m')).toBe('\\u009B31m');
    expect(terminalText('\u202Egnp.exe')).toBe('\\u202Egnp.exe');
    expect(terminalText('tag\u{E0041}')).toBe('tag\\uDB40\\uDC41');
  });

  it('keeps line feeds and tabs in whole output, and escapes them inside one field', () => {
    expect(terminalText('a\n\tb\r\n')).toBe('a\n\tb\\u000D\n');
    expect(terminalField('owner\n  FAKE LINE\tx')).toBe('owner\\u000A  FAKE LINE\\u0009x');
  });

  it('writes lone surrogates as U+FFFD', () => {
    for (const s of SURROGATES) expect(terminalText(s).isWellFormed()).toBe(true);
    expect(terminalText('a\ud800b')).toBe('a\uFFFDb');
  });

  it('leaves JSON printed to a terminal valid and equal to what it encoded', () => {
    const value = { names: [...TERMINAL, ...INVISIBLE], note: 'plain' };
    const printed = terminalText(JSON.stringify(value, null, 2));
    expect(printed).not.toMatch(RAW_TERMINAL_CONTROL);
    expect(JSON.parse(printed)).toEqual(value);
  });

  it('the io every command writes through escapes stdout and stderr; only redraw sends a control sequence of its own', () => {
    const out: string[] = [];
    const err: string[] = [];
    const raw: CliIo = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), isTTY: true, cwd: '/', env: {} };
    const io = terminalSafeIo(raw);
    io.stdout('name \u001b[31mred\u001b[0m\n');
    io.stderr('\u0007bell\n');
    io.redraw?.('3/4 scopes \u001b[2J');
    expect(out.join('')).toBe('name \\u001B[31mred\\u001B[0m\n');
    expect(err[0]).toBe('\\u0007bell\n');
    expect(err[1]).toBe('\r\u001b[K3/4 scopes \\u001B[2J');
    expect(terminalSafeIo(io)).toBe(io);
  });
});
