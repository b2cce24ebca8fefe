/** Running real scans against the lab in tests: the SDK clients talk to the emulator over loopback. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { selectChecks } from '../../checks/index.ts';
import type { FaultRule } from '../../lab/core.ts';
import { type EstateInput, parseEstate } from '../../lab/estate.ts';
import { type Lab, type LabOptions, startLab } from '../../lab/server.ts';
import { createAdapters, enabledProviders } from '../../providers/index.ts';
import { labConnections } from '../../src/cli/scan-command.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import type { ConfigInput } from '../../src/core/config/schema.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { runScan, type ScanOptions } from '../../src/engine/scan.ts';
import type { Provider, ScanResult } from '../../src/core/model/result.ts';

export const NOW = '2026-11-26T00:00:00.000Z';

/** Retry settings that keep tests fast: real backoff shape, millisecond delays. */
export const fastRetry = { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 20 };

export interface LabScan {
  result: ScanResult;
  lab: Lab;
}

export async function scanEstate(
  estate: EstateInput,
  opts: {
    config?: Partial<ConfigInput>;
    providers?: Provider[];
    faults?: FaultRule[];
    scan?: Partial<ScanOptions>;
    keepOpen?: boolean;
    /** Extra lab options (e.g. keepBodies for fidelity tests). */
    lab?: Pick<LabOptions, 'keepBodies'>;
  } = {},
): Promise<LabScan> {
  const parsed = parseEstate(estate, 'test estate');
  const lab = await startLab({
    estate: parsed,
    faults: opts.faults ?? [],
    ...(opts.providers ? { providers: opts.providers } : {}),
    ...opts.lab,
  });
  try {
    const base = parseConfig(
      {
        version: 1,
        providers: Object.fromEntries((opts.providers ?? (['aws', 'azure', 'gcp'] as const).filter((p) => parsed[p])).map((p) => [p, {}])),
        ...opts.config,
        scan: { retry: fastRetry, ...opts.config?.scan },
      },
      'test config',
    );
    const { config, connections } = labConnections(lab, base);
    const adapters = await createAdapters(config, enabledProviders(config), connections);
    const result = await runScan({ adapters, checks: selectChecks(config.scan.checks), config, clock: fixedClock(NOW), ...opts.scan });
    // Every result a test produces must match the published schema (spooled scans return an empty scopes list).
    assertValidResult(result);
    return { result, lab };
  } finally {
    if (!opts.keepOpen) await lab.close();
  }
}

let validator: (((data: unknown) => boolean) & { errors?: unknown }) | null = null;

/** Validates against the published schema file (not the zod model): what consumers will use. */
export function assertValidResult(result: unknown): void {
  if (!validator) {
    const schema = JSON.parse(readFileSync(new URL('../../schema/scan-result.schema.json', import.meta.url), 'utf8'));
    validator = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  }
  if (!validator(result))
    throw new Error(
      `scan result does not match schema/scan-result.schema.json: ${JSON.stringify(validator.errors, null, 2).slice(0, 2000)}`,
    );
}

/** Operations the scanner is allowed to call: reads only. */
export const readOnlyOperation =
  /^(Describe|List|Get|Lookup|Search|BatchGet)[A-Za-z]*$|^(GET |POST .*:(getIamPolicy|search|list)|POST .*entries:list)/;
