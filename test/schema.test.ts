import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanResultJsonSchema } from '../src/core/model/json-schema.ts';
import { assertValidResult } from './support/lab.ts';

describe('published result schema', () => {
  it('is up to date with the model (run npm run schema)', () => {
    const committed = JSON.parse(readFileSync(new URL('../schema/scan-result.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(scanResultJsonSchema());
  });

  it('rejects a result with a missing field or a bad fingerprint', () => {
    expect(() => assertValidResult({ schemaVersion: '1.0.0' })).toThrow(/does not match/);
  });
});
