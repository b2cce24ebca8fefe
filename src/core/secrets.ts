/**
 * One scrubber for credential shapes in text snapaudit did not write itself: error messages from clouds and ticket
 * systems (some echo the request that failed, headers and form fields included), response bodies, exception
 * stacks. It runs before anything is truncated — a cut through the middle of a token would leave a prefix no
 * pattern recognises — and before the text is printed, stored, rendered or sent. Every pattern is anchored on a
 * literal or a start-of-run lookbehind, so scrubbing stays linear in the length of the text.
 */

import { clip } from './unicode.ts';

export const REDACTED = '[REDACTED]';

/**
 * Names whose value is a secret wherever they appear as `name=value`, `name: value`, `"name": "value"`,
 * `<name>value</name>` or URL-encoded `name%3Dvalue`: OAuth 2.0 and token-exchange fields (RFC 6749, RFC 8693),
 * AWS SigV4 and STS fields, Azure connection-string keys, and the usual password and API-key spellings.
 */
const SECRET_NAMES = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'client[_-]?secret',
  'api[_-]?key',
  'access[_-]?key[_-]?secret',
  'secret[_-]?access[_-]?key',
  'aws[_-]?secret[_-]?access[_-]?key',
  'session[_-]?token',
  'security[_-]?token',
  'x-amz-security-token',
  'x-amz-signature',
  'access[_-]?token',
  'refresh[_-]?token',
  'id[_-]?token',
  'subject[_-]?token',
  'actor[_-]?token',
  'client[_-]?assertion',
  'assertion',
  'private[_-]?key',
  'account[_-]?key',
  'shared[_-]?access[_-]?key',
  'shared[_-]?access[_-]?signature',
  'sig',
  'token',
  'x-api-key',
  'x-auth-token',
];
const NAME = `(?<![A-Za-z0-9_-])(${SECRET_NAMES.join('|')})`;

interface Rule {
  re: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

/** Does this base64 decode to `user:password` (the Basic scheme's payload)? */
function isBasicPayload(b64: string): boolean {
  try {
    const text = Buffer.from(b64, 'base64').toString('utf8');
    return /^[^:\s]{1,256}:\S/.test(text);
  } catch {
    return false;
  }
}

const rules: Rule[] = [
  // PEM private keys (PKCS#1, PKCS#8, EC, OpenSSH, encrypted): everything from BEGIN to END, or to the end of the text.
  {
    re: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
    replace: (_m, kind) => `-----BEGIN ${kind}PRIVATE KEY----- ${REDACTED} -----END ${kind}PRIVATE KEY-----`,
  },
  // Credentials in a URL's user info: scheme://user:password@host
  {
    re: /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/@:]*):([^\s/@]+)@/g,
    replace: (_m, scheme, user) => `${scheme}${user}:${REDACTED}@`,
  },
  // JSON Web Tokens (and the signed part of JWEs): base64url JSON header and payload, both starting `{"` = `eyJ`.
  { re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, replace: () => REDACTED },
  // An echoed Authorization header: whatever the scheme, its credential goes.
  {
    re: /(?<![A-Za-z0-9_-])((?:proxy-)?authorization["']?\s*[:=]\s*["']?)([A-Za-z][A-Za-z0-9-]*\s+)?[^\s"',;}]+/gi,
    replace: (_m, head, scheme) => `${head}${scheme ?? ''}${REDACTED}`,
  },
  // HTTP authorization schemes: Bearer (RFC 6750 token68), Basic (RFC 7617 base64 of user:password).
  { re: /(?<![A-Za-z0-9_-])(Bearer)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: (_m, scheme, sp) => `${scheme}${sp}${REDACTED}` },
  {
    re: /(?<![A-Za-z0-9_-])(Basic)(\s+)([A-Za-z0-9+/]{4,}={0,2})/gi,
    replace: (m, scheme, sp, b64) => (isBasicPayload(b64) ? `${scheme}${sp}${REDACTED}` : m),
  },
  // Google OAuth 2.0 access tokens (ya29.), refresh tokens (1//) and API keys (AIza).
  { re: /(?<![A-Za-z0-9_-])ya29\.[A-Za-z0-9_\-.]+/g, replace: () => `ya29.${REDACTED}` },
  { re: /(?<![A-Za-z0-9_-])1\/\/0[A-Za-z0-9_-]{20,}/g, replace: () => `1//${REDACTED}` },
  { re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{30,}/g, replace: () => `AIza${REDACTED}` },
  // Ticket-system tokens with a published prefix: GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Atlassian
  // API tokens (ATATT), Slack (xoxb-, xoxp-…).
  { re: /(?<![A-Za-z0-9_-])(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}/g, replace: (_m, prefix) => `${prefix}${REDACTED}` },
  { re: /(?<![A-Za-z0-9_-])ATATT[A-Za-z0-9_\-=]{20,}/g, replace: () => `ATATT${REDACTED}` },
  { re: /(?<![A-Za-z0-9_-])(xox[abposr]-)[A-Za-z0-9-]{10,}/g, replace: (_m, prefix) => `${prefix}${REDACTED}` },
  // AWS access key ids (long-term AKIA, temporary ASIA) and STS session tokens (their fixed base64 prefixes).
  { re: /(?<![A-Z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g, replace: (_m, prefix) => `${prefix}${REDACTED}` },
  { re: /(?<![A-Za-z0-9+/])(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|FQoGZXIvYXdzE)[A-Za-z0-9+/=%]*/g, replace: () => REDACTED },
  // name=value, name: value, "name": "value", name%3Dvalue (Azure SAS sig=, token exchange subject_token=, …)
  {
    re: new RegExp(`${NAME}(["']?\\s*(?:[:=]|%3[Dd])\\s*)("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s&"'<>,;}\\]]+)`, 'gi'),
    replace: (m, name, sep, value) => {
      // `Authorization: Bearer x` is handled above; `token: Bearer [REDACTED]` keeps its scheme word.
      if (/^(Bearer|Basic)$/i.test(value) || value.includes(REDACTED.slice(0, -1))) return m;
      const quote = value.startsWith('"') || value.startsWith("'") ? value[0] : '';
      return `${name}${sep}${quote}${REDACTED}${quote}`;
    },
  },
  // <SecretAccessKey>value</SecretAccessKey>, <SessionToken>…</SessionToken> (AWS query/XML APIs echo these)
  {
    re: new RegExp(`<(${SECRET_NAMES.join('|')})>([^<]*)</`, 'gi'),
    replace: (_m, name) => `<${name}>${REDACTED}</`,
  },
];

/** The text with every credential shape it holds replaced by `[REDACTED]` (the name or scheme before it is kept). */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const r of rules) out = out.replace(r.re, r.replace as (substring: string, ...args: unknown[]) => string);
  return out;
}

/** Scrubs first, then cuts to `max` characters (with an ellipsis): the only safe order. */
export function scrubAndClip(text: string, max: number): string {
  return clip(scrubSecrets(text), max);
}
