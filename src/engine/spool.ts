/**
 * The on-disk spool for large scans: each finished scope is appended to a temporary NDJSON file and forgotten, so
 * memory stays flat however large the estate; at the end the result is streamed out in canonical order, byte for
 * byte what `JSON.stringify(result, null, 2)` would give for the whole result in memory.
 */
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { compareStrings, mergeSorted, scopeKey } from '../core/model/order.ts';
import type { Finding, ScanResult, ScopeResult } from '../core/model/result.ts';
import { type FindingOrder, findingComparators, type ResultSource, type StreamedFile } from '../../reports/source.ts';
import { jsonScopePieces, streamJson } from '../../reports/json.ts';
import { LineReader, LineWriter, readBytes, type Range, readValue, writeValue } from './line-file.ts';
import { openScratchFiles, type ScratchFiles } from './scratch-files.ts';
import type { ScopeSink } from './scan.ts';

/** A finding run: a byte range of one of the spool's files. */
interface Run extends Range {
  fd: number;
}

interface Entry extends Range {
  key: string;
  /** The scope's findings, one per line in its own order, right after the rest of it in scopes.ndjson. */
  own: Range;
  /**
   * The scope's findings in each order renderers read them: its own lines where they are in that order already (a
   * scan's scopes are, canonically: finishScope sorts them), else a sorted run in findings.ndjson, written when a
   * renderer first asks for that order (a scan that writes result.json alone never does).
   */
  runs: Partial<Record<FindingOrder, Run>>;
  /** The scope as result.json lays it out, in json.txt, when it was laid out as it came (`layOutJson`). */
  json: Range | null;
}

export interface SpoolOptions {
  /**
   * Lay each scope out as result.json writes it as it comes (its compact form, pretty JSON), so that writing
   * result.json at the end only copies text: that work is done while the scan waits for the cloud, not after it.
   * For a scan that writes result.json.
   */
  layOutJson?: boolean;
  /**
   * Only scopes whose spooled lines take at most this many bytes are laid out as they come; a larger one (a large
   * account's megabytes) is laid out when result.json is written, as without `layOutJson`, so that the scan's memory
   * never holds a large scope's layout beside the scopes still being collected.
   */
  layOutAheadBytes?: number;
}

/** The default of `layOutAheadBytes`: a scope of a few hundred snapshots or principals. */
const LAY_OUT_AHEAD_BYTES = 2 << 20;

const ORDERS = Object.keys(findingComparators) as FindingOrder[];

/** Memory for read buffers shared by the runs a merge reads at once (each gets 4–64 KiB of it). */
const MERGE_BUFFER_BYTES = 8 << 20;

/** The lines of a byte range of a file, parsed one at a time through a small buffer. */
function* readLines<T>(fd: number, range: Range, blockBytes: number): Generator<T> {
  const lines = new LineReader(fd, range, blockBytes);
  for (let line = lines.next(); line !== null; line = lines.next()) yield JSON.parse(line) as T;
}

/** The lines of a byte range of a file, as text. */
function lineTexts(fd: number, range: Range): string[] {
  const texts: string[] = [];
  const lines = new LineReader(fd, range);
  for (let line = lines.next(); line !== null; line = lines.next()) texts.push(line);
  return texts;
}

/** The permutation that sorts `items` by `compare` (stable: ties keep their order). */
function sortedOrder<T>(items: readonly T[], compare: (a: T, b: T) => number): number[] {
  return items.map((_, i) => i).sort((a, b) => compare(items[a] as T, items[b] as T) || a - b);
}

const isIdentity = (order: readonly number[]): boolean => order.every((v, i) => v === i);

/**
 * A scan's scopes on disk: scopes.ndjson holds each scope as lines (line-file.ts), its findings one per line after
 * the rest of it; findings.ndjson the scope's findings once more for each order renderers read them in that they are
 * not in already (a sorted run per scope). Read back through `source(header)`, the scopes come one at a time in
 * canonical order and the findings as a merge of the runs, so nothing is held but a buffer per scope.
 */
