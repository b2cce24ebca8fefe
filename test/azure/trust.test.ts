/**
 * Credentials and trust: the lab's certificate is trusted per client (never by turning verification off), and a
 * real ClientSecretCredential signs in at the lab's Entra ID endpoint. A wrong secret or an untrusted certificate is
 * a discovery gap with a reason, not a crash. And the CLI runs the Azure demo.
 */
import { describe, expect, it } from 'vitest';
import { selectChecks } from '../../checks/index.ts';
import { parseEstate } from '../../lab/estate.ts';
import { startLab } from '../../lab/server.ts';
import { createAdapters, type ProviderConnections } from '../../providers/index.ts';
import { labConnections } from '../../src/cli/scan-command.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { runScan } from '../../src/engine/scan.ts';
import { runCli } from '../support/cli.ts';
import { fastRetry, NOW } from '../support/lab.ts';
import { azureEstate } from './support.ts';

async function scanWith(edit: (c: ProviderConnections) => ProviderConnections) {
  const lab = await startLab({ estate: parseEstate(azureEstate(), 'demo'), providers: ['azure'] });
  try {
    const base = parseConfig({ version: 1, providers: { azure: {} }, scan: { retry: fastRetry } }, 'test');
    const { config, connections } = labConnections(lab, base);
    const adapters = await createAdapters(config, ['azure'], edit(connections));
    const result = await runScan({ adapters, checks: selectChecks(config.scan.checks), config, clock: fixedClock(NOW) });
    return { result, lab };
  } finally {
    await lab.close();
  }
}

describe('Azure credentials and trust', () => {
  it('does not trust the lab without its CA, and says why', async () => {
    const { result, lab } = await scanWith((c) => ({ azure: { ...c.azure, ca: undefined } as NonNullable<ProviderConnections['azure']> }));
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    expect(result.discovery[0]).toMatchObject({ provider: 'azure', status: 'failed' });
    expect(result.discovery[0]!.gaps[0]).toMatchObject({ code: 'credentials', part: 'discovery' });
    expect(result.discovery[0]!.gaps[0]!.message).toMatch(/TLS certificate is not trusted/);
    expect(lab.log.entries).toEqual([]);
  });

  it('does not let the ARM clients trust it without the CA either (no retries: retrying cannot fix trust)', async () => {
    const { result, lab } = await scanWith(() => ({
      azure: { credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) } },
    }));
    expect(result.discovery[0]!.gaps.map((g) => [g.code, g.operation])).toEqual([['unavailable', 'Microsoft.Resources:ListSubscriptions']]);
    expect(result.discovery[0]!.gaps[0]!.message).toMatch(/certificate/i);
    expect(result.stats.retries).toBe(0);
    expect(lab.log.entries).toEqual([]);
  });

  it('trusts it per client when given the CA, in the same process', async () => {
    const { result } = await scanWith((c) => c);
    expect(result.scan.complete).toBe(true);
  });

  it('reports a wrong client secret as a credentials gap', async () => {
    const { result, lab } = await scanWith((c) => ({
      azure: { ...c.azure, credential: { ...(c.azure?.credential as Record<string, string>), clientSecret: 'wrong' } },
    }));
    expect(result.discovery[0]!.gaps.map((g) => g.code)).toEqual(['credentials']);
    expect(result.discovery[0]!.gaps[0]!.message).toMatch(/AADSTS7000215/);
    expect(lab.log.entries.filter((e) => e.service !== 'login')).toEqual([]);
  });

  it('accepts any TokenCredential handed in', async () => {
    const { result, lab } = await scanWith((c) => ({
      azure: {
        ...c.azure,
        credential: { getToken: async () => ({ token: 'not-issued-by-the-lab', expiresOnTimestamp: Date.now() + 60_000 }) },
      },
    }));
    // The lab only honours tokens its own endpoint issued: the credential was used, and refused — for the
    // subscription listing and for the management-group listing discovery makes beside it.
    expect(result.discovery[0]!.gaps.map((g) => g.code)).toEqual(['credentials']);
    expect(lab.log.entries.map((e) => [e.operation, e.status]).sort()).toEqual([
      ['ListManagementGroups', 401],
      ['ListSubscriptions', 401],
    ]);
  });
});

describe('DefaultAzureCredential, the production path', () => {
  it('signs in through its environment credential at the lab and scans', async () => {
    const saved = { ...process.env };
    try {
      const { result, lab } = await scanWith((c) => {
        const spec = c.azure?.credential as Record<string, string>;
        process.env.AZURE_TENANT_ID = spec.tenantId;
        process.env.AZURE_CLIENT_ID = spec.clientId;
        process.env.AZURE_CLIENT_SECRET = spec.clientSecret;
        // No credential handed in: the adapter builds DefaultAzureCredential; only endpoint and trust differ.
        return { azure: { ...(c.azure?.ca ? { ca: c.azure.ca } : {}) } };
      });
      expect(result.scan.complete).toBe(true);
      // One sign-in per token audience for the whole scan, whatever the number of clients and subscriptions: the lab
      // serves Microsoft Graph on the ARM endpoint, so ARM and Graph are one audience here, and one token.
      expect(lab.log.entries.filter((e) => e.service === 'login').map((e) => e.operation)).toEqual(['GetOpenIdConfiguration', 'GetToken']);
    } finally {
      for (const k of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});

describe('snapaudit scan --provider azure --demo', () => {
  it('scans the Azure part of the demo estate', async () => {
    const run = await runCli(['scan', '--provider', 'azure', '--demo', '--now', NOW]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/lab: serving azure from the built-in demo estate/);
    expect(run.stdout).toMatch(/scopes: 3 \(3 complete, 0 partial, 0 failed\)/);
    expect(run.stdout).toMatch(/inventory: 15 snapshots, 11 principals with snapshot capabilities/);
  });
});
