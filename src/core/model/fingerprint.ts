import { hash } from 'node:crypto';

export interface FingerprintParts {
  checkId: string;
  provider: string;
  scopeId: string;
  region: string | null;
  resourceId: string | null;
}

/** Stable id for "the same problem": tickets, suppressions and diffs hang on it. */
export function fingerprint(p: FingerprintParts): string {
  const key = [p.checkId, p.provider, p.scopeId, p.region ?? '', p.resourceId ?? ''].join('\u001f');
  // one-shot crypto.hash: no Hash object per finding (the same digest)
  return hash('sha256', key, 'hex').slice(0, 24);
}
