/**
 * Suppressions: accepted findings, each with a reason, an owner and an expiry date. A suppressed finding is still
 * reported — with `status: 'suppressed'` and the suppression attached — so every output shows it muted rather than
 * hiding it; it does not count towards exit codes or tickets. When the expiry date has passed the finding is open
 * again and carries the suppression with `expired: true`, so reports can say why it came back.
 *
 * A suppression matches by fingerprint, or by check (id or `family.*`) plus a `provider:scope` and/or resource glob.
 * Every criterion given must match. The expiry date is inclusive: `expires: 2027-03-31` mutes through that day (UTC).
 */
import { globMatch } from '../glob.ts';
import { allFindings } from '../model/order.ts';
import type { Finding, ScanResult } from '../model/result.ts';

export interface SuppressionRule {
  fingerprint?: string | undefined;
  check?: string | undefined;
  scope?: string | undefined;
  resource?: string | undefined;
  reason: string;
  owner: string;
  expires: string;
}

const DAY_MS = 86_400_000;

export function isExpired(s: Pick<SuppressionRule, 'expires'>, now: Date): boolean {
  return now.getTime() >= Date.parse(`${s.expires}T00:00:00.000Z`) + DAY_MS;
}

export function matches(s: SuppressionRule, f: Finding): boolean {
  if (s.fingerprint !== undefined && s.fingerprint !== f.fingerprint) return false;
  if (s.check !== undefined && !globMatch(s.check, f.checkId)) return false;
  if (s.scope !== undefined && !globMatch(s.scope, `${f.provider}:${f.scopeId}`)) return false;
  if (s.resource !== undefined && (f.resource === null || !globMatch(s.resource, f.resource.id))) return false;
  return true;
}

/** The engine's `decorateFindings` hook: marks suppressed findings, resurfaces those whose suppression expired. */
export function applySuppressions(findings: readonly Finding[], rules: readonly SuppressionRule[], now: Date): Finding[] {
  if (rules.length === 0) return [...findings];
  return findings.map((f) => {
    const hits = rules.filter((s) => matches(s, f));
    if (hits.length === 0) return f;
    const active = hits.find((s) => !isExpired(s, now));
    const chosen = active ?? hits[0]!;
    const suppression = { reason: chosen.reason, owner: chosen.owner, expires: chosen.expires, expired: active === undefined };
    return { ...f, status: active ? ('suppressed' as const) : ('open' as const), suppression };
  });
}

/**
 * Problems the schema alone cannot see, as `[path, message]`: unknown checks, patterns that can never match, and
 * check-wide suppressions without any scope or resource (write `scope: "*"` to mean everywhere on purpose).
 */
export function suppressionProblems(
  rules: readonly SuppressionRule[],
  /** Known check ids; null skips that test (the caller above the registry supplies them). */
  checkIds: readonly string[] | null,
): Array<[Array<string | number>, string]> {
  const problems: Array<[Array<string | number>, string]> = [];
  rules.forEach((s, i) => {
    if (s.check !== undefined && checkIds !== null && !checkIds.some((id) => globMatch(s.check!, id))) {
      problems.push([[i, 'check'], `no check is called "${s.check}"; use an id from \`snapaudit checks list\` (or family.*)`]);
    }
    if (s.fingerprint === undefined && s.scope === undefined && s.resource === undefined) {
      problems.push([[i], 'a check-wide suppression needs a scope or resource pattern; write scope: "*" to mute the check everywhere']);
    }
    if (s.scope !== undefined && s.scope !== '*' && !s.scope.includes(':')) {
      problems.push([[i, 'scope'], `"${s.scope}" is not provider:scope; write e.g. aws:${s.scope} or gcp:*-sandbox`]);
    }
  });
  return problems;
}

/** Lines for the terminal summary: how many findings are muted, and every suppression that expired. */
export function suppressionNotes(result: Pick<ScanResult, 'scopes' | 'findings'>): string[] {
  const findings = allFindings(result);
  const muted = findings.filter((f) => f.status === 'suppressed');
  const expired = findings.filter((f) => f.status === 'open' && f.suppression?.expired);
  const lines: string[] = [];
  if (muted.length > 0) lines.push(`suppressed: ${muted.length} finding(s) muted by config suppressions (still listed in every report)`);
  if (expired.length > 0) {
    lines.push(`suppressions expired: ${expired.length} finding(s) open again`);
    for (const f of expired) {
      lines.push(
        `  - ${f.checkId} ${f.provider}:${f.scopeId}${f.resource ? ` ${f.resource.id}` : ''}: suppression by ${f.suppression!.owner} expired ${f.suppression!.expires} ("${f.suppression!.reason}")`,
      );
    }
  }
  return lines;
}
