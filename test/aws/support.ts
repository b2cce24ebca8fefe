/** AWS scans against the lab with the adapter built directly, so tests can inject an evaluator and read the lab log. */
import { selectChecks } from '../../checks/index.ts';
import type { FaultRule } from '../../lab/core.ts';
import { type EstateInput, loadEstate, parseEstate } from '../../lab/estate.ts';
import { type Lab, startLab } from '../../lab/server.ts';
import { type AwsAdapterOptions, createAwsAdapter } from '../../providers/aws/adapter.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import type { z } from 'zod';
import { AwsConfig, type ConfigInput } from '../../src/core/config/schema.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { runScan } from '../../src/engine/scan.ts';
import type { ScanResult, ScopeResult } from '../../src/core/model/result.ts';
import { assertValidResult, fastRetry, NOW } from '../support/lab.ts';

export const DEMO = new URL('../../lab/estates/demo', import.meta.url).pathname;

export interface AwsScan {
  result: ScanResult;
  lab: Lab;
  scope(id: string): ScopeResult;
}

export async function scanAws(
  estate: EstateInput | 'demo',
  opts: {
    aws?: z.input<typeof AwsConfig>;
    config?: Partial<ConfigInput>;
    faults?: FaultRule[];
    evaluate?: AwsAdapterOptions['evaluate'];
    /** Keep every request and response body in the lab log. */
    keepBodies?: boolean;
    /** The SDK clients the adapter keeps at once. */
    maxClients?: number;
  } = {},
): Promise<AwsScan> {
  const parsed = estate === 'demo' ? loadEstate(DEMO) : parseEstate(estate, 'test estate');
  const lab = await startLab({ estate: parsed, providers: ['aws'], faults: opts.faults ?? [], keepBodies: opts.keepBodies ?? false });
  try {
    const config = parseConfig(
      {
        version: 1,
        ...opts.config,
        providers: { aws: { mode: 'organization', ...opts.aws, endpoint: lab.endpoints.aws } },
        scan: { retry: fastRetry, ...opts.config?.scan },
      },
      'test config',
    );
    const creds = lab.credentials.aws ?? {};
    const adapter = createAwsAdapter({
      config: AwsConfig.parse(config.providers.aws),
      policy: config.policy,
      baseline: config.baseline,
      credentials: { accessKeyId: creds.accessKeyId ?? '', secretAccessKey: creds.secretAccessKey ?? '' },
      ...(opts.evaluate ? { evaluate: opts.evaluate } : {}),
      ...(opts.maxClients ? { maxClients: opts.maxClients } : {}),
    });
    const result = await runScan({ adapters: [adapter], checks: selectChecks(config.scan.checks), config, clock: fixedClock(NOW) });
    assertValidResult(result);
    return {
      result,
      lab,
      scope(id) {
        const s = result.scopes.find((x) => x.scope.id === id);
        if (!s) throw new Error(`no scope ${id} in the result (have ${result.scopes.map((x) => x.scope.id).join(', ')})`);
        return s;
      },
    };
  } finally {
    await lab.close();
  }
}

/** Operations that are neither reads nor the one credential hop the organisation mode needs. */
export function nonReadOperations(lab: Lab, readOnly: RegExp): string[] {
  return [...new Set(lab.log.entries.map((e) => `${e.service}:${e.operation}`))]
    .filter((op) => op !== 'sts:AssumeRole' && !readOnly.test(op.split(':')[1] ?? ''))
    .sort();
}
