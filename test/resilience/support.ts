/**
 * The fault suite's helpers: the multi-cloud demo estate (all three clouds at once), scans of it in-process with
 * fault rules, and estate folders (the demo files plus a faults file) for driving the CLI.
 */
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FaultRule } from '../../lab/core.ts';
import { type Estate, loadEstate } from '../../lab/estate.ts';
import { DEMO_ESTATE } from '../../src/cli/scan-command.ts';
import type { ConfigInput } from '../../src/core/config/schema.ts';
import type { ScanOptions } from '../../src/engine/scan.ts';
import type { ScanResult, ScopeResult } from '../../src/core/model/result.ts';
import { tempDir } from '../support/cli.ts';
import { fastRetry, type LabScan, scanEstate } from '../support/lab.ts';

/** What `scan --demo` enables: AWS as an organisation, Azure and GCP with everything the credential sees. */
export const demoProviders = { aws: { mode: 'organization' as const }, azure: {}, gcp: {} };

export function demoEstate(): Estate {
  return loadEstate(DEMO_ESTATE);
}

/** A fault rule with the schema's defaults filled in. */
export function fault(rule: Partial<FaultRule> & Pick<FaultRule, 'kind'>): FaultRule {
  return { rate: 1, after: 0, ms: 0, ...rule };
}

export async function scanDemo(
  opts: { faults?: FaultRule[]; config?: Partial<ConfigInput>; keepOpen?: boolean; scan?: Partial<ScanOptions> } = {},
): Promise<LabScan> {
  return scanEstate(demoEstate(), {
    faults: opts.faults ?? [],
    config: { providers: demoProviders, ...opts.config, scan: { retry: fastRetry, ...opts.config?.scan } },
    ...(opts.scan ? { scan: opts.scan } : {}),
    ...(opts.keepOpen ? { keepOpen: true } : {}),
  });
}

/** Everything of a result but its statistics and timing: what a fault must not change. */
export function substance(result: ScanResult) {
  return { discovery: result.discovery, scopes: result.scopes, findings: result.findings, complete: result.scan.complete };
}

export function scopeKeyOf(s: ScopeResult): string {
  return `${s.scope.provider}:${s.scope.id}`;
}

/** An estate folder for `scan --demo --estate DIR`: the demo's files plus `faults.yaml`. */
export function estateFolder(faults: FaultRule[], extra: Record<string, string> = {}): string {
  const dir = tempDir('snapaudit-faults-');
  for (const name of readdirSync(DEMO_ESTATE)) copyFileSync(join(DEMO_ESTATE, name), join(dir, name));
  writeFileSync(join(dir, 'faults.yaml'), stringify({ faults }));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A config file for CLI runs: the demo's providers, fast retries, and what the test adds. */
export function configFile(dir: string, extra: Record<string, unknown> = {}): string {
  const path = join(dir, 'snapaudit.yaml');
  const scan = { retry: fastRetry, ...(extra.scan as object | undefined) };
  writeFileSync(path, stringify({ version: 1, providers: demoProviders, ...extra, scan }));
  return path;
}
