/** Azure SDK errors (RestError from the ARM clients, identity errors from the credential) → gap codes, retryability and Retry-After. */
import type { GapCode } from '../../src/core/model/result.ts';
import { scrubAndClip } from '../../src/core/secrets.ts';
import { classifyStatus, classifyTransport, errorMessage, parseRetryAfter } from '../errors.ts';
import type { ErrorInfo } from '../../src/core/calls.ts';

const byCode: Record<string, GapCode> = {
  AuthorizationFailed: 'access_denied',
  /** Microsoft Graph: the application lacks the directory permission. */
  Authorization_RequestDenied: 'access_denied',
  Request_ResourceNotFound: 'not_found',
  LinkedAuthorizationFailed: 'access_denied',
  Forbidden: 'access_denied',
  InsufficientAccountPermissions: 'access_denied',
  AuthenticationFailed: 'credentials',
  InvalidAuthenticationToken: 'credentials',
  InvalidAuthenticationTokenTenant: 'credentials',
  ExpiredAuthenticationToken: 'credentials',
  SubscriptionNotFound: 'not_found',
  ResourceGroupNotFound: 'not_found',
  ResourceNotFound: 'not_found',
  ManagementGroupNotFound: 'not_found',
  NotFound: 'not_found',
  RoleDefinitionDoesNotExist: 'not_found',
  ReadOnlyDisabledSubscription: 'suspended',
  SubscriptionNotRegistered: 'not_enabled',
  MissingSubscriptionRegistration: 'not_enabled',
  InvalidResourceType: 'not_implemented',
  NoRegisteredProviderFound: 'not_implemented',
};

/**
 * ARM's own error message (`{"error": {"code", "message"}}`) by request. The generated clients' pagers replace it
 * with "Pagination failed with unexpected statusCode 403"; a pipeline policy on every client records it here so the
 * gap can say what ARM said (which action, which scope).
 */
const armMessages = new WeakMap<object, string>();

interface ResponseLike {
  status: number;
  bodyAsText?: string | null;
}

export const armErrorMessagePolicy = {
  name: 'snapauditArmErrorMessage',
  async sendRequest<Q extends object, R extends ResponseLike>(request: Q, next: (request: Q) => Promise<R>): Promise<R> {
    const response = await next(request);
    if (response.status >= 400 && response.bodyAsText) {
      try {
        const message = (JSON.parse(response.bodyAsText) as { error?: { message?: unknown } }).error?.message;
        if (typeof message === 'string' && message) armMessages.set(request, message);
      } catch {
        // not JSON: nothing to record
      }
    }
    return response;
  },
};

/** AADSTS codes of a sign-in service that failed, not of bad credentials: server error, transient error, throttled. */
const transientSignInCodes = new Set(['50000', '90033', '90055']);

/** Errors of the credential chain (AggregateAuthenticationError: every credential of DefaultAzureCredential failed). */
const identityErrors = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AuthenticationRequiredError',
  'AggregateAuthenticationError',
]);

interface AzureLikeError {
  name?: string;
  request?: object;
  code?: string;
  statusCode?: number;
  response?: { headers?: { get?(name: string): string | undefined } | Record<string, string> };
}

function header(e: AzureLikeError, name: string): string | null {
  const h = e.response?.headers;
  if (!h) return null;
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | undefined }).get(name) ?? null;
  return (h as Record<string, string>)[name] ?? null;
}

/**
 * What the first line of an identity error leaves out: what Microsoft Entra ID said (`error_description`, with its
 * AADSTS code), or, for DefaultAzureCredential, why each credential of the chain failed.
 */
function signInDetail(err: unknown): string {
  const first = (text: unknown) =>
    typeof text === 'string'
      ? (text
          .split(/\r?\n/)
          .find((l) => l.trim() !== '')
          ?.trim() ?? '')
      : '';
  const shown = first(errorMessage(err));
  const e = err as { errorResponse?: { errorDescription?: unknown }; errors?: unknown };
  const parts = Array.isArray(e.errors) ? e.errors.map((x) => first(errorMessage(x))) : [first(e.errorResponse?.errorDescription)];
  const detail = parts.filter((p) => p !== '' && !shown.includes(p)).join('; ');
  return detail ? ` (${detail.slice(0, 600)})` : '';
}

export function classifyAzureError(err: unknown): ErrorInfo {
  const e = (err ?? {}) as AzureLikeError;
  const message = errorMessage(err);
  if (e.name && identityErrors.has(e.name)) {
    // The sign-in endpoint itself failing (network, 5xx, throttled) is not a credential problem: retry it. MSAL
    // prefixes the OAuth error (`network_error: …`, `server_error: …`, `temporarily_unavailable: …`), or, replaying
    // a 5xx/429 it keeps refusing to resend for a while (60 s, or the Retry-After), the AADSTS code.
    const oauth = /^(network_error|server_error|temporarily_unavailable)\b/.exec(message)?.[1];
    const aadsts = /^(\d+): AADSTS\1\b/.exec(message)?.[1];
    const throttled = oauth === 'temporarily_unavailable' || aadsts === '90055';
    if (oauth || (aadsts && transientSignInCodes.has(aadsts))) {
      return {
        code: throttled ? 'throttled' : 'unavailable',
        retryable: true,
        throttle: throttled,
        retryAfterMs: null,
        status: e.statusCode ?? null,
        // Scrubbed before it is cut: a cut through an echoed token would leave a prefix no pattern recognises.
        message: `Microsoft Entra ID sign-in failed: ${scrubAndClip(message.split(/\r?\n/)[0] ?? '', 300)}`,
      };
    }
    // MSAL hides the cause of a failed OpenID-configuration fetch (network, TLS trust, wrong authority host).
    const hint = /endpoints_resolution_error/.test(message)
      ? ' (the Microsoft Entra ID authority could not be reached, its TLS certificate is not trusted, or the authority host is wrong)'
      : '';
    return {
      code: 'credentials',
      retryable: false,
      throttle: false,
      retryAfterMs: null,
      status: e.statusCode ?? null,
      message: `${e.name}: ${message.split('\n')[0]}${signInDetail(err)}${hint}`,
    };
  }
  const transport = classifyTransport(err);
  if (transport) return transport;
  const status = e.statusCode ?? null;
  const retryAfterMs = parseRetryAfter(header(e, 'retry-after'));
  const code = e.code && e.code !== 'REQUEST_SEND_ERROR' ? e.code : null;
  const armMessage = e.request ? armMessages.get(e.request) : undefined;
  const text = code ? `${code}: ${armMessage ?? message}` : (armMessage ?? message);
  const base = { status, retryAfterMs, message: text };
  if (status === 429) return { ...base, code: 'throttled', retryable: true, throttle: true };
  const mapped = code ? byCode[code] : undefined;
  if (mapped) return { ...base, code: mapped, retryable: false, throttle: false };
  if (status === null && /JSON|Unexpected (end|token)|deserializ|paginate/i.test(message)) {
    return { ...base, code: 'invalid_response', retryable: true, throttle: false };
  }
  if (status !== null && status < 300 && /JSON|Unexpected|deserializ/i.test(message)) {
    return { ...base, code: 'invalid_response', retryable: true, throttle: false };
  }
  return classifyStatus(status, text, retryAfterMs);
}
