/** The JSON scan result, exactly as the schema describes it: sorted, so the same scan is byte-identical. */
import type { ScanResult } from '../src/core/model/result.ts';

export function renderJson(result: ScanResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
