/**
 * Values kept in a temporary file as JSON lines (the spool's scopes and finding runs, the scopes held for the
 * after-all-scopes step), written and read back without a string or a Buffer the size of a whole scope. A large
 * account's scope is megabytes of JSON: as one string it is a large object V8 frees only in a full collection, and as
 * a Buffer it is freed only once a collection finds it unused, so at the end of a scan, where hundreds of held scopes
 * are finished one after the other, they piled up by tens of megabytes. A value is written as lines instead — itself
 * with its arrays left out, then their items one per line — and read back a line at a time through one buffer.
 */
import { readSync, writeSync } from 'node:fs';
import { isPlainContainer } from '../../reports/source.ts';

/** A byte range of a file. */
export interface Range {
  offset: number;
  length: number;
}

/** Lines gathered up to this many bytes before they are written (a line at a time would be a write per line). */
const BATCH_BYTES = 64 << 10;

/** Writes `text` at `offset` of the file; returns the bytes written. */
function writeText(fd: number, offset: number, text: string): number {
  const length = Buffer.byteLength(text);
  // written from a string, Node encodes it into memory of its own, freed as the call returns
  let done = writeSync(fd, text, offset);
  if (done < length) {
    const buf = Buffer.from(text);
    while (done < length) done += writeSync(fd, buf, done, length - done, offset + done);
  }
  return length;
}

/** Writes `length` bytes of `buf` at `offset` of the file. */
function writeBytes(fd: number, offset: number, buf: Buffer, length: number): void {
  for (let done = 0; done < length; ) done += writeSync(fd, buf, done, length - done, offset + done);
}

/** The batch buffer of the writer that last ended, for the next one (writers are used one after another). */
let spare: Buffer | null = null;

/**
 * Appends lines to a file from `offset`, in batches; `end()` writes what is left and gives their byte range. Each line
 * is encoded straight into a batch buffer outside V8's heap: gathered as one string, the batch was a chain of
 * concatenations flattened into a copy before every write — young-generation garbage of the size of all that was
 * written, collected while the scan runs.
 */
export class LineWriter {
  private readonly fd: number;
  private readonly offset: number;
  private written = 0;
  private buf: Buffer | null = null;
  private used = 0;

  constructor(fd: number, offset: number) {
    this.fd = fd;
    this.offset = offset;
  }

  line(text: string): void {
    this.text(text, true);
  }

  /** Appends `text` as it is (no line end unless `newline`): a piece of a longer text. */
  text(text: string, newline = false): void {
    // at most 3 bytes of UTF-8 per UTF-16 unit, and the newline
    const most = text.length * 3 + 1;
    if (most > BATCH_BYTES) {
      // a piece longer than a batch: written from its string, after what is gathered
      this.flush();
      this.written += writeText(this.fd, this.offset + this.written, newline ? `${text}\n` : text);
      return;
    }
    if (!this.buf) {
      this.buf = spare ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
      spare = null;
    }
    if (this.used + most > BATCH_BYTES) this.flush();
    this.used += this.buf.write(text, this.used, 'utf8');
    if (newline) this.buf[this.used++] = 0x0a;
  }

  end(): Range {
    this.flush();
    if (this.buf) {
      spare = this.buf;
      this.buf = null;
    }
    return { offset: this.offset, length: this.written };
  }

  private flush(): void {
    if (!this.buf || this.used === 0) return;
    writeBytes(this.fd, this.offset + this.written, this.buf, this.used);
    this.written += this.used;
    this.used = 0;
  }
}

/** Reads the lines of a byte range of a file one at a time through one buffer (grown only for a longer line). */
export class LineReader {
  private readonly fd: number;
  private buf: Buffer | null = null;
  private start = 0;
  private end = 0;
  private pos: number;
  private readonly stop: number;
  private readonly blockBytes: number;

  constructor(fd: number, range: Range, blockBytes = 64 << 10) {
    this.fd = fd;
    this.pos = range.offset;
    this.stop = range.offset + range.length;
    this.blockBytes = blockBytes;
  }

