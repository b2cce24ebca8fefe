/** The AWS lab's view of the estate: accounts by id, who each access key is, the organisation tree and sessions. */
import { createHash } from 'node:crypto';
import type { AwsAccount, AwsDbClusterSnapshot, AwsDbSnapshot, AwsEstate, AwsManagedPolicy } from './estate.ts';
import { awsDefaultRegions, awsRegions, partitionRegions } from './estate.ts';
import { withIdentityCenterRoles } from './identity-center.ts';
import { builtInManagedPolicies } from './managed-policies.ts';

export interface AwsIdentity {
  accountId: string;
  arn: string;
  userId: string;
  /** Session credentials expire; static keys do not. */
  expiresAt: number | null;
}

export const LAB_ACCESS_KEY_ID = 'AKIALAB0000000000001';
export const LAB_SECRET_ACCESS_KEY = 'lab-secret-key-never-real-0000000000000';

/** FullAWSAccess, attached to every root, OU and account while SCPs are enabled (unless the estate detaches it). */
export const FULL_AWS_ACCESS = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  description: 'Allows access to every operation',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** Deterministic IAM-style unique ids (AIDA…, AROA…, AGPA…, ANPA…). */
export function iamId(prefix: string, seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let s = '';
  for (let i = 0; i < 17; i++) s += alphabet[(h[i] as number) % 32];
  return `${prefix}${s}`;
}

export interface AssumeResult {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  arn: string;
  assumedRoleId: string;
}

/** The RDS snapshot lists of an account: instance snapshots and cluster snapshots. */
export type RdsKind = 'dbSnapshots' | 'dbClusterSnapshots';
type RdsSnapshot = AwsDbSnapshot | AwsDbClusterSnapshot;

export class AwsLabState {
  readonly estate: AwsEstate;
  readonly accounts = new Map<string, AwsAccount>();
  readonly identities = new Map<string, AwsIdentity>();
  readonly callerAccountId: string;
  readonly awsManagedPolicies = new Map<string, AwsManagedPolicy>();
  private sessions = 0;
  /**
   * What is derived from the whole estate, built on first use and kept: the estate does not change while the lab
   * serves it, and a request that walked every account to answer for one would make a scan of N accounts cost N².
   */
  private readonly derived = new Map<string, unknown>();

  constructor(estate: AwsEstate) {
    this.estate = estate;
    for (const a of estate.accounts) this.accounts.set(a.id, withIdentityCenterRoles(a, estate.identityCenter, estate.partition));
    for (const p of [...builtInManagedPolicies, ...estate.awsManagedPolicies]) this.awsManagedPolicies.set(p.name, p);
    const first = estate.accounts[0];
    if (!first) throw new Error('the aws section needs at least one account');
    this.callerAccountId = estate.callerAccountId ?? estate.organization?.managementAccountId ?? first.id;
    this.identities.set(LAB_ACCESS_KEY_ID, {
      accountId: this.callerAccountId,
      arn: `arn:${estate.partition}:iam::${this.callerAccountId}:user/snapaudit-scanner`,
      userId: 'AIDALAB0000000000001',
      expiresAt: null,
    });
  }

  enabledRegions(account: AwsAccount): string[] {
    return [...(account.regions ?? awsDefaultRegions)].sort();
  }

  /** Every region DescribeRegions AllRegions lists: the commercial ones, plus any region an account enables (another partition's, when an estate imitates an endpoint that lists them). */
  allRegions(): readonly string[] {
    return this.once('all-regions', () => {
      const own = this.estate.partition === 'aws' ? awsRegions : (partitionRegions[this.estate.partition] ?? []);
      return [...new Set([...own, ...this.estate.accounts.flatMap((a) => a.regions ?? [])])].sort();
    });
  }

