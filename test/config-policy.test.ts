/** `policy.businessHours`, `policy.trustedNetworks` and `scan.activityLookbackDays`: validated before any scan, naming the field. */
import { describe, expect, it } from 'vitest';
import { knownChecks } from '../checks/index.ts';
import { type ConfigError, parseConfig } from '../src/core/config/load.ts';

const problems = (data: Record<string, unknown>): string[] => {
  try {
    parseConfig({ version: 1, ...data }, 'cfg.yaml', knownChecks);
    return [];
  } catch (err) {
    return (err as ConfigError).problems.map((p) => String(p));
  }
};

describe('activity policy config', () => {
  it('accepts business hours in an IANA zone, CIDRs of both families and VPC endpoint ids', () => {
    const cfg = parseConfig(
      {
        version: 1,
        policy: {
          businessHours: { timeZone: 'Europe/Berlin', days: ['mon', 'fri'], start: '07:30', end: '19:00' },
          trustedNetworks: { cidrs: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'], vpcEndpoints: ['vpce-0123456789abcdef0'] },
        },
        scan: { activityLookbackDays: 30 },
      },
      'cfg.yaml',
      knownChecks,
    );
    expect(cfg.policy.businessHours).toEqual({ timeZone: 'Europe/Berlin', days: ['mon', 'fri'], start: '07:30', end: '19:00' });
    expect(cfg.scan.activityLookbackDays).toBe(30);
  });

  it('fills the defaults: weekdays 08:00-18:00, lookback 90 days, no policy set', () => {
    expect(
      parseConfig({ version: 1, policy: { businessHours: { timeZone: 'UTC' } } }, 'cfg.yaml', knownChecks).policy.businessHours,
    ).toEqual({
      timeZone: 'UTC',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '08:00',
      end: '18:00',
    });
    const plain = parseConfig({ version: 1 }, 'cfg.yaml', knownChecks);
    expect(plain.scan.activityLookbackDays).toBe(90);
    expect(plain.policy.businessHours).toBeUndefined();
  });

  it.each([
    [{ policy: { businessHours: { timeZone: 'Mars/Olympus' } } }, 'policy.businessHours.timeZone'],
    [{ policy: { businessHours: { timeZone: 'UTC', start: '8am' } } }, 'policy.businessHours.start'],
    [{ policy: { businessHours: { timeZone: 'UTC', start: '18:00', end: '08:00' } } }, 'policy.businessHours.end'],
    [{ policy: { businessHours: { timeZone: 'UTC', days: ['monday'] } } }, 'policy.businessHours.days.0'],
    [{ policy: { trustedNetworks: { cidrs: ['203.0.113.0/33'] } } }, 'policy.trustedNetworks.cidrs.0'],
    [{ policy: { trustedNetworks: { cidrs: ['example.com'] } } }, 'policy.trustedNetworks.cidrs.0'],
    [{ policy: { trustedNetworks: { vpcEndpoints: ['vpc-123'] } } }, 'policy.trustedNetworks.vpcEndpoints.0'],
    [{ scan: { activityLookbackDays: 0 } }, 'scan.activityLookbackDays'],
  ])('refuses %j, naming %s', (data, field) => {
    const found = problems(data);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(field);
  });
});
