/**
 * Defanging: cloud text keeps every character a reader needs, yet no renderer, mail client or chat tool can turn it
 * into a link, an e-mail link or a mention. `https://evil.example/x` becomes `hxxps://evil[.]example/x`,
 * `www.evil.example` becomes `www[.]evil[.]example`, `alice@evil.example` becomes `alice@evil[.]example`,
 * `mailto:` becomes `mailto[:]`, a mention `@team` becomes `[@]team` and an issue reference `#12` becomes `[#]12`.
 * The bracket convention is the one threat-intelligence reports use for indicators.
 *
 * Every pattern starts at a position a lookbehind pins to the start of a run, so the work stays linear in the
 * length of the text whatever the text is.
 */

/** Schemes GFM, Jira and mail clients turn into links without `://` (GFM's extended protocol autolinks and more). */
const LINKY_SCHEMES = ['mailto', 'xmpp', 'javascript', 'vbscript', 'data', 'file', 'tel', 'sms', 'callto', 'irc', 'ircs', 'news', 'nntp'];

const DOMAIN_CHAR = 'A-Za-z0-9_\\-';
/** A host after `://` (with optional user info and port, which are defanged the same way). */
const URL = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*):\/\/([^\s/?#<>"'`\\]*)/g;
/** `www.` anywhere, even inside a word (GFM links `www.` without a scheme, after `_` too), with the rest of the host. */
const WWW = new RegExp(`(www)\\.([${DOMAIN_CHAR}.]*)`, 'gi');
/** `local@domain.tld`: GFM's extended e-mail autolink needs a dot in the domain. */
const EMAIL = new RegExp(`(?<![A-Za-z0-9.+_\\-])([A-Za-z0-9.+_\\-]+)@([${DOMAIN_CHAR}]+(?:\\.[${DOMAIN_CHAR}]+)+)`, 'g');
const SCHEME = new RegExp(`(?<![A-Za-z0-9+.\\-])(${LINKY_SCHEMES.join('|')}):`, 'gi');
/** `@name` not preceded by a word character: a GitHub (and Slack, Teams…) mention. */
const MENTION = /(?<![A-Za-z0-9_`])@(?=[A-Za-z0-9])/g;
/** `#12`, `owner/repo#12`, `GH-12`: GitHub issue references. */
const ISSUE_REF = /#(?=\d)|(?<![A-Za-z0-9_])(GH)-(?=\d)/gi;

const dots = (host: string) => host.replace(/\./g, '[.]').replace(/@/g, '[@]').replace(/:/g, '[:]');

/** `https` → `hxxps`, `ftp` → `fxp`; any other scheme keeps its name and loses its colon: `ssh[:]//`. */
function scheme(name: string): string {
  if (/^https?$/i.test(name)) return `${name.slice(0, 1)}xx${name.slice(3)}:`;
  if (/^ftps?$/i.test(name)) return `${name.slice(0, 1)}x${name.slice(2)}:`;
  return `${name}[:]`;
}

export function defang(text: string): string {
  return text
    .replace(URL, (_m, s: string, host: string) => `${scheme(s)}//${dots(host)}`)
    .replace(WWW, (_m, w: string, rest: string) => `${w}[.]${rest.replace(/\./g, '[.]')}`)
    .replace(EMAIL, (_m, local: string, domain: string) => `${local}@${domain.replace(/\./g, '[.]')}`)
    .replace(SCHEME, (_m, s: string) => `${s}[:]`)
    .replace(MENTION, '[@]')
    .replace(ISSUE_REF, (m) => (m === '#' ? '[#]' : `${m.slice(0, -1)}[-]`));
}
