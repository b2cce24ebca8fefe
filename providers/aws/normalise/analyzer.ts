/**
 * Sharing as IAM Access Analyzer reads it (pure). An external access analyzer (type ACCOUNT or ORGANIZATION) reports,
 * for every supported resource in its region — EBS volume snapshots, RDS DB snapshots and DB cluster snapshots among
 * them (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html) — one finding per principal
 * outside its zone of trust that can use the resource, `isPublic` when anyone can
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html). An ACTIVE finding is access nobody
 * has marked as intended; an ARCHIVED one is the same access, archived by a person or an archive rule
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-archive-rules.html): both mean the item is shared.
 * A RESOLVED finding is access that no longer exists
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings-remediate.html) and is not read.
 *
 * Authority: the item's own attribute (createVolumePermission, the RDS `restore` attribute) is the sharing setting and
 * decides whenever it was read; the analyzer's findings are the documented analysis, deciding only for items it
 * analysed whose attribute was not read, and a disagreement is a conflict note. An organisation analyzer's zone of
 * trust is the organisation: sharing with an account inside it is no finding, so for an item with no finding the
 * organisation analyzer says "not public, not shared outside the organisation" and nothing about shares inside it.
 */
import { conflictNote, decideFact, type Decision, type SourcedReading } from '../../../src/core/model/provenance.ts';
import type { Conflict, Fact, Tri } from '../../../src/core/model/result.ts';

export type AnalyzerZone = 'account' | 'organization';

/** One finding as received (the fields the verdict reads). */
export interface AnalyzerFinding {
  status: string | undefined;
  isPublic: boolean | undefined;
  principal: Record<string, string> | undefined;
  error: string | undefined;
}

/** What an analyzer said about one item. */
export interface AnalyzerReading {
  zone: AnalyzerZone;
  /** Did it analyse the item (an active analyzer covering the account, the item older than its last analysis, no error)? */
  analysed: boolean;
  /** Its ACTIVE and ARCHIVED findings on the item, as received. */
  findings: readonly AnalyzerFinding[];
}

export const analyzerSource = (zone: AnalyzerZone) =>
  `access-analyzer:ListFindings ${zone === 'account' ? 'account' : 'organisation'} analyzer`;

/** The note on an item whose shares inside the organisation an organisation analyzer cannot tell. */
export const ORGANIZATION_ZONE_NOTE =
  'shares with accounts inside the organisation not read: an organisation analyzer (IAM Access Analyzer) reports only access from outside it';

/** The account a finding's principal names (`123456789012`, or an ARN in that account); null for `*` or others. */
export function principalAccount(principal: Record<string, string> | undefined): string | null {
  const aws = principal?.AWS;
  if (!aws) return null;
  if (/^\d{12}$/.test(aws)) return aws;
  return /^arn:[^:]+:iam::(\d{12}):/.exec(aws)?.[1] ?? null;
}

const usable = (r: AnalyzerReading) => r.findings.filter((f) => !f.error);

/** The accounts the findings name, sorted. */
export function findingAccounts(r: AnalyzerReading): string[] {
  return [...new Set(usable(r).flatMap((f) => principalAccount(f.principal) ?? []))].sort();
}

/** The findings quoted as received: `ACTIVE isPublic=true`, `ARCHIVED principal AWS=123456789012`, or `no finding`. */
export function quoteFindings(r: AnalyzerReading): string {
  const items = usable(r).map((f) =>
    f.isPublic ? `${f.status ?? '?'} isPublic=true` : `${f.status ?? '?'} principal AWS=${f.principal?.AWS ?? '(none)'}`,
  );
  return items.length ? items.join(', ') : 'no finding';
}

/** Does the analyzer's word count for this item: it analysed it, or it holds a finding on it? */
export const hasReading = (r: AnalyzerReading | null | undefined): r is AnalyzerReading => !!r && (r.analysed || usable(r).length > 0);

/** The analyzer's public reading of an item, or null when it has none. */
export function analyzerPublic(r: AnalyzerReading | null | undefined): SourcedReading<Tri> | null {
  if (!hasReading(r)) return null;
  return { source: analyzerSource(r.zone), value: quoteFindings(r), verdict: usable(r).some((f) => f.isPublic) ? 'yes' : 'no' };
}

/**
 * Public: the attribute decides when read, the analyzer where it analysed the item and the attribute was not read;
 * other readings (the analyzer beside the attribute, the public listing) are hints.
 */
export function decidePublic(
  attribute: SourcedReading<Tri> | null,
  analyzer: AnalyzerReading | null | undefined,
  hints: readonly SourcedReading<Tri>[],
): Decision<Tri> {
  const reading = analyzerPublic(analyzer);
  if (attribute) return decideFact('public', attribute, [...(reading ? [reading] : []), ...hints], 'unknown');
  if (reading && analyzer?.analysed) return decideFact('public', reading, hints, 'unknown');
  return decideFact('public', null, hints, 'unknown');
}

/** Is the account outside the analyzer's zone of trust (the owner's account, or the organisation)? */
function outsideZone(zone: AnalyzerZone, account: string, owner: string, orgAccounts: ReadonlySet<string> | null): boolean {
  if (account === owner) return false;
  return zone === 'account' || orgAccounts === null || !orgAccounts.has(account);
}

export interface SharesDecision {
  /** The accounts it is shared with; null when not known. */
  accounts: string[] | null;
  /** Are these every account it is shared with? */
  complete: boolean;
  facts: Fact[];
  conflicts: Conflict[];
  notes: string[];
}

/**
 * Shared with: the attribute's accounts when read (the analyzer's, beside it, a hint whose accounts outside the zone
 * must agree); else the analyzer's, complete for an account analyzer, and only those outside the organisation for an
 * organisation analyzer.
 */
export function decideShares(
  /** The attribute as read: its source, its value quoted as received, the accounts it names. */
  attribute: { source: string; value: string; accounts: string[] } | null,
  analyzer: AnalyzerReading | null | undefined,
  owner: string,
  orgAccounts: ReadonlySet<string> | null,
): SharesDecision {
  const hint = hasReading(analyzer) ? analyzer : null;
  if (attribute) {
    const kept = { source: attribute.source, value: attribute.value };
    const facts: Fact[] = [{ fact: 'shared-with', ...kept, authoritative: true }];
    const conflicts: Conflict[] = [];
    if (hint) {
      const overruled = { source: analyzerSource(hint.zone), value: quoteFindings(hint) };
      facts.push({ fact: 'shared-with', ...overruled, authoritative: false });
      const outside = (xs: readonly string[]) =>
        [...new Set(xs.filter((a) => outsideZone(hint.zone, a, owner, orgAccounts)))].sort().join(',');
      if (outside(attribute.accounts) !== outside(findingAccounts(hint)))
        conflicts.push({ fact: 'shared-with', kept, overruled, note: conflictNote('shared-with', kept, overruled) });
    }
    return { accounts: attribute.accounts, complete: true, facts, conflicts, notes: [] };
  }
  if (hint?.analysed) {
    const accounts = findingAccounts(hint);
    const fact: Fact = { fact: 'shared-with', source: analyzerSource(hint.zone), value: quoteFindings(hint), authoritative: true };
    const complete = hint.zone === 'account';
    return { accounts, complete, facts: [fact], conflicts: [], notes: complete ? [] : [ORGANIZATION_ZONE_NOTE] };
  }
  return { accounts: null, complete: false, facts: [], conflicts: [], notes: [] };
}