export class SpoolSink implements ScopeSink {
  private readonly files: ScratchFiles;
  private readonly fd: number;
  private readonly findingsFd: number;
  /** json.txt: the scopes laid out as result.json writes them (`layOutJson`), or null. */
  private readonly jsonFd: number | null;
  private readonly layOutAheadBytes: number;
  private readonly entries: Entry[] = [];
  private offset = 0;
  private findingsOffset = 0;
  private jsonOffset = 0;

  constructor(parent: string = tmpdir(), options: SpoolOptions = {}) {
    // unlinked at once: nothing is left behind however the process ends (scratch-files.ts)
    const names = ['scopes.ndjson', 'findings.ndjson', ...(options.layOutJson ? ['json.txt'] : [])];
    this.files = openScratchFiles(parent, 'snapaudit-spool-', names);
    [this.fd, this.findingsFd] = this.files.fds as [number, number];
    this.jsonFd = this.files.fds[2] ?? null;
    this.layOutAheadBytes = options.layOutAheadBytes ?? LAY_OUT_AHEAD_BYTES;
  }

  add(result: ScopeResult): void {
    // the scope with its findings in place as an empty list (their key keeps its place), then its findings
    const { offset, length } = writeValue(this.fd, this.offset, { ...result, findings: [] });
    this.offset += length;
    const out = new LineWriter(this.fd, this.offset);
    for (const f of result.findings) out.line(JSON.stringify(f));
    const own = out.end();
    this.offset += own.length;
    const runs: Entry['runs'] = {};
    for (const order of ORDERS)
      if (isIdentity(sortedOrder(result.findings, findingComparators[order]))) runs[order] = { fd: this.fd, ...own };
    let json: Range | null = null;
    if (this.jsonFd !== null && length + own.length <= this.layOutAheadBytes) {
      const text = new LineWriter(this.jsonFd, this.jsonOffset);
      for (const piece of jsonScopePieces(result)) text.text(piece);
      json = text.end();
      this.jsonOffset += json.length;
    }
    this.entries.push({ key: scopeKey(result), offset, length, own, runs, json });
  }

  /** result.json's scopes in canonical order: as they were laid out when they came, or laid out now. */
  *jsonScopes(): Generator<Iterable<string | Uint8Array>> {
    // as bytes, copied as they are: decoded and encoded again, a scope's text (two bytes a character once it holds a
    // single →) took several times as long to write as its bytes; through one buffer for every scope (a buffer per
    // scope, outside the heap, waits for a collection: some 40 MB of them at ×1 across the three clouds)
    const block = Buffer.allocUnsafe(256 << 10);
    for (const e of this.sorted())
      yield e.json && this.jsonFd !== null ? readBytes(this.jsonFd, e.json, block) : jsonScopePieces(this.read(e));
  }

  /** Writes each scope's sorted run for `order` where it has none yet, one scope's findings in memory at a time. */
  private runsFor(order: FindingOrder): void {
    const compare = findingComparators[order];
    for (const e of this.entries) {
      if (e.runs[order]) continue;
      const texts = lineTexts(this.fd, e.own);
      const findings = texts.map((t) => JSON.parse(t) as Finding);
      const run = new LineWriter(this.findingsFd, this.findingsOffset);
      for (const i of sortedOrder(findings, compare)) run.line(texts[i] as string);
      const range = run.end();
      this.findingsOffset += range.length;
      e.runs[order] = { fd: this.findingsFd, ...range };
    }
  }

  get size(): number {
    return this.entries.length;
  }

  private sorted(): Entry[] {
    return [...this.entries].sort((a, b) => compareStrings(a.key, b.key));
  }

  /** Scopes in canonical order, read back one at a time. */
  *scopes(): Generator<ScopeResult> {
    for (const e of this.sorted()) yield this.read(e);
  }

  private read(e: Entry): ScopeResult {
    const scope = readValue<ScopeResult>(this.fd, e);
    scope.findings = [...readLines<Finding>(this.fd, e.own, 64 << 10)];
    return scope;
  }

