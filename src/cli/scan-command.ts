/**
 * `snapaudit scan`: load and check the config, (for --demo) start the lab, run the scan, render the formats, write
 * them, print a summary and return the exit code. Config problems are found before anything is written.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogue, knownChecks, selectChecks } from '../../checks/index.ts';
import { type ProviderConnections, createAdapters, enabledProviders } from '../../providers/index.ts';
import { outputFormats, streamingFormats, trendFormats } from '../../reports/formats.ts';
import { loadStreamers } from '../../reports/load.ts';
import type { RenderContext } from '../../reports/types.ts';
import { emptyTally, renderSummary, type SummaryTally, tallyFindings, tallyResult, tallyScope } from '../../reports/summary.ts';
import { compareStrings, scopeKey } from '../core/model/order.ts';
import type { ScanStage } from '../store/stage.ts';
import type { Trend } from '../core/model/trend.ts';
import type { Lab } from '../../lab/server.ts';
import { parse as parseYaml } from 'yaml';
import { ConfigError, defaultConfig, loadConfigFile, readConfigText } from '../core/config/load.ts';
import { frameworkIds } from '../core/frameworks/index.ts';
import type { Config, ConfigInput } from '../core/config/schema.ts';
import { type Clock, fixedClock, systemClock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { runScan, type Shard, strayProvider, withInternalErrors } from '../engine/scan.ts';
import { SpoolSink } from '../engine/spool.ts';
import { suppressionNotes } from '../core/baseline/suppressions.ts';
import { ScanStats } from '../engine/stats.ts';
import { providerIds, severities, type Provider, type ScanResult, type ScopeResult, type Severity } from '../core/model/result.ts';
import { currentHeapPolicy, heapLimitMiB, parseMemoryBudget, releaseBeforeWriting } from './heap-policy.ts';
import { commandLogFormat, commandLogger } from './command-log.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { prepareOutputDir, type StagedOutputs, stageStreamedOutputs, writeOutputs, writeStreamedOutputs } from './output.ts';
import type { OutputFile } from '../core/output-file.ts';
import { startTtyProgress } from './progress.ts';
import { applyTlsTrust, warnInsecureTransport } from './transport.ts';
import { ScanState, statePathFor } from './scan-state.ts';

/** The built-in demo estate, from the sources (src/cli) or from the compiled tree (dist/src/cli). */
export const DEMO_ESTATE = [new URL('../../lab/estates/demo', import.meta.url), new URL('../../../lab/estates/demo', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((p) => existsSync(p)) as string;

export interface ScanFlags {
  config?: string;
  provider?: string;
  out?: string;
  format?: string;
  demo?: boolean;
  estate?: string;
  failOn?: string;
  maxGap?: string;
  quiet?: boolean;
  logFormat?: string;
  now?: string;
  shard?: string;
  progress?: boolean;
  framework?: string;
  /** State file (`--state FILE`), or false with `--no-state`. */
  state?: string | false;
  /** false with `--no-tickets`: do not sync tickets even when tickets.enabled. */
  tickets?: boolean;
  /** `--memory-budget MiB`: consumed by the launcher (src/cli/heap-policy.ts); checked here. */
  memoryBudget?: string;
  /**
   * A lab already serving in another process (the benchmarks): the scan is pointed at it as `--demo` points it at
   * its own. Not a command-line option.
   */
  lab?: LabAddress;
}

/** Where a scanner finds a lab: its endpoints, its fixed non-secret credentials and its CA. */
export type LabAddress = Pick<Lab, 'endpoints' | 'credentials' | 'ca'>;

/** Observers for callers that run scans in-process (`snapaudit schedule`). */
export interface ScanHooks {
  /** The whole result (the scan then keeps it in memory instead of spooling it). */
  onResult?(result: ScanResult): void;
  /** The result's header (scopes spooled, or not) and the tally of every scope's findings, once it is written. */
  onSummary?(header: ScanResult, tally: SummaryTally): void;
  /** Once every scope is scanned and checked, before the outputs are written (the pipeline bench measures the two apart). */
  onScanned?(): void;
}

export function parseList<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((i) => !allowed.includes(i as T));
  if (bad.length > 0 || items.length === 0) {
    throw new UsageError(
      `${flag}: ${bad.length ? `unknown value "${bad[0]}"` : 'empty list'}. Fix: use a comma-separated list of ${allowed.join(', ')}.`,
    );
  }
  return [...new Set(items)] as T[];
}

export function parseShard(value: string | undefined): Shard | null {
  if (value === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 0 || index >= count) {
    throw new UsageError(`--shard: "${value}" is not a shard. Fix: use i/n with 0 <= i < n, e.g. --shard 0/4.`);
  }
  return { index, count };
}

function parseClock(value: string | undefined): Clock {
  if (value === undefined) return systemClock;
  if (Number.isNaN(Date.parse(value)))
    throw new UsageError(`--now: "${value}" is not a time. Fix: use an ISO 8601 time such as 2026-11-26T00:00:00Z.`);
  return fixedClock(value);
}

/** Exit code for a finished scan: 3 when more scopes than allowed could not be read, else 1 for findings, else 0. */
export function exitCodeFor(
  result: ScanResult,
  failOn: Severity | 'none',
  maxGap: number,
  tally: SummaryTally = tallyResult(result),
): number {
  const s = result.stats.scopes;
  const gaps = s.total - s.complete + result.discovery.filter((d) => d.status !== 'complete').length;
  if (result.scan.interrupted || gaps > maxGap) return ExitCode.incomplete;
  if (failOn === 'none') return ExitCode.ok;
  const hit = severities.slice(0, severities.indexOf(failOn) + 1).some((sev) => tally.open[sev] > 0);
  return hit ? ExitCode.findings : ExitCode.ok;
}

interface Prepared {
  config: Config;
  providers: Provider[];
  formats: string[];
  outDir: string;
  clock: Clock;
  shard: Shard | null;
  failOn: Severity | 'none';
  maxGap: number;
  frameworks: string[];
  /** The state store file, or null when the state store is off. */
  statePath: string | null;
}

/**
 * The checks a config must pass before a scan, the same for `scan` and `config validate`: a provider is enabled
 * (or the one --provider names), and every output format the config lists can be rendered. Returns the providers.
 */
export function checkScanConfig(config: Config, only: Provider[] | null = null): Provider[] {
  const providers = enabledProviders(config, only ?? undefined);
  if (providers.length === 0) {
    throw new UsageError(
      only
        ? `--provider ${only.join(',')}: not enabled in the config. Fix: add providers.${only[0]} to the config file.`
        : 'no provider is enabled. Fix: add a providers.aws, providers.azure or providers.gcp section to the config file.',
    );
  }
  const missing = config.output.formats.filter((f) => !outputFormats.includes(f));
  if (missing.length > 0) {
    throw new UsageError(`output.formats: ${missing.join(', ')} cannot be rendered by this version. Fix: use ${outputFormats.join(', ')}.`);
  }
  return providers;
}

/**
 * `--demo` scans the demo organisation as a real run would scan an organisation: AWS in organization mode. A config
 * given with it decides which clouds are scanned and everything else (baseline, suppressions, checks, policy,
 * regions, output, state); the AWS mode becomes organization unless `keepAwsMode` (the config file sets the mode
 * itself, or the estate is not the built-in demo organisation and may be a single account).
 */
/**
 * What `--demo` scans with when no config is given: the demo organisation, with the policy its activity review is
 * judged against (08:00-18:00 UTC, the organisation's network 203.0.113.0/24, the `classification: secret` tag).
 */
const DEMO_CONFIG: Partial<ConfigInput> = {
  providers: { aws: { mode: 'organization' }, azure: {}, gcp: {} },
  policy: {
    // Every day of the week: the lab moves the estate's times with the clock, so a weekday rule would judge the same
    // event differently from one demo day to the next (hours stay put when runs are whole days apart).
    businessHours: { timeZone: 'UTC', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '08:00', end: '18:00' },
    trustedNetworks: { cidrs: ['203.0.113.0/24'], vpcEndpoints: [] },
  },
  checks: { 'activity.sensitive-source': { tags: ['classification=secret'] } },
};

export function demoConfig(config: Config | null, keepAwsMode = false): Config {
  if (!config) return defaultConfig(DEMO_CONFIG);
  const aws = config.providers.aws;
  return aws && !keepAwsMode ? { ...config, providers: { ...config.providers, aws: { ...aws, mode: 'organization' } } } : config;
}

/** Does the YAML file itself set `providers.aws.mode` (rather than leave it to the schema's default)? */
function setsAwsMode(path: string): boolean {
  const data = parseYaml(readConfigText(path)) as { providers?: { aws?: { mode?: unknown } } } | null;
  return data?.providers?.aws?.mode !== undefined;
}

/** Everything that can be wrong with the invocation is found here, before any lab starts or file is written. */
export function prepareScan(flags: ScanFlags, io: CliIo): Prepared {
  const file = flags.config ? resolve(io.cwd, flags.config) : null;
  const loaded = file ? loadConfigFile(file, knownChecks) : null;
  const config = flags.demo
    ? demoConfig(loaded, file !== null && (flags.estate !== undefined || setsAwsMode(file)))
    : (loaded ?? defaultConfig());
  applyTlsTrust(config, io);
  const only = parseList(flags.provider, providerIds, '--provider');
  const providers = checkScanConfig(flags.format ? { ...config, output: { ...config.output, formats: [] } } : config, only);
  const formats = parseList(flags.format, outputFormats, '--format') ?? config.output.formats.filter((f) => outputFormats.includes(f));
  const failOn =
    flags.failOn === undefined
      ? flags.demo
        ? 'none'
        : config.failOn
      : (parseList(flags.failOn, [...severities, 'none'] as const, '--fail-on')?.[0] ?? 'high');
  let maxGap = config.maxGap;
  if (flags.maxGap !== undefined) {
    maxGap = Number(flags.maxGap);
    if (!Number.isInteger(maxGap) || maxGap < 0)
      throw new UsageError(`--max-gap: "${flags.maxGap}" is not a count. Fix: use a whole number such as 0 or 5.`);
  }
  if (flags.logFormat !== undefined && flags.logFormat !== 'json' && flags.logFormat !== 'text') {
    throw new UsageError(`--log-format: "${flags.logFormat}" is not a log format. Fix: use json or text.`);
  }
  if (flags.out !== undefined && flags.out.trim() === '') {
    throw new UsageError('--out: the output folder is empty. Fix: name a folder, e.g. --out snapaudit-out.');
  }
  if (flags.memoryBudget !== undefined) parseMemoryBudget(flags.memoryBudget);
  const prepared: Prepared = {
    config,
    providers,
    formats: formats.includes('json') ? formats : ['json', ...formats],
    outDir: resolve(io.cwd, flags.out ?? config.output.dir),
    clock: parseClock(flags.now),
    shard: parseShard(flags.shard),
    failOn,
    maxGap,
    frameworks: parseList(flags.framework, frameworkIds(), '--framework') ?? [],
    statePath: statePathFor(flags.state, config, io.cwd),
  };
  // Last, once everything else is valid: the output folder exists (or is created) and takes a file.
  prepareOutputDir(prepared.outDir, flags.out !== undefined ? '--out' : 'output.dir');
  return prepared;
}

/** The outputs could not be written after the scan (the folder vanished, filled up or changed): nothing recorded. */
export class OutputWriteError extends UsageError {
  constructor(dir: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    const what = `${code ? `${code}: ` : ''}${cause instanceof Error ? cause.message : String(cause)}`;
    super(
      `could not write the outputs to ${dir} after scanning (${what}); the scan was not recorded in the state store and no ticket was synced. Fix: make the folder writable (or free space) and scan again.`,
    );
    this.name = 'OutputWriteError';
  }
}

/** One line saying which heap policy the scan runs under: the budget's, the operator's flags, or Node's defaults. */
function logMemoryPolicy(log: Logger, config: Config): void {
  const policy = currentHeapPolicy();
  log.info('scan.memory', {
    policy: policy.kind,
    budgetMiB: policy.kind === 'budget' ? policy.budgetMiB : (config.scan.memoryBudgetMiB ?? null),
    heapLimitMiB: heapLimitMiB(),
  });
}

/** Points the config at the lab and hands the adapters its credentials. */
export function labConnections(lab: LabAddress, config: Config): { config: Config; connections: ProviderConnections } {
  const providers = { ...config.providers };
  if (providers.aws && lab.endpoints.aws) providers.aws = { ...providers.aws, endpoint: lab.endpoints.aws };
  if (providers.azure && lab.endpoints.azure) {
    // The lab serves ARM and a Microsoft Entra ID token endpoint on the same HTTPS listener.
    providers.azure = { ...providers.azure, endpoint: lab.endpoints.azure, authorityHost: lab.endpoints.azure };
  }
  if (providers.gcp && lab.endpoints.gcp) providers.gcp = { ...providers.gcp, endpoint: lab.endpoints.gcp };
  const connections: ProviderConnections = {};
  const awsCreds = lab.credentials.aws;
  if (awsCreds?.accessKeyId && awsCreds.secretAccessKey) {
    connections.aws = { credentials: { accessKeyId: awsCreds.accessKeyId, secretAccessKey: awsCreds.secretAccessKey } };
  }
  if (lab.credentials.azure) connections.azure = { credential: lab.credentials.azure, ...(lab.ca ? { ca: lab.ca } : {}) };
  if (lab.credentials.gcp) connections.gcp = { authClient: lab.credentials.gcp };
  return { config: { ...config, providers }, connections };
}

export async function scanCommand(flags: ScanFlags, io: CliIo, hooks: ScanHooks = {}): Promise<number> {
  const p = prepareScan(flags, io);
  const state = ScanState.open(p.config, p.clock, p.statePath, 'scan', {
    env: io.env,
    ...(flags.tickets === false ? { tickets: false } : {}),
  });
  try {
    return await scanWithState(flags, io, hooks, p, state);
  } finally {
    state.close();
  }
}

async function scanWithState(flags: ScanFlags, io: CliIo, hooks: ScanHooks, p: Prepared, state: ScanState): Promise<number> {
  const quiet = flags.quiet === true;
  const logFormat = commandLogFormat(io, flags.logFormat);
  const log = commandLogger(io, { quiet, logFormat });
  logMemoryPolicy(log, p.config);
  warnInsecureTransport(p.config, io, {
    providers: flags.demo ? [] : p.providers,
    tickets: p.config.tickets?.enabled === true && flags.tickets !== false,
    logFormat,
  });

  let lab: Lab | null = null;
  let config = p.config;
  let connections: ProviderConnections = {};
  if (flags.demo) {
    const { loadEstate } = await import('../../lab/estate.ts');
    const { startLab } = await import('../../lab/server.ts');
    const estate = loadEstate(resolve(io.cwd, flags.estate ?? DEMO_ESTATE));
    lab = await startLab({ estate, now: p.clock.now(), providers: p.providers.filter((x) => estate[x] !== undefined) });
    ({ config, connections } = labConnections(lab, config));
    const served = p.providers.filter((x) => lab?.endpoints[x]);
    if (!quiet) io.stderr(`lab: serving ${served.join(', ')} from ${flags.estate ?? 'the built-in demo estate'}\n`);
    const left = providerIds.filter((x) => estate[x] !== undefined && !served.includes(x));
    if (!quiet && left.length > 0) {
      io.stderr(
        `lab: the estate also holds ${left.join(', ')}, not scanned: the config (or --provider) leaves ${left.length === 1 ? 'it' : 'them'} out\n`,
      );
    }
  } else if (flags.lab) ({ config, connections } = labConnections(flags.lab, config));

  // Process-level guard: a rejection nobody awaited (or an exception thrown from a library callback) during the scan
  // becomes an internal-error gap of the provider it came from, and the result is still written.
  const strays: Array<{ provider: Provider | null; error: unknown }> = [];
  const offStrays = io.strays?.on((error) => {
    const provider = strayProvider(error, p.providers);
    strays.push({ provider, error });
    log.error('scan.internal_error', { provider, message: error instanceof Error ? error.message : String(error) });
  });
  try {
    return await scanGuarded(flags, io, hooks, p, state, { log, quiet, lab, config, connections, strays });
  } finally {
    offStrays?.();
    await lab?.close();
  }
}

type Finished = { written: string[]; lines: string[] };

/** The renderers, loaded once the scan is done (a scan's start does not need them). */
type Reports = typeof import('../../reports/index.ts');

/** Streams the outputs from the spool, then records the staged scan with them put in place. */
async function finishSpooled(
  p: Prepared,
  state: ScanState,
  log: Logger,
  header: ScanResult,
  spool: SpoolSink,
  stage: ScanStage | null,
  notes: string[],
): Promise<Finished> {
  const source = spool.source(header);
  const ctx = renderContext(p, null);
  // The formats that show the trend are written inside the store's final transaction (the trend is known there);
  // the others are staged before it and put in place inside it.
  const later = p.formats.filter((f) => trendFormats.includes(f));
  let outputs: StagedOutputs;
  let streamers: Awaited<ReturnType<typeof loadStreamers>>;
  try {
    // only the renderers of the formats asked for (all of them are some 14 MB of RSS beside a JSON-only scan's write)
    streamers = await loadStreamers(later);
    outputs = await stageStreamedOutputs(
      p.outDir,
      source,
      p.formats.filter((f) => !later.includes(f)),
      ctx,
    );
  } catch (err) {
    spool.close();
    stage?.discard();
    throw err;
  }
  try {
    const write = (trend: Trend | null) => [
      ...outputs.place(),
      ...writeStreamedOutputs(
        p.outDir,
        later.flatMap((f) => streamers[f]?.(source, { ...ctx, trend }) ?? []),
      ),
    ];
    return state.finish(header, log, write, stage, notes);
  } catch (err) {
    outputs.discard();
    throw err;
  } finally {
    spool.close();
  }
}

/** What the renderers get besides the result: the trend, the framework views asked for, the catalogue, the HTML's size. */
function renderContext(p: Prepared, trend: Trend | null): RenderContext {
  return { frameworks: p.frameworks, trend, checks: catalogue, html: p.config.output.html };
}

/** Renders every format from the whole result and records it (with the trend the reports show). */
function finishWhole(reports: Reports, p: Prepared, state: ScanState, log: Logger, result: ScanResult, stage: ScanStage | null): Finished {
  const render = (trend: Trend | null): OutputFile[] =>
    p.formats.flatMap((f) => reports.renderers[f]?.(result, renderContext(p, trend)) ?? []);
  return state.finish(result, log, (trend) => writeOutputs(p.outDir, render(trend)), stage);
}

interface ScanContext {
  log: Logger;
  quiet: boolean;
  lab: Lab | null;
  config: Config;
  connections: ProviderConnections;
  strays: Array<{ provider: Provider | null; error: unknown }>;
}

async function scanGuarded(flags: ScanFlags, io: CliIo, hooks: ScanHooks, p: Prepared, state: ScanState, c: ScanContext): Promise<number> {
  const { log, quiet, lab, config, connections } = c;
  const controller = new AbortController();
  const offSignals = io.signals?.on((sig) => {
    if (controller.signal.aborted) return;
    log.warn('scan.interrupt', { signal: sig });
    if (io.isTTY && !quiet) io.stderr(`\n${sig}: finishing with a partial result…\n`);
    controller.abort();
  });
  const stats = new ScanStats();
  const progress = io.isTTY && !quiet && flags.progress !== false && io.redraw ? startTtyProgress(stats, io.redraw, io.stderr) : null;
  // Each finished scope goes, at once, to the summary tally, to the state store's stage (when the store is on) and
  // either to the on-disk spool — when every asked format streams from it (reports/formats.ts) and no
  // in-process caller wants the whole result, so memory stays flat however large the organisation — or to the
  // result the other renderers need whole.
  // A scan that writes result.json lays each scope out for it as it comes, while the scan waits for the cloud, so that
  // writing it at the end copies bytes (src/engine/spool.ts `layOutJson`).
  const spool =
    p.formats.every((f) => streamingFormats.includes(f)) && !hooks.onResult
      ? new SpoolSink(undefined, { layOutJson: p.formats.includes('json') })
      : null;
  const stage = state.beginStage();
  const kept: ScopeResult[] = [];
  const tally = emptyTally();
  const sink = {
    add(r: ScopeResult) {
      stage?.add(r);
      if (spool) {
        tallyScope(tally, r);
        spool.add(r);
      } else kept.push(r);
    },
  };
  let result: ScanResult;
  try {
    const adapters = await createAdapters(
      config,
      p.providers.filter((x) => !flags.demo || lab?.endpoints[x]),
      connections,
    );
    result = await runScan({
      adapters,
      checks: selectChecks(config.scan.checks),
      config,
      clock: p.clock,
      signal: controller.signal,
      log,
      stats,
      shard: p.shard,
      previous: state.previous,
      decorateFindings: state.decorate,
      sink,
    });
  } catch (err) {
    spool?.close();
    stage?.discard();
    throw err;
  } finally {
    progress?.stop();
    offSignals?.();
  }
  hooks.onScanned?.();
  // what the scan held is garbage now: under the CLI's own heap policy, the outputs are written with V8's pooled pages
  // given back (src/engine/heap-release.ts)
  const released = releaseBeforeWriting();
  if (released) log.info('scan.heap_released', { ms: Math.round(released.ms), liveMiB: Math.round(released.liveBytes / 1048576) });
  result = withInternalErrors(result, c.strays);
  if (spool) tallyFindings(tally, result.findings);
  else {
    result = { ...result, scopes: kept.sort((a, b) => compareStrings(scopeKey(a), scopeKey(b))) };
    Object.assign(tally, tallyResult(result));
  }

  let written: string[];
  let lines: string[];
  try {
    // Spooled, the scopes were not kept: the suppression lines come from the tally (every finding that carries one).
    ({ written, lines } = spool
      ? await finishSpooled(p, state, log, result, spool, stage, suppressionNotes({ scopes: [], findings: tally.suppressions }))
      : finishWhole(await import('../../reports/index.ts'), p, state, log, result, stage));
    hooks.onResult?.(result);
    hooks.onSummary?.(spool ? result : { ...result, scopes: [] }, tally);
  } catch (err) {
    if (typeof (err as NodeJS.ErrnoException).code === 'string') throw new OutputWriteError(p.outDir, err);
    throw err;
  }
  if (!quiet) {
    io.stdout(renderSummary(result, tally));
    for (const line of lines) io.stdout(`${line}\n`);
    io.stdout(`wrote ${written.length} file(s) to ${p.outDir}: ${written.map((w) => w.slice(p.outDir.length + 1)).join(', ')}\n`);
  }
  const findings = severities.reduce((n, sev) => n + tally.open[sev], 0);
  log.info('scan.done', { scan: result.scan.id, complete: result.scan.complete, findings, out: p.outDir });
  const ticketLines = await state.syncTickets(log, result.scan.interrupted);
  if (!quiet) for (const line of ticketLines) io.stdout(`${line}\n`);
  return exitCodeFor(result, p.failOn, p.maxGap, tally);
}

export { ConfigError };
