/**
 * The JSON scan result, exactly as the schema describes it: sorted, so the same scan is byte-identical. Each finding
 * is written once: a scope's under `scopes[].findings`, the top-level `findings` holding only those of no scope
 * (schema 4); each scope is written compact, the structures it repeats in its `shared` table
 * (src/core/model/compact.ts).
 */
import { compactScope } from '../src/core/model/compact.ts';
import { sortFindings, unscopedFindings } from '../src/core/model/order.ts';
import type { ScanResult, ScopeResult } from '../src/core/model/result.ts';
import { map, prettyDocument, prettyItem, type ResultSource, type StreamedFile } from './source.ts';

export function renderJson(result: ScanResult): string {
  return `${JSON.stringify({ ...result, scopes: result.scopes.map(compactScope), findings: sortFindings(unscopedFindings(result)) }, null, 2)}\n`;
}

const SCOPES = '@@snapaudit-scopes@@';
/** How deep result.json's `scopes` array stands (a field of the document). */
const SCOPES_DEPTH = 1;

/** A scope as an item of result.json's `scopes` lays it out, compact, in pieces (the spool lays scopes out as they come). */
export function jsonScopePieces(scope: ScopeResult): Iterable<string> {
  return prettyItem(compactScope(scope), SCOPES_DEPTH);
}

/** result.json streamed from a source, scope by scope: byte for byte what renderJson writes for the same result. */
export function streamJson(source: ResultSource): StreamedFile[] {
  const header = { ...source.header, findings: sortFindings(source.header.findings) };
  const laidOut = source.jsonScopes?.bind(source) ?? (() => map(source.scopes(), jsonScopePieces));
  return [
    {
      name: 'result.json',
      chunks: () => prettyDocument({ ...header, scopes: SCOPES }, [{ placeholder: SCOPES, depth: SCOPES_DEPTH, laidOut }]),
    },
  ];
}
