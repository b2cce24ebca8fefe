/**
 * The JSON scan result, exactly as the schema describes it: sorted, so the same scan is byte-identical. The top-level
 * `findings` holds every finding of the scan (each scope's are also under `scopes[].findings`).
 */
import { findingsOnDisk } from '../src/core/model/order.ts';
import type { ScanResult } from '../src/core/model/result.ts';

export function renderJson(result: ScanResult): string {
  return `${JSON.stringify({ ...result, findings: findingsOnDisk(result) }, null, 2)}\n`;
}
