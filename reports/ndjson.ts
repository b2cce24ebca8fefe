/**
 * The scan result as NDJSON (result.ndjson), for pipelines that cannot load one giant document: the first line is
 * the result without its scopes (`"record": "result"`), then one line per scope (`"record": "scope"`) in the
 * canonical order of result.json. Dropping `record` and putting the scope lines into `scopes` gives result.json's
 * value back. Each line is written on its own, so a writer streams it from the spool one scope at a time.
 */
import { compactScope } from '../src/core/model/compact.ts';
import type { OutputFile } from '../src/core/output-file.ts';
import type { ScanResult, ScopeResult } from '../src/core/model/result.ts';
import { ITEM_LEVELS, jsonPieces, type ResultSource, type StreamedFile } from './source.ts';

export const NDJSON_FILE = 'result.ndjson';

/** The first line: everything but the scopes. */
export function ndjsonHeaderLine(result: ScanResult): string {
  const { scopes: _scopes, ...rest } = result;
  return `${JSON.stringify({ record: 'result', ...rest })}\n`;
}

/** One scope's line, compact: the structures it repeats in its `shared` table (src/core/model/compact.ts). */
export function ndjsonScopeLine(scope: ScopeResult): string {
  return [...ndjsonScopePieces(scope)].join('');
}

/** A scope's line in pieces (a snapshot, principal or finding at a time), never one string of the whole scope. */
function* ndjsonScopePieces(scope: ScopeResult): Generator<string> {
  yield* jsonPieces({ record: 'scope', ...compactScope(scope) }, null, ITEM_LEVELS);
  yield '\n';
}

/**
 * result.ndjson streamed from a source. The header line carries the header's own findings only (those of no scope):
 * each scope line carries its own, so nothing is written twice.
 */
export function streamNdjson(source: ResultSource): StreamedFile[] {
  return [
    {
      name: NDJSON_FILE,
      chunks: function* () {
        yield ndjsonHeaderLine(source.header);
        for (const scope of source.scopes()) yield* ndjsonScopePieces(scope);
      },
    },
  ];
}

export function renderNdjson(result: ScanResult): OutputFile[] {
  return [{ name: NDJSON_FILE, content: [ndjsonHeaderLine(result), ...result.scopes.map(ndjsonScopeLine)].join('') }];
}
