/** How a command that failed maps to an exit code, for `main` and for each run of `schedule`. */
import { ConfigError } from '../core/config/load.ts';
import { TransportPolicyError } from '../core/config/transport.ts';
import { StateStoreError } from '../store/database.ts';
import { StoreLockedError } from '../store/lock.ts';
import { ExitCode, UsageError } from './io.ts';

/** 5 when another writer holds the state store; 2 for usage, config, transport-policy, state-file and estate problems; else 4. */
export function exitCodeOfError(err: unknown): number {
  if (err instanceof StoreLockedError) return ExitCode.locked;
  if (
    err instanceof ConfigError ||
    err instanceof UsageError ||
    err instanceof StateStoreError ||
    err instanceof TransportPolicyError ||
    (err as Error)?.name === 'EstateError'
  ) {
    return ExitCode.usage;
  }
  return ExitCode.internal;
}