  /** The next line without its end, or null after the last. */
  next(): string | null {
    for (;;) {
      const buf = this.buf;
      if (buf) {
        const nl = buf.indexOf(0x0a, this.start);
        if (nl >= 0 && nl < this.end) {
          const line = buf.toString('utf8', this.start, nl);
          this.start = nl + 1;
          return line;
        }
      }
      if (this.pos >= this.stop) {
        if (this.start < this.end) throw new Error('temporary file: a line without its end');
        return null;
      }
      this.fill();
    }
  }

  /** Reads on into the buffer, after the partial line it holds (moved to its start, the buffer doubled if it is full). */
  private fill(): void {
    let buf = this.buf ?? Buffer.allocUnsafe(Math.max(1, Math.min(this.blockBytes, this.stop - this.pos)));
    if (this.start > 0) {
      buf.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, this.end);
      buf = bigger;
    }
    this.buf = buf;
    const n = readSync(this.fd, buf, this.end, Math.min(buf.length - this.end, this.stop - this.pos), this.pos);
    if (n === 0) throw new Error('temporary file ended early');
    this.pos += n;
    this.end += n;
  }
}

/**
 * The bytes of a byte range of a file, in blocks read through `buf`: each block is that buffer's, valid until the
 * next is asked for (a consumer writes or copies it first).
 */
export function* readBytes(fd: number, range: Range, buf: Buffer): Generator<Uint8Array> {
  const stop = range.offset + range.length;
  for (let pos = range.offset; pos < stop; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, stop - pos), pos);
    if (n === 0) throw new Error('temporary file ended early');
    pos += n;
    yield buf.subarray(0, n);
  }
}

/** Arrays this many object levels deep or less are written an item per line (a scope's snapshots; a held scope's). */
const SPLIT_LEVELS = 2;

type Json = Record<string, unknown>;

/** A plain object (what JSON.parse makes): split into lines; anything else is written whole. */
const isObject = (v: unknown): v is Json => isPlainContainer(v) && !Array.isArray(v);

/**
 * Writes `value` (a plain JSON object) as lines from `offset`: first the paths of its arrays that hold items, with
 * the value itself, each of those arrays in place as its length; then the arrays' items, one per line, path by path.
 */
export function writeValue(fd: number, offset: number, value: object): Range {
  const paths: string[][] = [];
  const arrays: unknown[][] = [];
  const head = splitArrays(value as Json, [], SPLIT_LEVELS, paths, arrays);
  const out = new LineWriter(fd, offset);
  out.line(JSON.stringify([paths, head]));
  for (const items of arrays) for (const item of items) out.line(JSON.stringify(item) ?? 'null');
  return out.end();
}

/** A shallow copy of `node` with each array that holds items (down `levels` object levels) replaced by its length. */
function splitArrays(node: Json, at: string[], levels: number, paths: string[][], arrays: unknown[][]): Json {
  const copy: Json = { ...node };
  for (const [key, v] of Object.entries(node)) {
    if (Array.isArray(v) && v.length > 0) {
      paths.push([...at, key]);
      arrays.push(v);
      copy[key] = v.length;
    } else if (isObject(v) && levels > 1) copy[key] = splitArrays(v, [...at, key], levels - 1, paths, arrays);
  }
  return copy;
}

/** Reads back a value `writeValue` wrote at `range`. */
export function readValue<T>(fd: number, range: Range): T {
  const lines = new LineReader(fd, range);
  const next = (): string => {
    const line = lines.next();
    if (line === null) throw new Error('temporary file: a value without all its lines');
    return line;
  };
  const [paths, head] = JSON.parse(next()) as [string[][], Json];
  for (const path of paths) {
    let parent = head;
    for (const key of path.slice(0, -1)) parent = parent[key] as Json;
    const last = path[path.length - 1] as string;
    const items: unknown[] = new Array(parent[last] as number);
    for (let i = 0; i < items.length; i++) items[i] = JSON.parse(next());
    parent[last] = items;
  }
  return head as T;
}
