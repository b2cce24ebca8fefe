/**
 * The call contract between the engine and the providers: what an operation is, how a failure is classified, and the
 * errors the engine's call runner raises. Providers catch these; the engine throws them.
 */
import type { GapCode } from './model/result.ts';

export interface Operation {
  /** Service name as the provider calls it: `ec2`, `cloudtrail`, `Microsoft.Compute`, `compute`. */
  service: string;
  /** Operation name: `DescribeSnapshots`, `snapshots.list`. */
  name: string;
  region?: string | null;
  /**
   * Which of an operation's several uses this call is, when it has more than one per region (LookupEvents for
   * `EventName=CreateSnapshot`): gaps name it, so a reader knows which call failed.
   */
  purpose?: string;
}

export interface ErrorInfo {
  code: GapCode;
  retryable: boolean;
  throttle: boolean;
  /** Server-requested wait (Retry-After), when it said. */
  retryAfterMs: number | null;
  status: number | null;
  message: string;
}

export type CallRunner = <T>(op: Operation, fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** An attempt that got no answer before its deadline: retried like any transient failure, then a `timeout` gap. */
export class CallTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms (scan.callTimeoutMs); the call was abandoned`);
    this.name = 'TimeoutError';
  }
}

/** The error an adapter sees when a call finally fails: the original, with its classification attached. */
export class CallFailedError extends Error {
  readonly info: ErrorInfo;
  readonly operation: Operation;
  readonly attempts: number;
  constructor(info: ErrorInfo, operation: Operation, attempts: number, cause: unknown) {
    super(info.message, { cause });
    this.name = 'CallFailedError';
    this.info = info;
    this.operation = operation;
    this.attempts = attempts;
  }
}

export class ScanAbortedError extends Error {
  constructor() {
    super('scan interrupted');
    this.name = 'ScanAbortedError';
  }
}
