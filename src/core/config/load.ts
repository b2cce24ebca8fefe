/**
 * Loading and validating configuration. A problem becomes one ConfigError naming the field, the bad value and the
 * fix; the CLI prints it and exits 2 before writing anything.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { scrubSecrets } from '../secrets.ts';
import { ConfigError, readConfigText } from './read.ts';
import { type Config, type ConfigInput, configSchema, type KnownChecks } from './schema.ts';

export { ConfigError, MAX_CONFIG_BYTES, readConfigText } from './read.ts';

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
/** Built on first use: a scan validates against the registry's schema (`known`) and never needs this one. */
let structural: ReturnType<typeof configSchema> | undefined;

/**
 * A config is parsed once per process: zod's compiled fast path for objects (`new Function` per object schema, the
 * first time it parses) would cost more to generate and compile than it saves — some 140 M instructions, a third of
 * the config's validation, before a scan's first request. Its plain parser gives the same result and the same issues.
 */
const ONCE = { reportInput: true, jitless: true } as const;

/**
 * Parses and validates a config. `known` (the registry's check ids and option schemas, passed by the application)
 * makes suppressions and `checks:` entries that name an unknown check, and bad check options, errors; without it
 * they are checked for structure only.
 */
export function parseConfig(data: unknown, source = 'config', known: KnownChecks | null = null): Config {
  let schema = known ? schemas.get(known) : (structural ??= configSchema(null));
  if (!schema) schemas.set(known!, (schema = configSchema(known)));
  const parsed = schema.safeParse(data ?? {}, ONCE);
  if (!parsed.success) throw new ConfigError(describeIssues(source, parsed.error));
  return parsed.data;
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
