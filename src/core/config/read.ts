/**
 * Reading a config file's text, and the error every config problem becomes. Kept apart from the schema (load.ts) so
 * the CLI's launcher (src/cli/heap-policy.ts) can read the two settings it needs without loading the validator.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The largest config file read: a config is a few kilobytes; `--config /dev/zero` must not fill the memory. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The text of a config file: a regular file under MAX_CONFIG_BYTES, else one ConfigError naming the problem. */
export function readConfigText(path: string): string {
  const fail = (what: string, fix = 'pass an existing YAML file with --config, or run without one') =>
    new ConfigError([`${path}: ${what}. Fix: ${fix}.`]);
  let fd: number;
  try {
    // Checked before opening: opening a FIFO would wait for a writer, reading a device would never end.
    if (!statSync(path).isFile()) throw fail('is not a regular file (a folder, device or pipe)');
    fd = openSync(path, 'r');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw fail(`cannot read the config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_CONFIG_BYTES)
      throw fail(`is larger than ${MAX_CONFIG_BYTES / 1024} KiB, too large to be a config file`, 'pass the snapaudit config file');
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
