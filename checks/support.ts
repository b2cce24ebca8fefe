/** Small helpers shared by checks (pure). */
import type { Baseline } from '../src/core/config/schema.ts';
import { globMatch, matchesAny } from '../src/core/glob.ts';
import {
  configurationArtifactKinds,
  type FactName,
  type Grant,
  inboundArtifactKinds,
  type Principal,
  type Provider,
  type ResourceRef,
  type Snapshot,
  type Tri,
} from '../src/core/model/result.ts';

/**
 * The scope's own copies: those another account shares in are listed, not judged (their owner fixes them), and so are
 * schedules (they hold no data; the snapshots they make are judged as items of their own).
 */
export function ownArtifacts(snapshots: readonly Snapshot[]): Snapshot[] {
  return snapshots.filter((s) => !inboundArtifactKinds.has(s.kind) && !configurationArtifactKinds.has(s.kind));
}

export function snapshotRef(s: Snapshot): ResourceRef {
  return { kind: s.kind, id: s.resourceId, name: s.name };
}

/** The reads behind one of a snapshot's verdicts, and any disagreement about it: evidence quotes what was received. */
export function factsOf(s: Snapshot, fact: FactName): { sources: Snapshot['facts']; conflicts: Snapshot['conflicts'] } {
  return { sources: s.facts.filter((f) => f.fact === fact), conflicts: s.conflicts.filter((c) => c.fact === fact) };
}

export function principalRef(p: Principal): ResourceRef {
  return { kind: `principal:${p.type}`, id: p.id, name: p.name };
}

/** How a snapshot is named in messages: its name, else its id. */
export function snapshotLabel(s: Snapshot): string {
  return s.name ?? s.id;
}

/** The first ten grant paths, each as `step → step → …`, for evidence. */
export function grantPaths(grants: readonly Grant[]): string[] {
  return grants.slice(0, 10).map((g) => g.path.map((s) => s.label ?? s.id).join(' → '));
}

/**
 * How a principal holds these grants, for findings (issue #26): `direct` when any grant is its own, else `indirect`
 * (an AWS role chain, GCP impersonation) when any is reached by becoming another identity, else `eligible` (Azure
 * PIM); `hops` is the shortest path length to them (0: direct).
 */
export function reachOf(grants: readonly Grant[]): { reach: 'direct' | 'indirect' | 'eligible'; hops: number } {
  const reach = grants.some((g) => (g.reach ?? 'direct') === 'direct')
    ? 'direct'
    : grants.some((g) => g.reach === 'indirect')
      ? 'indirect'
      : 'eligible';
  const hops = Math.min(...grants.filter((g) => (g.reach ?? 'direct') === reach).map((g) => g.hops ?? 0));
  return { reach, hops: Number.isFinite(hops) ? hops : 0 };
}

/**
 * The reach for a finding's evidence: nothing when direct (so findings of principals holding their capabilities
 * directly keep the evidence, and the evidence hash, they always had), else `{reach, hops}`.
 */
export function reachEvidence(grants: readonly Grant[]): { reach?: 'indirect' | 'eligible'; hops?: number } {
  const r = reachOf(grants);
  return r.reach === 'direct' ? {} : { reach: r.reach, hops: r.hops };
}

/** The reach of a finding's grants in words: '' when direct, else ` through a chain of 2 hops` or ` once an eligible role is activated`. */
export function reachText(e: { reach?: 'direct' | 'indirect' | 'eligible'; hops?: number }): string {
  const hops = e.hops ?? 0;
  if (e.reach === 'indirect') return ` through a chain of ${hops} ${hops === 1 ? 'hop' : 'hops'}`;
  if (e.reach === 'eligible') return ' once an eligible role is activated';
  return '';
}

/** Capabilities that let someone take data out (delete alone does not; restore is reported, not flagged). */
export const exfiltrationCapabilities = new Set(['create', 'copy', 'share', 'export']);

