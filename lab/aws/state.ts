/** The AWS lab's view of the estate: accounts by id, who each access key is, and pagination salts. */
import type { AwsAccount, AwsEstate } from './estate.ts';
import { awsDefaultRegions, awsRegions } from './estate.ts';

export interface AwsIdentity {
  accountId: string;
  arn: string;
  userId: string;
  /** Session credentials expire; static keys do not. */
  expiresAt: number | null;
}

export const LAB_ACCESS_KEY_ID = 'AKIALAB0000000000001';
export const LAB_SECRET_ACCESS_KEY = 'lab-secret-key-never-real-0000000000000';

export class AwsLabState {
  readonly estate: AwsEstate;
  readonly accounts = new Map<string, AwsAccount>();
  readonly identities = new Map<string, AwsIdentity>();
  readonly callerAccountId: string;

  constructor(estate: AwsEstate) {
    this.estate = estate;
    for (const a of estate.accounts) this.accounts.set(a.id, a);
    const first = estate.accounts[0];
    if (!first) throw new Error('the aws section needs at least one account');
    this.callerAccountId = estate.callerAccountId ?? estate.organization?.managementAccountId ?? first.id;
    this.identities.set(LAB_ACCESS_KEY_ID, {
      accountId: this.callerAccountId,
      arn: `arn:aws:iam::${this.callerAccountId}:user/snapaudit-scanner`,
      userId: 'AIDALAB0000000000001',
      expiresAt: null,
    });
  }

  enabledRegions(account: AwsAccount): string[] {
    return [...(account.regions ?? awsDefaultRegions)].sort();
  }

  allRegions(): readonly string[] {
    return awsRegions;
  }

  /** Organisation trails defined in the management account apply to every member account. */
  organizationTrails() {
    const mgmt = this.estate.organization ? this.accounts.get(this.estate.organization.managementAccountId) : undefined;
    return (mgmt?.trails ?? []).filter((t) => t.organization).map((t) => ({ trail: t, accountId: mgmt?.id ?? '' }));
  }
}
