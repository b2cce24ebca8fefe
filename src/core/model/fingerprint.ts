import { createHash } from 'node:crypto';

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
  return createHash('sha256').update(key).digest('hex').slice(0, 24);
}
