/** How a command that failed maps to an exit code, for `main` and for each run of `schedule`. */
import { ConfigError } from '../core/config/read.ts';
import { TransportPolicyError } from '../core/config/transport.ts';
import { ExitCode, UsageError } from './io.ts';

// The state store's errors are known by name, as the lab's are: importing their classes would load node:sqlite and
// the store into every command, before anything needs them.

/** 5 when another writer holds the state store; 2 for usage, config, transport-policy, state-file and estate problems; else 4. */
export function exitCodeOfError(err: unknown): number {
  if ((err as Error)?.name === 'StoreLockedError') return ExitCode.locked;
  if (
    err instanceof ConfigError ||
    err instanceof UsageError ||
    (err as Error)?.name === 'StateStoreError' ||
    err instanceof TransportPolicyError ||
    (err as Error)?.name === 'EstateError'
  ) {
    return ExitCode.usage;
  }
  return ExitCode.internal;
}
