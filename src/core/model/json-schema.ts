/** The published JSON Schema of the scan result, generated from the zod model (`npm run schema` writes it). */
import { z } from 'zod';
import { SCHEMA_VERSION, ScanResult } from './result.ts';

export function scanResultJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScanResult, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $id: `https://github.com/snapaudit/snapaudit/schema/scan-result-${SCHEMA_VERSION}.json`,
    title: 'snapaudit scan result',
    description: `A snapaudit scan result, schemaVersion ${SCHEMA_VERSION}. Generated from src/core/model/result.ts.`,
    ...schema,
  };
}
