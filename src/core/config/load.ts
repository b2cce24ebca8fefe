/**
 * Loading and validating configuration. A problem becomes one ConfigError naming the field, the bad value and the
 * fix; the CLI prints it and exits 2 before writing anything.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { scrubSecrets } from '../secrets.ts';
import { type Config, type ConfigInput, configSchema, type KnownChecks } from './schema.ts';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const fixes: Record<string, string> = {
  unrecognized_keys: 'remove it or check its spelling against the config reference in docs/configuration.md',
  invalid_type: 'use the type the config reference in docs/configuration.md gives',
  invalid_value: 'use one of the allowed values',
  invalid_format: 'use the format shown',
  too_small: 'use a larger value',
  too_big: 'use a smaller value',
};

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // A value typed into the wrong field can be a credential (a password in a URL): never echoed as it is.
  const s = scrubSecrets(JSON.stringify(value));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function describeIssues(source: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(top level)';
    const input = 'input' in issue ? issue.input : undefined;
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.join(', ');
      return `${source}: ${path === '(top level)' ? '' : `${path}.`}${keys}: unknown field. Fix: ${fixes.unrecognized_keys}.`;
    }
    const own = issue.code === 'custom' ? (issue.params as { fix?: unknown } | undefined)?.fix : undefined;
    const fix = typeof own === 'string' ? own : (fixes[issue.code] ?? 'correct the value');
    return `${source}: ${path}: ${issue.message} (got ${show(input)}). Fix: ${fix}.`;
  });
}

const schemas = new WeakMap<KnownChecks, ReturnType<typeof configSchema>>();
const structural = configSchema(null);

/**
 * Parses and validates a config. `known` (the registry's check ids and option schemas, passed by the application)
 * makes suppressions and `checks:` entries that name an unknown check, and bad check options, errors; without it
 * they are checked for structure only.
 */
export function parseConfig(data: unknown, source = 'config', known: KnownChecks | null = null): Config {
  let schema = known ? schemas.get(known) : structural;
  if (!schema) schemas.set(known!, (schema = configSchema(known)));
  const parsed = schema.safeParse(data ?? {}, { reportInput: true });
  if (!parsed.success) throw new ConfigError(describeIssues(source, parsed.error));
  return parsed.data;
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

export function loadConfigFile(path: string, known: KnownChecks | null = null): Config {
  const text = readConfigText(path);
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new ConfigError([`${path}: not valid YAML${where}: ${(err as Error).message.split('\n')[0]}. Fix: correct the YAML syntax.`]);
  }
  return parseConfig(data, path, known);
}

/** The config used when none is given: AWS single-account mode with the ambient credentials. */
export function defaultConfig(overrides: Partial<ConfigInput> = {}, known: KnownChecks | null = null): Config {
  return parseConfig({ version: 1, providers: { aws: {} }, ...overrides }, 'defaults', known);
}
