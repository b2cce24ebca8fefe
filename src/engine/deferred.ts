/**
 * Scopes held back until their provider's after-all-scopes step (providers/types.ts `combineScopes`) is done. In a
 * scan that keeps its result in memory they are kept as they are; in a spooled scan (memory flat however large the
 * estate) each is written to a temporary NDJSON file at once and read back one at a time at the end.
 */
import { tmpdir } from 'node:os';
import { type Range, readValue, writeValue } from './line-file.ts';
import { openScratchFiles, type ScratchFiles } from './scratch-files.ts';

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

/**
 * Items (plain JSON objects) as lines in a temporary file (line-file.ts), created on the first one and unlinked at
 * once (scratch-files.ts: nothing is left behind however the process ends).
 */
export function diskStore<T>(parent: string = tmpdir(), name = 'scopes.ndjson'): DeferredStore<T> {
  let files: ScratchFiles | null = null;
  let fd = -1;
  let offset = 0;
  const ranges: Range[] = [];
  const close = () => {
    files?.close();
    files = null;
  };
  return {
    add(item) {
      if (files === null) {
        files = openScratchFiles(parent, 'snapaudit-deferred-', [name]);
        fd = files.fds[0]!;
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
