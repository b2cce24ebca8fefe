/** Small factories for model objects: tests state only what matters to them. */
import type { ScopeInput } from '../../checks/define-check.ts';
import type { ActivityEvent } from '../../src/core/model/activity.ts';
import type { AlertRoute, Grant, Guard, LoggingSource, Principal, RegionLogging, Scope, Snapshot } from '../../src/core/model/result.ts';

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends Record<string, string>
    ? T[K]
    : T[K] extends object
      ? T[K] extends unknown[]
        ? T[K]
        : DeepPartial<T[K]>
      : T[K];
};

export function makeScope(o: Partial<Scope> = {}): Scope {
  return {
    provider: 'aws',
    kind: 'account',
    id: '111111111111',
    name: 'test-account',
    parents: [],
    regions: ['us-east-1'],
    regionsNotEnabled: [],
    regionsExcluded: [],
    regionsOtherPartition: [],
    state: 'active',
    management: false,
    ...o,
  };
}

export function makeRegionLogging(o: Partial<RegionLogging> = {}): RegionLogging {
  return {
    region: 'us-east-1',
    recorded: 'yes',
    sourceIds: ['trail'],
    central: 'yes',
    protected: 'yes',
    retentionDays: null,
    alerted: 'exact',
    alertIds: [],
    reasons: [],
    ...o,
  };
}

export function makeSource(o: Partial<LoggingSource> = {}): LoggingSource {
  return {
    id: 'trail',
    kind: 'cloudtrail-trail',
    name: 'trail',
    home: 'us-east-1',
    ownerScopeId: null,
    inherited: false,
    enabled: 'yes',
    regions: ['*'],
    recordsSnapshotCreation: 'yes',
    central: 'yes',
    integrity: 'yes',
    encrypted: 'yes',
    retentionDays: null,
    destinations: [],
    reasons: [],
    ...o,
  };
}

export function makeAlert(o: Partial<AlertRoute> = {}): AlertRoute {
  return { id: 'rule', kind: 'eventbridge-rule', name: 'rule', region: 'us-east-1', enabled: true, match: 'exact', reasons: [], ...o };
}

export function makeSnapshot(o: DeepPartial<Snapshot> = {}): Snapshot {
  const base: Snapshot = {
    kind: 'disk-snapshot',
    id: 'snap-00000001',
    name: 'snap',
    resourceId: 'arn:aws:ec2:us-east-1::snapshot/snap-00000001',
    region: 'us-east-1',
    createdAt: '2026-11-01T00:00:00.000Z',
    sizeGiB: 8,
    state: 'completed',
    description: null,
    tags: {},
    encryption: { status: 'customer-key', keyId: 'key' },
    sharing: { public: 'no', sharedWith: [], sharesKnown: true, notes: [] },
    owner: { value: 'team-a', source: 'tag', detail: 'owner' },
    creator: null,
    source: { kind: 'volume', id: 'vol-1', tags: {} },
    automation: { by: null, basis: null },
    facts: [],
    conflicts: [],
  };
  return {
    ...base,
    ...o,
    encryption: { ...base.encryption, ...o.encryption },
    sharing: { ...base.sharing, ...o.sharing },
    owner: { ...base.owner, ...o.owner },
    source: { ...base.source, ...o.source } as Snapshot['source'],
    automation: { ...base.automation, ...o.automation },
    creator: o.creator === undefined ? base.creator : (o.creator as Snapshot['creator']),
    tags: (o.tags as Record<string, string>) ?? base.tags,
  };
}

export function makeGrant(o: Partial<Grant> = {}): Grant {
  return {
    capability: 'create',
    action: 'ec2:CreateSnapshot',
    resourceScope: '*',
    conditional: false,
    external: false,
    broad: false,
    path: [
      { kind: 'principal', id: 'arn:aws:iam::111111111111:user/alice', label: 'alice' },
      { kind: 'policy', id: 'p', label: 'policy' },
      { kind: 'action-pattern', id: 'ec2:CreateSnapshot', label: null },
    ],
    conditions: [],
    ...o,
  };
}

export function makePrincipal(o: Partial<Principal> = {}): Principal {
  const grants = o.grants ?? [makeGrant()];
  return {
    id: 'arn:aws:iam::111111111111:user/alice',
    type: 'user',
    name: 'alice',
    external: false,
    capabilities: [...new Set(grants.map((g) => g.capability))],
    grants,
    ...o,
  };
}

export function makeGuard(o: Partial<Guard> = {}): Guard {
  return { region: 'us-east-1', kind: 'snapshot-block-public-access', state: 'block-all-sharing', blocksPublicSharing: 'yes', ...o };
}

export function makeScopeInput(o: Partial<ScopeInput> = {}): ScopeInput {
  return {
    scope: makeScope(),
    coverage: { status: 'complete', regions: [{ region: 'us-east-1', status: 'scanned' }], gaps: [] },
    logging: { sources: [makeSource()], alerts: [makeAlert()], regions: [makeRegionLogging()] },
    guards: [],
    principals: [],
    snapshots: [],
    ...o,
  };
}

type ActivityOverrides = Partial<Omit<ActivityEvent, 'identity' | 'source'>> & {
  identity?: Partial<ActivityEvent['identity']>;
  source?: Partial<ActivityEvent['source']>;
};

/** A CreateSnapshot by alice from the CLI, from 198.51.100.7, on a Wednesday afternoon (UTC). */
export function makeActivity(o: ActivityOverrides = {}): ActivityEvent {
  const { identity, source, ...rest } = o;
  return {
    id: 'ev-1',
    region: 'us-east-1',
    at: '2026-11-25T14:00:00.000Z',
    operation: 'CreateSnapshot',
    effect: 'create',
    resource: { kind: 'disk-snapshot', id: 'snap-0123456789abcdef0' },
    sourceResource: { kind: 'volume', id: 'vol-0123456789abcdef0' },
    outcome: 'success',
    errorCode: null,
    read: 'cloudtrail:LookupEvents EventName=CreateSnapshot',
    ...rest,
    identity: {
      type: 'IAMUser',
      id: 'arn:aws:iam::111111111111:user/alice',
      issuer: null,
      mfa: 'unknown',
      automation: null,
      ...identity,
    },
    source: { ip: '198.51.100.7', userAgent: 'aws-cli/2.15.0 Python/3.11.6', agent: 'cli', vpcEndpointId: null, ...source },
  };
}
