import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanResultJsonSchema } from '../src/core/model/json-schema.ts';
import { LEGACY_MESSAGE_ID, ScanResult } from '../src/core/model/result.ts';
import { assertValidResult } from './support/lab.ts';

describe('published result schema', () => {
  it('is up to date with the model (run npm run schema)', () => {
    const committed = JSON.parse(readFileSync(new URL('../schema/scan-result.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(scanResultJsonSchema());
  });

  it('rejects a result with a missing field or a bad fingerprint', () => {
    expect(() => assertValidResult({ schemaVersion: '2.0.0' })).toThrow(/does not match/);
  });

  it('reads a result written before findings had message ids: valid, and the id defaults to legacy', () => {
    const result = JSON.parse(readFileSync(new URL('./fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
    for (const s of result.scopes) for (const f of s.findings) delete f.messageId;
    for (const f of result.findings) delete f.messageId;
    assertValidResult(result);
    const read = ScanResult.parse(result);
    const ids = [...read.scopes.flatMap((s) => s.findings), ...read.findings].map((f) => f.messageId);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids)).toEqual(new Set([LEGACY_MESSAGE_ID]));
  });
});
