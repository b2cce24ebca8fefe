// What every benchmark serves: the generated estate at a scale (AWS 200 accounts × 17 regions, 20 snapshots per
// account-region and 50 principals per account; Azure 50 subscriptions; GCP 100 projects; all × scale), the lab
// that serves it in a child process of its own (so a scanner's peak RSS is measured alone), and the provider
// settings the synthetic lab needs.
import { fork } from 'node:child_process';
import type { ForcedCalls } from '../lab/forced.ts';
import type { AwsGenerateOptions, GenerateOptions } from '../lab/generate.ts';
import type { Lab } from '../lab/server.ts';
import type { LabAddress } from '../src/cli/scan-command.ts';
import type { Provider } from '../src/core/model/result.ts';

export function estateOptions(
  scale: number,
  seed: number,
  providers: readonly Provider[],
  aws: Partial<AwsGenerateOptions> = {},
): GenerateOptions {
  return {
    seed,
    ...(providers.includes('aws')
      ? { aws: { accounts: Math.round(200 * scale), regions: 17, snapshotsPerRegion: 20, principalsPerAccount: 50, ...aws } }
      : {}),
    ...(providers.includes('azure')
      ? {
          azure: {
            subscriptions: Math.round(50 * scale),
            snapshotsPerSubscription: 20,
            assignmentsPerSubscription: 20,
            familyPerSubscription: 4,
          },
        }
      : {}),
    ...(providers.includes('gcp') ? { gcp: { projects: Math.round(100 * scale), snapshotsPerProject: 20, bindingsPerProject: 20 } } : {}),
  };
}

export type { LabAddress } from '../src/cli/scan-command.ts';

export interface LabChild {
  address: LabAddress;
  generatedMs: number;
  /** The calls each cloud forces for the estate (lab/forced.ts), computed from the estate alone. */
  forced: ForcedCalls;
  /** Stops the lab and returns the CPU it used. */
  stop(): Promise<{ cpuMs: number; servingCpuMs: number }>;
}

type Ready = {
  type: 'ready';
  endpoints: Lab['endpoints'];
  credentials: Lab['credentials'];
  ca: string | null;
  generatedMs: number;
  forced: ForcedCalls;
};

export async function startLabChild(generate: GenerateOptions, latencyMs: number, shareLookup = true): Promise<LabChild> {
  const lab = fork(new URL('./lab-child.ts', import.meta.url), [JSON.stringify({ generate, latencyMs, shareLookup })], {
    execArgv: ['--max-old-space-size=16384'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    lab.once('message', (m) => resolve(m as Ready));
    lab.once('exit', (code) => reject(new Error(`lab child exited with ${code}`)));
  });
  return {
    address: { endpoints: ready.endpoints, credentials: ready.credentials, ca: ready.ca },
    generatedMs: ready.generatedMs,
    forced: ready.forced,
    async stop() {
      const stopped = new Promise<{ cpuMs: number; servingCpuMs: number }>((resolve) =>
        lab.once('message', (m) => resolve(m as { cpuMs: number; servingCpuMs: number })),
      );
      lab.send({ type: 'stop' });
      return stopped;
    },
  };
}

/**
 * Provider settings for the generated estate. The synthetic lab enforces no Logging read quota; the pacing the real
 * one forces (logReadsPerMinute, 60 by default) is proven by test/gcp/quotas.test.ts and would only measure the quota.
 */
export function benchProviderConfig(shareLookup: boolean): Record<Provider, unknown> {
  return {
    aws: { mode: 'organization', shareLookup: { enabled: shareLookup, concurrency: 8 } },
    azure: {},
    gcp: { organizationId: '100000000001', logReadsPerMinute: 6000 },
  };
}
