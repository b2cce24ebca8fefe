/**
 * Turning failed calls into coverage gaps: adapters wrap each independent part of a collection in `attempt`. An
 * error's text can echo the request that failed (a token endpoint returning its form fields): it is scrubbed of
 * credential shapes as it becomes a gap.
 */
import type { Gap, Part } from '../src/core/model/result.ts';
import { CallFailedError } from '../src/core/calls.ts';
import { errorMessage } from './errors.ts';
import { PagingError } from './paging.ts';
import { ScanAbortedError, type ErrorInfo } from '../src/core/calls.ts';
import { scrubSecrets } from '../src/core/secrets.ts';

export function gapFrom(err: unknown, part: Part, region: string | null, classify: (err: unknown) => ErrorInfo): Gap {
  if (err instanceof CallFailedError) {
    const { purpose } = err.operation;
    return {
      code: err.info.code,
      part,
      operation: `${err.operation.service}:${err.operation.name}`,
      region: region ?? err.operation.region ?? null,
      message: scrubSecrets(purpose ? `${err.operation.name} for ${purpose}: ${err.info.message}` : err.info.message),
    };
  }
  if (err instanceof PagingError) {
    return { code: err.code, part, operation: err.operation, region: region ?? err.region, message: err.message };
  }
  const info = classify(err);
  return { code: info.code, part, operation: null, region, message: scrubSecrets(info.message || errorMessage(err)) };
}

/** True when the error means the whole scan is being interrupted, so the scope must stop rather than record a gap. */
export function isInterruption(err: unknown): boolean {
  return err instanceof ScanAbortedError || (err instanceof CallFailedError && err.info.code === 'interrupted');
}

/**
 * Runs one part of a collection. On failure the gap is recorded and `undefined` returned, so the rest of the scope
 * carries on; an interruption propagates.
 */
export async function attempt<T>(
  gaps: Gap[],
  part: Part,
  region: string | null,
  classify: (err: unknown) => ErrorInfo,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (isInterruption(err)) throw err;
    gaps.push(gapFrom(err, part, region, classify));
    return undefined;
  }
}
