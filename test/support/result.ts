/** Reading a result.json a CLI run wrote, in the shapes the tests compare (its scopes' shared references expanded). */
import { readFileSync } from 'node:fs';
import { expandResult } from '../../src/core/model/compact.ts';
import type { ScanResult } from '../../src/core/model/result.ts';

/** The result.json at `path` as written (keys in their order, the top-level `findings` those of no scope), expanded. */
export function readWrittenResult(path: string): ScanResult {
  return expandResult(JSON.parse(readFileSync(path, 'utf8'))) as ScanResult;
}
