/**
 * Shared pieces of the lab: the request shape its provider modules see, the request log (what the scanner called)
 * and fault injection (latency, throttling, 5xx, access denied, resets, malformed bodies) matched per provider,
 * scope, region and operation.
 */
import { z } from 'zod';
import { seededRandom } from '../src/core/clock.ts';
import { globMatch } from '../src/core/glob.ts';

export type LabProvider = 'aws' | 'azure' | 'gcp';

export interface LabRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface LabResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** Destroy the socket instead of answering (connection reset). */
  reset?: boolean;
}

/** What a request was, as far as the log and fault rules care. */
export interface RequestIdentity {
  service: string;
  operation: string;
  /** Account / subscription / project the request acts on, when the module can tell. */
  scope: string | null;
  region: string | null;
}

export interface RequestLogEntry extends RequestIdentity {
  seq: number;
  provider: LabProvider;
  method: string;
  path: string;
  /** The query string as sent (`?a=b&…`, or empty): api-versions, filters and page tokens. */
  query: string;
  status: number;
  fault: FaultKind | null;
  /** The request and response bodies, when the log was asked to keep them (`RequestLog.keepBodies`). */
  bodies?: { request: string; response: string };
}

export const faultKinds = [
  'latency',
  'throttle',
  'server_error',
  'access_denied',
  'reset',
  'malformed',
  'timeout',
  'expired_credentials',
  'not_implemented',
  'repeat_page_token',
  'cycle_page_tokens',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/**
 * Faults that change an answer instead of replacing it: they add to a request's failure (if any) rather than
 * competing with it. The page-token faults rewrite the next-page token of a listing's answer (see PageTokenFaults).
 */
export const modifierKinds: ReadonlySet<FaultKind> = new Set(['latency', 'repeat_page_token', 'cycle_page_tokens']);

export const FaultRule = z.strictObject({
  provider: z.enum(['aws', 'azure', 'gcp']).optional(),
  /** Glob on the scope (account / subscription / project id). */
  scope: z.string().optional(),
  region: z.string().optional(),
  /** Glob on `service:Operation`, e.g. `ec2:DescribeSnapshots` or `cloudtrail:*`. */
  operation: z.string().optional(),
  kind: z.enum(faultKinds),
  /** Probability per matching request (seeded). */
  rate: z.number().min(0).max(1).default(1),
  /** Only the first N matching requests (after `after`). */
  times: z.number().int().min(1).optional(),
  /** Skip the first N matching requests. */
  after: z.number().int().min(0).default(0),
  /** For latency and timeout faults. */
  ms: z.number().int().min(0).default(0),
  /** Retry-After seconds sent with throttles. */
  retryAfterSeconds: z.number().min(0).optional(),
  /**
   * For `access_denied` and `server_error`: the error message to answer with instead of the cloud's usual text — a
   * cloud (or a token endpoint) that echoes hostile text or the request it received, credentials included.
   */
  message: z.string().optional(),
});
export type FaultRule = z.infer<typeof FaultRule>;

function glob(pattern: string | undefined, value: string | null): boolean {
  if (pattern === undefined) return true;
  if (value === null) return false;
  return globMatch(pattern, value);
}

export class FaultInjector {
  private readonly seen = new Map<number, number>();
  private readonly random: () => number;
  rules: FaultRule[];

  constructor(rules: FaultRule[], seed = 1) {
    this.rules = rules;
    this.random = seededRandom(seed);
  }

  /** Whether any rule rewrites page tokens (the lab then tracks the tokens it hands out). */
  get pagingRules(): boolean {
    return this.rules.some((r) => r.kind === 'repeat_page_token' || r.kind === 'cycle_page_tokens');
  }

  /** The faults that apply to this request, in rule order (modifiers such as latency, then at most one failure). */
  pick(provider: LabProvider, id: RequestIdentity): FaultRule[] {
    const hits: FaultRule[] = [];
    let failure = false;
    this.rules.forEach((rule, i) => {
      if (rule.provider && rule.provider !== provider) return;
      if (!glob(rule.scope, id.scope) || !glob(rule.region, id.region)) return;
      if (!glob(rule.operation, `${id.service}:${id.operation}`)) return;
      const n = (this.seen.get(i) ?? 0) + 1;
      this.seen.set(i, n);
      if (n <= rule.after) return;
      if (rule.times !== undefined && n > rule.after + rule.times) return;
      if (rule.rate < 1 && this.random() >= rule.rate) return;
      if (modifierKinds.has(rule.kind)) hits.push(rule);
      else if (!failure) {
        failure = true;
        hits.push(rule);
      }
    });
    return hits;
  }
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  private seq = 0;
  /** Keep every request and response body (tests that prove what the scanner received). */
  keepBodies = false;
  record(e: Omit<RequestLogEntry, 'seq'>): void {
    this.entries.push({ ...e, seq: ++this.seq });
  }
  clear(): void {
    this.entries.length = 0;
  }
  /** Calls per `service:Operation`. */
  counts(provider?: LabProvider): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries) {
      if (provider && e.provider !== provider) continue;
      const k = `${e.service}:${e.operation}`;
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  }
}

/** Opaque pagination tokens: an offset, base64url-encoded with a salt so clients cannot treat it as a number. */
export function encodeToken(offset: number, salt: string): string {
  return Buffer.from(`${salt}:${offset}`).toString('base64url');
}

export function decodeToken(token: string | null | undefined, salt: string): number | null {
  if (!token) return 0;
  const s = Buffer.from(token, 'base64url').toString();
  const [prefix, n] = s.split(':');
  const offset = Number(n);
  return prefix === salt && Number.isInteger(offset) && offset >= 0 ? offset : null;
}

export function page<T>(items: readonly T[], offset: number, size: number): { items: T[]; next: number | null } {
  const slice = items.slice(offset, offset + size);
  return { items: slice, next: offset + size < items.length ? offset + size : null };
}

export interface ProviderLabContext {
  log: RequestLog;
  faults: FaultInjector;
  /** Base URL this module is served on (for absolute next links). */
  baseUrl: string;
}

/** A provider's part of the lab: it recognises its requests, answers them and shapes injected faults. */
export interface ProviderLab {
  readonly provider: LabProvider;
  readonly tls: boolean;
  identify(req: LabRequest): RequestIdentity;
  handle(req: LabRequest, id: RequestIdentity): Promise<LabResponse> | LabResponse;
  fault(
    kind: Exclude<FaultKind, 'latency' | 'reset' | 'timeout' | 'not_implemented' | 'repeat_page_token' | 'cycle_page_tokens'>,
    req: LabRequest,
    id: RequestIdentity,
    rule: FaultRule,
  ): LabResponse;
  /** Credentials / tokens a client should present (fake, lab-only). */
  readonly credentials: Record<string, string>;
}
