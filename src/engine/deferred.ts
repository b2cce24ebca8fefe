/**
 * Scopes held back until their provider's after-all-scopes step (providers/types.ts `combineScopes`) is done. In a
 * scan that keeps its result in memory they are kept as they are; in a spooled scan (memory flat however large the
 * estate) each is written to a temporary NDJSON file at once and read back one at a time at the end.
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Range, readValue, writeValue } from './line-file.ts';

export interface DeferredStore<T> {
  add(item: T): void;
  /** Every item, in the order added, once each. */
  items(): Generator<T>;
  readonly size: number;
  close(): void;
}

export function memoryStore<T>(): DeferredStore<T> {
  const held: T[] = [];
  return {
    add: (item) => void held.push(item),
    *items() {
      while (held.length > 0) yield held.shift()!;
    },
    get size() {
      return held.length;
    },
    close: () => void held.splice(0),
  };
}

/** Items (plain JSON objects) as lines in a temporary file (line-file.ts), created on the first one. */
export function diskStore<T>(parent: string = tmpdir()): DeferredStore<T> {
  let dir: string | null = null;
  let fd = -1;
  let offset = 0;
  const ranges: Range[] = [];
  const close = () => {
    if (dir === null) return;
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    dir = null;
  };
  return {
    add(item) {
      if (dir === null) {
        dir = mkdtempSync(join(parent, 'snapaudit-deferred-'));
        fd = openSync(join(dir, 'scopes.ndjson'), 'w+');
      }
      const range = writeValue(fd, offset, item as object);
      ranges.push(range);
      offset += range.length;
    },
    *items() {
      for (const r of ranges) yield readValue<T>(fd, r);
    },
    get size() {
      return ranges.length;
    },
    close,
  };
}
