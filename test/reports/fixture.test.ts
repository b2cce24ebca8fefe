import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertValidResult } from '../support/lab.ts';
import { buildMultiCloudResult } from '../fixtures/build-multi-cloud-result.ts';

describe('the shared report fixture', () => {
  const frozen = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));

  it('matches the published schema', () => {
    assertValidResult(frozen);
  });

  it('covers all three clouds, a partial and a failed scope, suppressed findings and hostile names', () => {
    expect(frozen.scan.providers).toEqual(['aws', 'azure', 'gcp']);
    const statuses = frozen.scopes.map((s: { coverage: { status: string } }) => s.coverage.status);
    expect(statuses).toEqual(expect.arrayContaining(['complete', 'partial', 'failed']));
    const text = JSON.stringify(frozen);
    expect(text).toContain('"status": "suppressed"'.replace(': ', ':'));
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('=HYPERLINK(');
  });

  it('is what the builder produces (regenerate with: node test/fixtures/build-multi-cloud-result.ts > test/fixtures/multi-cloud-result.json)', () => {
    // The frozen file may lag behind check wording on purpose; its shape must still be what the builder makes.
    const built = buildMultiCloudResult();
    expect(Object.keys(frozen).sort()).toEqual(Object.keys(built).sort());
    expect(frozen.scopes.map((s: { scope: { id: string } }) => s.scope.id)).toEqual(built.scopes.map((s) => s.scope.id));
  });
});
