/** GCP test helpers: the demo estate's gcp section as an estate of its own, and small result accessors. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { EstateInput } from '../../lab/estate.ts';
import type { ScanResult, ScopeResult } from '../../src/core/model/result.ts';

export const ORG = '100000000001';

export function demoGcpEstate(mutate?: (gcp: Record<string, unknown>) => void): EstateInput {
  const doc = parse(readFileSync(new URL('../../lab/estates/demo/gcp.yaml', import.meta.url), 'utf8')) as { gcp: Record<string, unknown> };
  const gcp = structuredClone(doc.gcp);
  mutate?.(gcp);
  return { estateVersion: 1, name: 'gcp-demo', gcp } as EstateInput;
}

export function scopeOf(result: ScanResult, id: string): ScopeResult {
  const s = result.scopes.find((x) => x.scope.id === id);
  if (!s) throw new Error(`no scope ${id} in ${result.scopes.map((x) => x.scope.id).join(', ')}`);
  return s;
}

export function snapshotUrl(project: string, name: string): string {
  return `https://www.googleapis.com/compute/v1/projects/${project}/global/snapshots/${name}`;
}