export function inBaseline(baseline: Baseline, identity: string): string | null {
  return matchesAny(baseline.identities, identity) ?? matchesAny(baseline.automation, identity);
}

/**
 * The baseline pattern that approves a principal: by its id, then by its provider-derived name — or, when a directory
 * named it, by its sign-in name only. A directory display name is free text its users (or a guest's home tenant) can
 * set, so it never approves anyone.
 */
export function principalInBaseline(baseline: Baseline, p: Principal): string | null {
  const byName = p.identity ? (p.identity.login ? inBaseline(baseline, p.identity.login) : null) : inBaseline(baseline, p.name);
  return inBaseline(baseline, p.id) ?? byName;
}

/**
 * How each cloud compares tag keys and values, from its documentation: tags are matched the way the cloud itself
 * tells them apart, so `Owner` and `owner` are two tags on AWS and one on Azure.
 */
export const tagComparison: Record<Provider, { caseSensitive: boolean; source: string }> = {
  // "Tag keys are case-sensitive" / "Tag values are case-sensitive" (EC2 Tag).
  aws: { caseSensitive: true, source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html' },
  // "Tag names are case-insensitive for operations."
  azure: {
    caseSensitive: false,
    source: 'https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations',
  },
  // Label keys and values may hold lower-case letters only: any spelling of a pattern means the same label.
  gcp: { caseSensitive: false, source: 'https://cloud.google.com/compute/docs/labeling-resources' },
};

/** Does a tag key equal the configured key, as the provider compares keys? */
export function tagKeyEquals(provider: Provider, key: string, wanted: string): boolean {
  return tagComparison[provider].caseSensitive ? key === wanted : key.toLowerCase() === wanted.toLowerCase();
}

/** Tags matching the `key` / `key=value` patterns of sensitive tags, compared as the provider does. */
export function sensitiveTagMatches(provider: Provider, patterns: readonly string[], tags: Record<string, string>): string[] {
  const caseSensitive = tagComparison[provider].caseSensitive;
  const hits: string[] = [];
  for (const p of patterns) {
    const eq = p.indexOf('=');
    const key = eq < 0 ? p : p.slice(0, eq);
    const value = eq < 0 ? null : p.slice(eq + 1);
    for (const [k, v] of Object.entries(tags)) {
      if (!tagKeyEquals(provider, k, key)) continue;
      if (value === null || globMatch(value, v, caseSensitive)) hits.push(`${k}=${v}`);
    }
  }
  return [...new Set(hits)].sort();
}

export interface Approval {
  /** yes: made by approved automation or a baseline identity; no: a known creator outside the baseline; unknown: the creator is not known. */
  approved: Tri;
  /** The automation marker or baseline pattern that approved it. */
  by: string | null;
  /** Approved as automation (scheduled backups need no change record), not merely as an approved person. */
  automation: boolean;
}

/**
 * Was the snapshot made by approved automation or identity? The provider records facts (the creating identity, the
 * automation recognised from that identity); the baseline decides. Without a known creator, approval is unknown.
 */
export function approvalOf(s: Snapshot, baseline: Baseline): Approval {
  const marker = s.automation.by;
  if (marker && matchesAny(baseline.automation, marker)) return { approved: 'yes', by: marker, automation: true };
  // What identified the automation (e.g. an Azure Backup vault's resource id) may be named in the baseline itself.
  const basis = s.automation.basis && marker ? matchesAny(baseline.automation, s.automation.basis) : null;
  if (basis) return { approved: 'yes', by: basis, automation: true };
  const creator = s.creator?.identity ?? null;
  if (!creator) return { approved: 'unknown', by: null, automation: false };
  const asAutomation = matchesAny(baseline.automation, creator);
  if (asAutomation) return { approved: 'yes', by: asAutomation, automation: true };
  const asIdentity = matchesAny(baseline.identities, creator);
  return asIdentity ? { approved: 'yes', by: asIdentity, automation: false } : { approved: 'no', by: null, automation: false };
}
