/**
 * "Evidence changed" (diffs, ticket comments) ignores what only names a finding's subject or counts time, so a
 * renamed snapshot or a day passing is not news, and upgrading to checks whose evidence names its subject (for the
 * message to be written from it) does not comment on every open ticket.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allFindings } from '../../src/core/model/order.ts';
import type { Finding, ScanResult } from '../../src/core/model/result.ts';
import { evidenceHash } from '../../src/store/summary.ts';
import { buildMultiCloudResult } from '../fixtures/build-multi-cloud-result.ts';

const stale = {
  severity: 'low' as const,
  evidence: { snapshot: 'db-copy', region: 'eu-west-1', ageDays: 200, createdAt: '2026-05-10T00:00:00Z', limitDays: 180 },
};

describe('evidence hash', () => {
  it('ignores names and age, not the evidence itself', () => {
    const base = evidenceHash(stale);
    expect(evidenceHash({ ...stale, evidence: { ...stale.evidence, snapshot: 'db-copy-renamed', ageDays: 201 } })).toBe(base);
    expect(evidenceHash({ ...stale, evidence: { ...stale.evidence, limitDays: 90 } })).not.toBe(base);
    expect(evidenceHash({ ...stale, severity: 'medium' })).not.toBe(base);
  });

  it('is the same for findings recorded before evidence named its subject (only new data changes it)', () => {
    // test/fixtures/multi-cloud-result.json was frozen before; the builder makes the same findings with today's checks
    const before: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
    const now = new Map(allFindings(buildMultiCloudResult()).map((f) => [f.fingerprint, f]));
    const gainedData = new Set(['permissions.broad-grant', 'permissions.external-path']);
    const compared = allFindings(before).filter((f: Finding) => !gainedData.has(f.checkId) && now.has(f.fingerprint));
    expect(compared.length).toBeGreaterThan(20);
    for (const f of compared) expect(evidenceHash(now.get(f.fingerprint)!), `${f.checkId} ${f.fingerprint}`).toBe(evidenceHash(f));
  });
});
