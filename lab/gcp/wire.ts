/**
 * GCP wire formats the lab speaks: JSON bodies, google.rpc.Status errors (with ErrorInfo / RetryInfo details and the
 * legacy `errors[]` array Compute still sends), `$alt=json;enum-encoding=int` (the gRPC-fallback clients ask for
 * enums as numbers), and opaque pageTokens.
 */
import type { LabRequest, LabResponse } from '../core.ts';

export const LAB_GCP_TOKEN = 'lab-gcp-token-never-real-0000000000';

const statusCodes: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export interface ErrorDetail {
  '@type': string;
  [k: string]: unknown;
}

export function errorInfo(reason: string, domain: string, metadata: Record<string, string> = {}): ErrorDetail {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain, metadata };
}

export function gcpError(
  status: number,
  message: string,
  opts: { details?: ErrorDetail[]; errors?: Array<Record<string, string>>; headers?: Record<string, string> } = {},
): LabResponse {
  const error: Record<string, unknown> = { code: status, message, status: statusCodes[status] ?? 'UNKNOWN' };
  if (opts.errors) error.errors = opts.errors;
  if (opts.details) error.details = opts.details;
  return {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...opts.headers },
    body: JSON.stringify({ error }),
  };
}

/** The error a disabled API answers with (Compute's legacy errors[] included). */
export function serviceDisabled(service: string, title: string, projectNumber: string): LabResponse {
  const message = `${title} has not been used in project ${projectNumber} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/${service}/overview?project=${projectNumber} then retry.`;
  return gcpError(403, message, {
    errors: [{ message, domain: 'usageLimits', reason: 'accessNotConfigured', extendedHelp: 'https://console.developers.google.com' }],
    details: [errorInfo('SERVICE_DISABLED', 'googleapis.com', { service, consumer: `projects/${projectNumber}` })],
  });
}

export function permissionDenied(permission: string, resource: string): LabResponse {
  return gcpError(403, `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`, {
    details: [errorInfo('IAM_PERMISSION_DENIED', 'iam.googleapis.com', { permission, resource })],
  });
}

export function notFound(what: string): LabResponse {
  return gcpError(404, `${what} was not found.`);
}

/** Do the enums go out as numbers? (`$alt=json;enum-encoding=int`, sent by the gRPC-fallback REST clients) */
export function wantsIntEnums(req: LabRequest): boolean {
  const alt = req.url.searchParams.get('$alt') ?? '';
  return alt.includes('enum-encoding=int');
}

export function enumValue(req: LabRequest, name: string, values: readonly string[]): string | number {
  return wantsIntEnums(req) ? values.indexOf(name) : name;
}

export const stateEnum = ['STATE_UNSPECIFIED', 'ACTIVE', 'DELETE_REQUESTED'] as const;
export const bucketStateEnum = ['LIFECYCLE_STATE_UNSPECIFIED', 'ACTIVE', 'DELETE_REQUESTED', 'UPDATING', 'CREATING', 'FAILED'] as const;
export const verificationEnum = ['VERIFICATION_STATUS_UNSPECIFIED', 'UNVERIFIED', 'VERIFIED'] as const;
export const combinerEnum = ['COMBINE_UNSPECIFIED', 'AND', 'OR', 'AND_WITH_MATCHING_RESOURCE'] as const;
export const comparisonEnum = [
  'COMPARISON_UNSPECIFIED',
  'COMPARISON_GT',
  'COMPARISON_GE',
  'COMPARISON_LT',
  'COMPARISON_LE',
  'COMPARISON_EQ',
  'COMPARISON_NE',
] as const;

export function json(body: unknown): LabResponse {
  return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(body) };
}

export function bodyJson(req: LabRequest): Record<string, unknown> | null {
  if (!req.body) return {};
  try {
    return JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Decodes a path segment until no escapes are left (the deny-policy attachment point arrives double-encoded). */
export function decodeFully(segment: string): string {
  let s = segment;
  for (let i = 0; i < 3 && /%[0-9a-fA-F]{2}/.test(s); i++) s = decodeURIComponent(s);
  return s;
}
