import { describe, expect, it } from 'vitest';
import { csvField, escapeHtml, escapeMarkdown, escapeXml, jsonForScript } from '../../reports/escape.ts';

describe('bidirectional controls in cloud-supplied strings', () => {
  it('become a visible marker in every human-readable output, so they cannot reorder what a reader sees', () => {
    const name = 'invoice\u202Egnp.exe\u2066x\u2069';
    for (const out of [escapeHtml(name), escapeXml(name), escapeMarkdown(name), csvField(name), jsonForScript({ name })]) {
      expect(out).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    }
    for (const out of [escapeHtml(name), escapeXml(name), csvField(name)]) expect(out).toBe('invoice[U+202E]gnp.exe[U+2066]x[U+2069]');
    // Markdown escapes the brackets, which still render as [U+202E].
    expect(escapeMarkdown(name)).toBe('invoice\\[U+202E\\]gnp.exe\\[U+2066\\]x\\[U+2069\\]');
    expect(JSON.parse(jsonForScript({ name })).name).toBe('invoice[U+202E]gnp.exe[U+2066]x[U+2069]');
  });
});
