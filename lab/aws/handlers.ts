/** The AWS lab's request context and handler type, shared by the per-service handler files. */
import type { LabRequest } from '../core.ts';
import type { AwsAccount } from './estate.ts';
import type { AwsIdentity, AwsLabState } from './state.ts';
import type { AwsProtocol } from './wire.ts';
import type { LabResponse } from '../core.ts';

export interface AwsRequestContext {
  req: LabRequest;
  state: AwsLabState;
  protocol: AwsProtocol;
  service: string;
  action: string;
  region: string;
  identity: AwsIdentity;
  account: AwsAccount;
  /** Query-protocol parameters (EC2, IAM, STS). */
  params: URLSearchParams;
  /** JSON 1.1 body (CloudTrail, Organizations, EventBridge, CloudWatch Logs). */
  json: Record<string, unknown>;
  /** The page size to serve: what the caller asked for, capped by the estate's `pageLimits`. */
  pageSize(asked: number): number;
}

export type AwsHandler = (ctx: AwsRequestContext) => LabResponse;
