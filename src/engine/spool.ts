/**
 * The on-disk spool for large scans: each finished scope is appended to a temporary NDJSON file and forgotten, so
 * memory stays flat however large the estate; at the end the result is streamed out in canonical order, byte for
 * byte what `JSON.stringify(result, null, 2)` would give for the whole result in memory.
 */
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { compareStrings, scopeKey, sortFindings } from '../core/model/order.ts';
import type { ScanResult, ScopeResult } from '../core/model/result.ts';
import { NDJSON_FILE, ndjsonHeaderLine, ndjsonScopeLine } from '../../reports/ndjson.ts';
import type { ScopeSink } from './scan.ts';

interface Entry {
  key: string;
  offset: number;
  length: number;
}

export class SpoolSink implements ScopeSink {
  private readonly dir: string;
  private readonly fd: number;
  private readonly entries: Entry[] = [];
  private offset = 0;

  constructor(parent: string = tmpdir()) {
    this.dir = mkdtempSync(join(parent, 'snapaudit-spool-'));
    this.fd = openSync(join(this.dir, 'scopes.ndjson'), 'w+');
  }

  add(result: ScopeResult): void {
    const buf = Buffer.from(`${JSON.stringify(result)}\n`);
    writeSync(this.fd, buf, 0, buf.length, this.offset);
    this.entries.push({ key: scopeKey(result), offset: this.offset, length: buf.length - 1 });
    this.offset += buf.length;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Scopes in canonical order, read back one at a time. */
  *scopes(): Generator<ScopeResult> {
    const sorted = [...this.entries].sort((a, b) => compareStrings(a.key, b.key));
    for (const e of sorted) {
      const buf = Buffer.alloc(e.length);
      readSync(this.fd, buf, 0, e.length, e.offset);
      yield JSON.parse(buf.toString('utf8')) as ScopeResult;
    }
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const PLACEHOLDER = '"@@snapaudit-spooled-scopes@@"';
const FINDINGS_PLACEHOLDER = '"@@snapaudit-spooled-findings@@"';

type Write = (s: string) => Promise<void>;

/** Streams what `body` writes to `path` (created with `flags`), waiting for the disk whenever it asks to. */
async function streamTo(path: string, flags: 'w' | 'wx', body: (write: Write) => Promise<void>): Promise<void> {
  const out = createWriteStream(path, { flags, mode: 0o644 });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  const write: Write = async (s) => {
    if (!out.write(s)) await Promise.race([once(out, 'drain'), failed]);
  };
  await Promise.race([body(write), failed]);
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}

/**
 * Writes `header` (a result whose `scopes` are in the spool) as pretty JSON, streaming the scopes and then the
 * top-level `findings` (every finding: the header's own, then each scope's), byte for byte what renderJson writes.
 */
export async function writeSpooledResult(path: string, header: ScanResult, spool: SpoolSink, flags: 'w' | 'wx' = 'w'): Promise<void> {
  await streamTo(path, flags, (write) => writeResultJson(write, header, spool));
}

/**
 * Writes `header` and the spooled scopes as NDJSON (reports/ndjson.ts), one scope per line. The header line carries
 * the header's own findings only (those of no scope): each scope line carries its own, so nothing is written twice.
 */
export async function writeSpooledNdjson(path: string, header: ScanResult, spool: SpoolSink, flags: 'w' | 'wx' = 'w'): Promise<void> {
  await streamTo(path, flags, async (write) => {
    await write(ndjsonHeaderLine(header));
    for (const scope of spool.scopes()) await write(ndjsonScopeLine(scope));
  });
}

/** Writes a top-level array item by item, as `JSON.stringify(…, null, 2)` lays one out. */
async function writeArray(write: Write, items: Iterable<unknown>): Promise<void> {
  let first = true;
  for (const item of items) {
    const body = JSON.stringify(item, null, 2).replace(/\n/g, '\n    ');
    await write(`${first ? '[\n' : ',\n'}    ${body}`);
    first = false;
  }
  await write(first ? '[]' : '\n  ]');
}

/** result.json's top-level findings: the header's own (canonical order), then each spooled scope's, read back scope by scope. */
function* findingsOnDiskFromSpool(header: ScanResult, spool: SpoolSink): Generator<unknown> {
  yield* sortFindings(header.findings);
  for (const scope of spool.scopes()) yield* scope.findings;
}

async function writeResultJson(write: Write, header: ScanResult, spool: SpoolSink): Promise<void> {
  const text = JSON.stringify({ ...header, scopes: PLACEHOLDER.slice(1, -1), findings: FINDINGS_PLACEHOLDER.slice(1, -1) }, null, 2);
  const at = text.indexOf(PLACEHOLDER);
  const findingsAt = text.indexOf(FINDINGS_PLACEHOLDER);
  await write(text.slice(0, at));
  await writeArray(write, spool.scopes());
  await write(text.slice(at + PLACEHOLDER.length, findingsAt));
  await writeArray(write, findingsOnDiskFromSpool(header, spool));
  await write(`${text.slice(findingsAt + FINDINGS_PLACEHOLDER.length)}\n`);
}

/** The formats written from the spool, by output file name. */
export const spooledWriters: Record<string, { name: string; write: typeof writeSpooledResult }> = {
  json: { name: 'result.json', write: writeSpooledResult },
  ndjson: { name: NDJSON_FILE, write: writeSpooledNdjson },
};
