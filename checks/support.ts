/** Small helpers shared by checks (pure). */
import type { Principal, ResourceRef, Snapshot } from '../src/core/model/result.ts';
import type { Baseline } from '../src/core/config/schema.ts';
import { matchesAny } from '../src/core/glob.ts';

export function snapshotRef(s: Snapshot): ResourceRef {
  return { kind: 'snapshot', id: s.resourceId, name: s.name };
}

export function principalRef(p: Principal): ResourceRef {
  return { kind: `principal:${p.type}`, id: p.id, name: p.name };
}

/** Capabilities that let someone take data out (delete alone does not). */
export const exfiltrationCapabilities = new Set(['create', 'copy', 'share']);

export function inBaseline(baseline: Baseline, identity: string): string | null {
  return matchesAny(baseline.identities, identity) ?? matchesAny(baseline.automation, identity);
}

/** Tags matching the `key` / `key=value` patterns of the baseline's sensitive tags. */
export function sensitiveTagMatches(patterns: readonly string[], tags: Record<string, string>): string[] {
  const hits: string[] = [];
  for (const p of patterns) {
    const eq = p.indexOf('=');
    const key = eq < 0 ? p : p.slice(0, eq);
    const value = eq < 0 ? null : p.slice(eq + 1);
    for (const [k, v] of Object.entries(tags)) {
      if (k.toLowerCase() !== key.toLowerCase()) continue;
      if (value === null || matchesAny([value], v)) hits.push(`${k}=${v}`);
    }
  }
  return [...new Set(hits)].sort();
}
