/**
 * Text kept in a temporary file by byte range (the spool's scopes, the scopes held for the after-all-scopes step).
 * Neither side makes a Buffer per line: a Buffer's memory is freed only once a garbage collection finds it unused, so
 * one a megabyte long per scope (a large account's line) piled up outside V8's heap until the next collection.
 */
import { readSync, writeSync } from 'node:fs';

/** A byte range of a file. */
export interface Range {
  offset: number;
  length: number;
}

/** Writes `text` at `offset` of the file; returns its byte range. */
export function writeText(fd: number, offset: number, text: string): Range {
  const length = Buffer.byteLength(text);
  // written from a string, Node encodes it into memory of its own, freed as the call returns
  let done = writeSync(fd, text, offset);
  if (done < length) {
    const buf = Buffer.from(text);
    while (done < length) done += writeSync(fd, buf, done, length - done, offset + done);
  }
  return { offset, length };
}

/** Reads byte ranges of a file as text through one buffer, grown to the longest range read. */
export class RangeReader {
  private buf = Buffer.alloc(0);
  private readonly fd: number;

  constructor(fd: number) {
    this.fd = fd;
  }

  text(range: Range): string {
    if (this.buf.length < range.length) this.buf = Buffer.allocUnsafe(Math.max(range.length, this.buf.length * 2));
    for (let got = 0; got < range.length; ) {
      const n = readSync(this.fd, this.buf, got, range.length - got, range.offset + got);
      if (n === 0) throw new Error('temporary file ended early');
      got += n;
    }
    return this.buf.toString('utf8', 0, range.length);
  }
}
