/**
 * The SDK clients of a scan: built per service, account and region on first use, the least recently used dropped
 * beyond a bound (providers/aws/clients.ts MAX_CLIENTS). Dropping one must change nothing a user sees: the same
 * result and the same calls, however few clients are kept. The settings each client would read from the environment
 * and the shared config files are read once, and every client has the values it would have read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AwsSessions } from '../../providers/aws/clients.ts';
import type { AwsConfig } from '../../src/core/config/schema.ts';
import { scanAws } from './support.ts';

const calls = (lab: Awaited<ReturnType<typeof scanAws>>['lab']) =>
  lab.log.entries.map((e) => `${e.scope ?? ''}:${e.service}:${e.operation}:${e.region ?? ''}`).sort();

describe('AWS SDK clients', () => {
  it('scans the demo organisation the same way keeping one client at a time as keeping all of them', async () => {
    const all = await scanAws('demo');
    const one = await scanAws('demo', { maxClients: 1 });
    expect(one.result.scopes.length).toBeGreaterThan(1);
    expect(JSON.stringify(one.result.scopes)).toBe(JSON.stringify(all.result.scopes));
    expect(one.result.stats.apiCalls).toBe(all.result.stats.apiCalls);
    expect(calls(one.lab)).toEqual(calls(all.lab));
  });
});

describe('settings every client would resolve for itself', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });
  const cfg = { roleName: 'r', sessionName: 's', homeRegion: 'us-east-1' } as unknown as AwsConfig;
  const settings = async (c: unknown) => {
    const config = (c as { config: Record<string, () => Promise<unknown>> }).config;
    return {
      fips: await config.useFipsEndpoint!(),
      dualstack: await config.useDualstackEndpoint!(),
      appId: await config.userAgentAppId!(),
      retryMode: await config.retryMode!(),
    };
  };

  // https://docs.aws.amazon.com/sdkref/latest/guide/feature-endpoints.html (AWS_USE_FIPS_ENDPOINT,
  // AWS_USE_DUALSTACK_ENDPOINT), https://docs.aws.amazon.com/sdkref/latest/guide/feature-appid.html (AWS_SDK_UA_APP_ID),
  // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html (AWS_RETRY_MODE)
  it('are read once, from the first client, and every later client has the values the environment gives', async () => {
    Object.assign(process.env, {
      AWS_USE_FIPS_ENDPOINT: 'true',
      AWS_USE_DUALSTACK_ENDPOINT: 'true',
      AWS_SDK_UA_APP_ID: 'audit-team',
      AWS_RETRY_MODE: 'adaptive',
    });
    const sessions = new AwsSessions(cfg);
    await sessions.load('sts');
    const first = sessions.client('sts', '111111111111', 'eu-west-1');
    await sessions.whenSettled();
    delete process.env.AWS_SDK_UA_APP_ID; // read once: a later client keeps what the first one found
    const later = sessions.client('sts', '222222222222', 'eu-central-1');
    const expected = { fips: true, dualstack: true, appId: 'audit-team', retryMode: 'adaptive' };
    expect(await settings(first)).toEqual(expected);
    expect(await settings(later)).toEqual(expected);
    sessions.destroy();
  });

  it('are not taken from a client of a FIPS pseudo-region (its own region turns FIPS on)', async () => {
    const sessions = new AwsSessions(cfg);
    await sessions.load('sts');
    const fips = sessions.client('sts', '111111111111', 'fips-us-east-1');
    await sessions.whenSettled();
    expect((await settings(fips)).fips).toBe(true);
    sessions.client('sts', '111111111111', 'us-east-2');
    await sessions.whenSettled();
    const later = sessions.client('sts', '222222222222', 'us-west-2');
    expect(await settings(later)).toEqual({ fips: false, dualstack: false, appId: undefined, retryMode: 'standard' });
    sessions.destroy();
  });
});
