/**
 * Scripted scans for state tests: a fake AWS adapter serves a few accounts described inline, the real engine and
 * the real checks turn them into a ScanResult, and the state store records it — the same path `snapaudit scan` takes.
 */
import { checks } from '../../checks/index.ts';
import type { ActivityEvent } from '../../src/core/model/activity.ts';
import type { PreviousScan } from '../../src/core/model/previous-scan.ts';
import type { ProviderAdapter, ScopeCollection } from '../../providers/types.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import type { ConfigInput } from '../../src/core/config/schema.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { runScan } from '../../src/engine/scan.ts';
import type { Finding, Principal, ScanResult, Snapshot } from '../../src/core/model/result.ts';
import { makeGrant, makePrincipal, makeRegionLogging, makeScope, makeSnapshot, makeSource } from '../support/factories.ts';

export interface ScriptedAccount {
  principals?: Principal[];
  snapshots?: Snapshot[];
  /** The whole account cannot be read (access denied). */
  unreadable?: boolean;
  /** Logging recorded in us-east-1 (default true). */
  logging?: boolean;
  /** Creation activity (absent: not collected). */
  activity?: ActivityEvent[];
}

export function scriptedAdapter(accounts: Record<string, ScriptedAccount>): ProviderAdapter {
  return {
    provider: 'aws',
    classifyError: (e) => ({
      code: 'access_denied',
      retryable: false,
      throttle: false,
      retryAfterMs: null,
      status: 403,
      message: String((e as Error).message),
    }),
    async discover() {
      const ids = Object.keys(accounts).sort();
      return {
        root: 'o-test',
        found: ids.length,
        scopes: ids.map((id) => ({ scope: makeScope({ id, name: `acct-${id}` }), blockedBy: null })),
        gaps: [],
      };
    },
    async collect(scope): Promise<ScopeCollection> {
      const a = accounts[scope.id]!;
      if (a.unreadable) throw new Error('AccessDenied: not authorized');
      const recorded = a.logging !== false;
      return {
        logging: {
          sources: recorded ? [makeSource()] : [],
          alerts: [],
          regions: [makeRegionLogging({ recorded: recorded ? 'yes' : 'no', sourceIds: recorded ? ['trail'] : [], alerted: 'exact' })],
        },
        guards: [],
        principals: a.principals ?? [],
        snapshots: a.snapshots ?? [],
        ...(a.activity ? { activity: a.activity } : {}),
        gaps: [],
        failedRegions: [],
      };
    },
  };
}

export async function scriptedScan(
  at: string,
  accounts: Record<string, ScriptedAccount>,
  opts: { previous?: PreviousScan | null; config?: Partial<ConfigInput>; decorate?: (f: Finding[]) => Finding[] } = {},
): Promise<ScanResult> {
  const config = defaultConfig(opts.config);
  return runScan({
    adapters: [scriptedAdapter(accounts)],
    checks: checks.filter((c) => !['snapshots.stale', 'logging.snapshot-alerting'].includes(c.meta.id)),
    config,
    clock: fixedClock(at),
    previous: opts.previous ?? null,
    ...(opts.decorate ? { decorateFindings: opts.decorate } : {}),
  });
}

export const alice = (caps: Array<'create' | 'copy' | 'share' | 'delete'> = ['create']): Principal =>
  makePrincipal({
    grants: caps.map((c) => makeGrant({ capability: c, action: c === 'share' ? 'ec2:ModifySnapshotAttribute' : 'ec2:CreateSnapshot' })),
  });

export const bob = (caps: Array<'create' | 'copy' | 'share' | 'delete'> = ['create']): Principal =>
  makePrincipal({
    id: 'arn:aws:iam::111111111111:role/bob',
    name: 'bob',
    type: 'role',
    grants: caps.map((c) => makeGrant({ capability: c })),
  });

export function snap(id: string, o: { public?: boolean; region?: string } = {}): Snapshot {
  const region = o.region ?? 'us-east-1';
  return makeSnapshot({
    id,
    name: id,
    region,
    resourceId: `arn:aws:ec2:${region}::snapshot/${id}`,
    sharing: { public: o.public ? 'yes' : 'no' },
  });
}
