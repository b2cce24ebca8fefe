/**
 * Scopes held back until their provider's after-all-scopes step (providers/types.ts `combineScopes`) is done. In a
 * scan that keeps its result in memory they are kept as they are; in a spooled scan (memory flat however large the
 * estate) each is written to a temporary NDJSON file at once and read back one at a time at the end.
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RangeReader, writeText } from './line-file.ts';

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

/** Items as JSON lines in a temporary file, created on the first one. */
export function diskStore<T>(parent: string = tmpdir()): DeferredStore<T> {
  let dir: string | null = null;
  let fd = -1;
  let offset = 0;
  const ranges: Array<{ offset: number; length: number }> = [];
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
      const { length } = writeText(fd, offset, `${JSON.stringify(item)}\n`);
      ranges.push({ offset, length: length - 1 });
      offset += length;
    },
    *items() {
      const reader = new RangeReader(fd);
      for (const r of ranges) yield JSON.parse(reader.text(r)) as T;
    },
    get size() {
      return ranges.length;
    },
    close,
  };
}