  /** Every finding, `header`'s (of no scope) then the scopes' runs merged, in `order`. */
  findings(header: Pick<ScanResult, 'findings'>, order: FindingOrder): Generator<Finding> {
    const compare = findingComparators[order];
    this.runsFor(order);
    const entries = this.sorted();
    const block = Math.min(64 << 10, Math.max(4 << 10, Math.floor(MERGE_BUFFER_BYTES / Math.max(1, entries.length))));
    const runs = entries.map((e) => {
      const run = e.runs[order] as Run;
      return readLines<Finding>(run.fd, run, block);
    });
    return mergeSorted([[...header.findings].sort(compare), ...runs], compare);
  }

  /** The spooled scan as renderers read it, `header` being the result without its scopes (runScan's with a sink). */
  source(header: ScanResult): ResultSource {
    const head: ScanResult = { ...header, scopes: [] };
    return {
      header: head,
      scopes: () => this.scopes(),
      findings: (order) => this.findings(head, order),
      ...(this.jsonFd !== null ? { jsonScopes: () => this.jsonScopes() } : {}),
    };
  }

  close(): void {
    this.files.close();
  }
}

type Write = (s: string | Uint8Array) => Promise<void>;

/**
 * Streams what `body` writes to `path` (created with `flags`), each write awaited. Written from the string itself, so
 * the bytes live in memory Node frees as the write completes, not in a Buffer per write that waits for a collection.
 */
async function streamTo(path: string, flags: 'w' | 'wx', body: (write: Write) => Promise<void>): Promise<void> {
  const out = await open(path, flags, 0o644);
  try {
    await body(async (s) => {
      const { bytesWritten } = typeof s === 'string' ? await out.write(s) : await out.write(s, 0, s.length);
      const length = typeof s === 'string' ? Buffer.byteLength(s) : s.length;
      if (bytesWritten < length) {
        const buf = typeof s === 'string' ? Buffer.from(s) : s;
        for (let done = bytesWritten; done < length; ) done += (await out.write(buf, done, length - done)).bytesWritten;
      }
    });
  } finally {
    await out.close();
  }
}

/** Chunks smaller than this are gathered before they are written (a row at a time would be a write per row). */
const WRITE_BATCH_CHARS = 64 << 10;

/**
 * Writes a streamed file's chunks to `path` (created with `flags`), in batches, waiting for the disk when it asks to.
 * One batch is written while the next is laid out (never more: the writes stay in order, and memory holds two
 * batches), so the disk's time overlaps the layout's instead of adding to it.
 */
export async function writeStreamed(path: string, file: StreamedFile, flags: 'w' | 'wx' = 'w'): Promise<void> {
  await streamTo(path, flags, async (write) => {
    let batch = '';
    let writing: Promise<void> | null = null;
    try {
      for (const chunk of file.chunks()) {
        if (typeof chunk !== 'string') {
          // bytes: written before the next chunk is asked for (the block is the producer's again then), after what
          // is gathered
          if (writing) await writing;
          writing = null;
          if (batch) await write(batch);
          batch = '';
          await write(chunk);
          continue;
        }
        batch += chunk;
        if (batch.length >= WRITE_BATCH_CHARS) {
          if (writing) await writing;
          writing = write(batch);
          batch = '';
        }
      }
    } finally {
      // a write in flight ends before the file is closed (its error, if any, is the one reported)
      if (writing) await writing;
    }
    if (batch) await write(batch);
  });
}

/**
 * Writes `header` (a result whose `scopes` are in the spool) as pretty JSON, streaming the scopes (the top-level
 * `findings` are the header's own, those of no scope), byte for byte what renderJson writes.
 */
export async function writeSpooledResult(path: string, header: ScanResult, spool: SpoolSink, flags: 'w' | 'wx' = 'w'): Promise<void> {
  const [file] = streamJson(spool.source(header));
  await writeStreamed(path, file!, flags);
}
