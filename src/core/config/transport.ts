/**
 * The transport policy (src/core/transport.ts) applied to the config: every URL a credential is sent to is checked
 * when the config is loaded (a refused URL is a config error, exit 2, before anything runs), and the URLs that
 * `allowInsecureHttp: true` lets through are listed for the warning printed on every run.
 */
import type { z } from 'zod';
import { scrubSecrets } from '../secrets.ts';
import { checkEndpoint } from '../transport.ts';

/** The URL fields of each section that carry credentials (the API endpoint, the sign-in authority, the ticket system). */
export const URL_FIELDS = {
  aws: ['endpoint'],
  azure: ['endpoint', 'authorityHost', 'graphEndpoint'],
  gcp: ['endpoint'],
  jira: ['url'],
  github: ['apiUrl'],
  servicenow: ['instanceUrl'],
  webhook: ['url'],
} as const;

type Section = { allowInsecureHttp: boolean } & Record<string, unknown>;

/** A zod refinement for one section: each URL field must pass the transport policy. */
export function transportPolicy(fields: readonly string[]) {
  return (section: Section, ctx: z.RefinementCtx) => {
    for (const field of fields) {
      const url = section[field];
      if (typeof url !== 'string') continue;
      const verdict = checkEndpoint(url, section.allowInsecureHttp);
      if (!verdict.ok) {
        // The URL as typed may hold a password (user:password@): it is shown scrubbed.
        ctx.addIssue({ code: 'custom', path: [field], message: verdict.problem, input: scrubSecrets(url), params: { fix: verdict.fix } });
      }
    }
  };
}

export interface InsecureEndpoint {
  /** Config path, e.g. `providers.aws.endpoint`. */
  field: string;
  url: string;
}

/** The URLs of a section that go out over plain http to a non-loopback host (allowed by `allowInsecureHttp`). */
export function insecureUrls(prefix: string, section: Section | undefined, fields: readonly string[]): InsecureEndpoint[] {
  if (!section) return [];
  return fields.flatMap((field) => {
    const url = section[field];
    if (typeof url !== 'string') return [];
    const verdict = checkEndpoint(url, section.allowInsecureHttp);
    return verdict.ok && verdict.insecure ? [{ field: `${prefix}.${field}`, url }] : [];
  });
}

/**
 * Where clients are built (adapters, ticket sinks) the policy is applied again, for configs that did not come from a
 * config file (the lab's endpoints, programmatic callers): a refused URL throws before any client exists.
 */
export function assertTransport(prefix: string, section: Section | undefined, fields: readonly string[]): void {
  if (!section) return;
  for (const field of fields) {
    const url = section[field];
    if (typeof url !== 'string') continue;
    const verdict = checkEndpoint(url, section.allowInsecureHttp === true);
    if (!verdict.ok) throw new TransportPolicyError(`${prefix}.${field}: ${verdict.problem}. Fix: ${verdict.fix}.`);
  }
}

export class TransportPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportPolicyError';
  }
}

/** The one line printed (and logged) on every run for each such URL. */
export function insecureWarning(e: InsecureEndpoint): string {
  return `${e.field} ${e.url} is plain http to a host that is not this machine's loopback (allowInsecureHttp: true): credentials and results cross the network unencrypted`;
}
