/** AWS SDK errors → gap codes, retryability and Retry-After. */
import type { ErrorInfo } from '../../src/core/calls.ts';
import { classifyStatus, classifyTransport, errorMessage, parseRetryAfter } from '../errors.ts';

const throttling = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'ProvisionedThroughputExceededException',
]);
const denied = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AWSOrganizationsNotInUseException',
  'AccountNotFoundException',
]);
const credentials = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'CredentialsProviderError',
]);
const notEnabled = new Set(['OptInRequired', 'InvalidRegion']);
const notImplemented = new Set(['UnknownOperationException', 'InvalidAction', 'NotImplemented', 'UnsupportedOperation', 'UnknownService']);

interface AwsLikeError {
  name?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
  $retryable?: { throttling?: boolean };
}

export function classifyAwsError(err: unknown): ErrorInfo {
  const transport = classifyTransport(err);
  if (transport) return transport;
  const e = (err ?? {}) as AwsLikeError;
  const code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'Error');
  const status = e.$metadata?.httpStatusCode ?? null;
  const retryAfterMs = parseRetryAfter(e.$response?.headers?.['retry-after'] ?? null);
  const message = `${code}: ${errorMessage(err)}`;
  const base = { status, retryAfterMs, message };
  if (throttling.has(code) || e.$retryable?.throttling) return { ...base, code: 'throttled', retryable: true, throttle: true };
  if (credentials.has(code)) return { ...base, code: 'credentials', retryable: false, throttle: false };
  if (denied.has(code)) return { ...base, code: 'access_denied', retryable: false, throttle: false };
  if (notEnabled.has(code)) return { ...base, code: 'not_enabled', retryable: false, throttle: false };
  if (notImplemented.has(code)) return { ...base, code: 'not_implemented', retryable: false, throttle: false };
  if (/deserializ|Unexpected (end|token)|not valid JSON|XML/i.test(errorMessage(err)) && (status === null || status < 300)) {
    return { ...base, code: 'invalid_response', retryable: true, throttle: false };
  }
  return classifyStatus(status, message, retryAfterMs);
}
