/**
 * Hostile text, by class: what an attacker who can name a snapshot, tag a resource or set a display name would write.
 * The hostile-estate suite and the unit tests of every escaper share these.
 */

/** Terminal control: colours, cursor movement, clear-screen, OSC 8 hyperlinks, window title, BEL, C1 CSI. */
export const TERMINAL = [
  '\u001b[31mred\u001b[0m',
  '\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007',
  '\u001b[2J\u001b[H',
  '\u001b]0;owned\u0007',
  'bell\u0007',
  '\u009b31mc1-csi',
  'back\bspace',
  'del\u007f',
  'cr\roverwrite',
];

/** Bidirectional, zero-width and tag characters: text that reads differently from what it is. */
export const INVISIBLE = ['\u202Egnp.exe', 'zero\u200bwidth', 'iso\u2066late\u2069', 'tag\u{E0041}\u{E0042}', 'bom\ufeff'];

/** Markup, links, mentions and structure for Markdown, Jira wiki and ticket systems. */
export const MARKUP = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[link](javascript:alert(1))',
  '![pixel](https://evil.example/p.png)',
  'see https://evil.example/login and www.evil.example',
  'mail alice@evil.example or mailto:bob@evil.example',
  '@channel @org/team',
  'fixes #1 and GH-2',
  'owner\n- injected item\n# injected heading\n| a | b |',
  '**bold** _it_ ~~s~~ `code` ```fence```',
  '{code}x{code} [~admin] !image.png! h1. big (y) :)',
  '[code]<b>html</b>[/code]',
];

/** Spreadsheet formulas, after the OWASP CSV-injection guidance. */
export const FORMULAS = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', ' =1+1', ';=1+1', '＝1+1', 'a;=1+1'];

/** Lone UTF-16 surrogates (not encodable as UTF-8). */
export const SURROGATES = ['lone\ud800high', 'lone\udc00low'];

export const ALL = [...TERMINAL, ...INVISIBLE, ...MARKUP, ...FORMULAS, ...SURROGATES];

/**
 * Raw characters no document may carry: C0 and C1 controls (but tab, line feed and carriage return, which HTML and
 * CSV carry as whitespace and line ends), bidi, zero-width and tag characters.
 */
export const RAW_DOCUMENT_CONTROL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/;

/** Raw characters no terminal output may carry (everything but line feed and tab). */
export const RAW_TERMINAL_CONTROL =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/;
