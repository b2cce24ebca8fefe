/**
 * The JSON scan result, exactly as the schema describes it: sorted, so the same scan is byte-identical. The top-level
 * `findings` holds every finding of the scan (each scope's are also under `scopes[].findings`); each scope is written
 * compact, the structures it repeats in its `shared` table (src/core/model/compact.ts).
 */
import { compactScope } from '../src/core/model/compact.ts';
import { findingsOnDisk, sortFindings } from '../src/core/model/order.ts';
import type { Finding, ScanResult } from '../src/core/model/result.ts';
import { map, prettyDocument, type ResultSource, type StreamedFile } from './source.ts';

export function renderJson(result: ScanResult): string {
  return `${JSON.stringify({ ...result, scopes: result.scopes.map(compactScope), findings: findingsOnDisk(result) }, null, 2)}\n`;
}

const SCOPES = '@@snapaudit-scopes@@';
const FINDINGS = '@@snapaudit-findings@@';

/** result.json's top-level findings from a source: the header's own (canonical order), then each scope's, scope by scope. */
function* findingsOnDiskFrom(source: ResultSource): Generator<Finding> {
  yield* sortFindings(source.header.findings);
  for (const scope of source.scopes()) yield* scope.findings;
}

/** result.json streamed from a source, scope by scope: byte for byte what renderJson writes for the same result. */
export function streamJson(source: ResultSource): StreamedFile[] {
  return [
    {
      name: 'result.json',
      chunks: () =>
        prettyDocument({ ...source.header, scopes: SCOPES, findings: FINDINGS }, [
          { placeholder: SCOPES, depth: 1, items: () => map(source.scopes(), compactScope) },
          { placeholder: FINDINGS, depth: 1, items: () => findingsOnDiskFrom(source) },
        ]),
    },
  ];
}