  /** A value derived from the whole estate, computed once under `key` (see `derived`). */
  once<T>(key: string, build: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, build());
    return this.derived.get(key) as T;
  }

  /** The manual RDS snapshots (of `kind`) other accounts of the estate share with `accountId`, each with its owner. */
  sharedInto<K extends RdsKind>(kind: K, accountId: string): ReadonlyArray<{ s: AwsAccount[K][number]; owner: AwsAccount }> {
    const index = this.once(`shared-into-${kind}`, () => {
      const byTarget = new Map<string, Array<{ s: RdsSnapshot; owner: AwsAccount }>>();
      for (const owner of this.accounts.values())
        for (const s of owner[kind] as readonly RdsSnapshot[]) {
          if (s.type !== 'manual') continue;
          for (const target of new Set(s.sharedWith)) {
            if (target === owner.id) continue;
            const list = byTarget.get(target);
            if (list) list.push({ s, owner });
            else byTarget.set(target, [{ s, owner }]);
          }
        }
      return byTarget;
    });
    return (index.get(accountId) ?? []) as ReadonlyArray<{ s: AwsAccount[K][number]; owner: AwsAccount }>;
  }

  get partition(): string {
    return this.estate.partition;
  }

  /** Organisation trails defined in the management account apply to every member account. */
  organizationTrails() {
    const mgmt = this.estate.organization ? this.accounts.get(this.estate.organization.managementAccountId) : undefined;
    return (mgmt?.trails ?? []).filter((t) => t.organization).map((t) => ({ trail: t, accountId: mgmt?.id ?? '' }));
  }

  /** The direct parent (root or OU id) of an account or OU; null when the child is unknown. */
  parentOf(childId: string): string | null {
    const org = this.estate.organization;
    if (!org) return null;
    const account = this.accounts.get(childId);
    if (account) return account.parent ?? org.rootId;
    return org.ous.find((o) => o.id === childId)?.parent ?? null;
  }

  /** Every target (root, OU, account) an SCP can be attached to. */
  isTarget(id: string): boolean {
    const org = this.estate.organization;
    return !!org && (id === org.rootId || org.ous.some((o) => o.id === id) || this.accounts.has(id));
  }

  /** SCPs attached to a target, FullAWSAccess first. */
  policiesFor(targetId: string) {
    const org = this.estate.organization;
    if (!org?.scpEnabled) return [];
    const full = org.fullAccessDetachedFrom.includes(targetId) ? [] : [{ ...FULL_AWS_ACCESS, awsManaged: true }];
    return [...full, ...org.scps.filter((p) => p.targets.includes(targetId)).map((p) => ({ ...p, awsManaged: false }))];
  }

  /** STS AssumeRole: the caller gets session credentials for the role's account, or null when it may not. */
  assumeRole(roleArn: string, sessionName: string, externalId: string | null, durationSeconds: number): AssumeResult | null {
    const m = /^arn:[a-z-]+:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
    if (!m) return null;
    const [, accountId, rolePath] = m as unknown as [string, string, string];
    const account = this.accounts.get(accountId);
    if (!account?.scanRole.assumable || rolePath !== account.scanRole.name) return null;
    if (account.scanRole.externalId !== undefined && account.scanRole.externalId !== externalId) return null;
    const n = ++this.sessions;
    const accessKeyId = `ASIA${accountId}${n.toString(36).toUpperCase().padStart(4, '0')}`;
    const roleName = rolePath.split('/').pop() ?? rolePath;
    const roleId = iamId('AROA', `${accountId}/role/${roleName}`);
    const seconds = this.estate.sessionDurationSeconds ?? durationSeconds;
    const expiration = new Date(Date.now() + seconds * 1000);
    const arn = `arn:${this.partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
    this.identities.set(accessKeyId, { accountId, arn, userId: `${roleId}:${sessionName}`, expiresAt: expiration.getTime() });
    const secret = createHash('sha256').update(`secret:${accessKeyId}`).digest('base64').slice(0, 40);
    const token = Buffer.from(`lab-session:${accessKeyId}:${n}`).toString('base64');
    return { accessKeyId, secretAccessKey: secret, sessionToken: token, expiration, arn, assumedRoleId: `${roleId}:${sessionName}` };
  }
}
