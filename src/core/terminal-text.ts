/**
 * Text for a terminal. A cloud name can carry ESC and CSI sequences (colours, cursor movement, clear-screen), OSC
 * sequences (OSC 8 hyperlinks, window titles, clipboard writes), BEL, C1 controls and bidirectional or zero-width
 * characters: printed raw, the terminal acts on them. Here every such character is shown as a visible `\uXXXX`
 * escape instead — which is also the JSON escape for it, so JSON printed to a terminal stays valid and means the same.
 */

/** Controls (Cc: C0, DEL, C1), format characters (Cf), line/paragraph separators and lone surrogates (Cs). */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]|\p{Cs}/gu;

function escapeUnits(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
  return out;
}

function escapeFor(keep: string) {
  return (c: string) => {
    if (keep.includes(c)) return c;
    // A lone surrogate cannot be written as UTF-8: it becomes the replacement character.
    if (c.length === 1 && c >= '\uD800' && c <= '\uDFFF') return '\uFFFD';
    return escapeUnits(c);
  };
}

const keepLines = escapeFor('\n\t');
const keepNothing = escapeFor('');

/** Whole output for a terminal: line feeds and tabs stay, every other control is shown as an escape. */
export function terminalText(s: string): string {
  return s.replace(UNSAFE, keepLines);
}

/**
 * One value inside a line of terminal output (a name, an owner, an error message): line feeds and tabs are escaped
 * too, so a value can never start a line of its own that looks like the program's.
 */
export function terminalField(value: unknown): string {
  return String(value ?? '').replace(UNSAFE, keepNothing);
}
