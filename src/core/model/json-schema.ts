/** The published JSON Schema of the scan result, generated from the zod model (`npm run schema` writes it). */
import { z } from 'zod';
import { SCHEMA_VERSION } from './result.ts';
import { ScanResultDocument } from './result-document.ts';

/**
 * A field with a default was added after results were first written (e.g. a finding's `messageId`): the tool
 * fills it in when it reads an older result, so the schema lets it be absent, and a result written before it
 * still validates.
 */
function defaultedFieldsOptional(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) defaultedFieldsOptional(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as { properties?: Record<string, { default?: unknown }>; required?: string[] };
  if (o.properties && o.required) {
    const properties = o.properties;
    o.required = o.required.filter((name) => properties[name]?.default === undefined);
  }
  for (const value of Object.values(node)) defaultedFieldsOptional(value);
}

export function scanResultJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScanResultDocument, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  defaultedFieldsOptional(schema);
  return {
    $id: `https://github.com/snapaudit/snapaudit/schema/scan-result-${SCHEMA_VERSION}.json`,
    title: 'snapaudit scan result',
    description: `A snapaudit scan result, schemaVersion ${SCHEMA_VERSION}. Generated from src/core/model/result-document.ts.`,
    ...schema,
  };
}
