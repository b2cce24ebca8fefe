/**
 * The `tickets` section of the config: which findings open tickets, how they are grouped and routed, and the one
 * ticket system they go to. Credentials never appear here: each sink reads them from environment variables
 * (see credentials.ts).
 */
import { z } from 'zod';
import { Severity } from '../model/result.ts';
import { transportPolicy, URL_FIELDS } from './transport.ts';

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://example.atlassian.net' });
/** Plain http to a host other than this machine's loopback (see schema.ts and src/core/transport.ts). */
const allowInsecureHttp = z.boolean().default(false);
const label = z.string().regex(/^[A-Za-z0-9._:/-]{1,50}$/, 'a label of 1-50 letters, digits and . _ : / - (no spaces)');
const pattern = z.string().min(1);

export const OwnerRoute = z.strictObject({
  /** Glob on the finding's owner (e.g. `dba-*`, `alice@example.com`). */
  owner: pattern,
  /** Jira account id (Cloud) or user name (Data Center), GitHub login, ServiceNow user (sys_id or user_name). */
  assignee: z.string().min(1).optional(),
  /** Jira project key, GitHub `owner/repo`, ServiceNow assignment group. */
  project: z.string().min(1).optional(),
  labels: z.array(label).default([]),
});
export type OwnerRoute = z.infer<typeof OwnerRoute>;

export const JiraSettings = z
  .strictObject({
    url,
    /** `cloud`: REST v3 with ADF bodies and e-mail + API token; `datacenter`: REST v2 with a personal access token. */
    deployment: z.enum(['cloud', 'datacenter']).default('cloud'),
    project: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'a Jira project key such as SEC'),
    issueType: z.string().min(1).default('Task'),
    /** Transition name that resolves; default: the first transition into a status of the "done" category. */
    resolveTransition: z.string().min(1).optional(),
    /** Transition name that reopens; default: the first transition out of the "done" category. */
    reopenTransition: z.string().min(1).optional(),
    /** Priority name per severity, e.g. `{ critical: Highest, high: High }`. */
    priorities: z.partialRecord(Severity, z.string().min(1)).default({}),
    allowInsecureHttp,
  })
  .superRefine(transportPolicy(URL_FIELDS.jira));

export const GithubSettings = z
  .strictObject({
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'a repository as owner/name'),
    /** API base URL; GitHub Enterprise Server: https://HOST/api/v3. */
    apiUrl: url.default('https://api.github.com'),
    allowInsecureHttp,
  })
  .superRefine(transportPolicy(URL_FIELDS.github));

export const ServiceNowSettings = z
  .strictObject({
    instanceUrl: url,
    /** `incident`, or `sn_si_incident` for Security Incident Response. */
    table: z
      .string()
      .regex(/^[a-z0-9_]+$/, 'a table name such as incident')
      .default('incident'),
    assignmentGroup: z.string().min(1).optional(),
    /** `state` value that resolves a record (incident: 6 = Resolved). */
    resolvedState: z.string().min(1).default('6'),
    closeCode: z.string().min(1).default('Solved (Permanently)'),
    /** `state` value that reopens a record (incident: 2 = In Progress). */
    reopenState: z.string().min(1).default('2'),
    allowInsecureHttp,
  })
  .superRefine(transportPolicy(URL_FIELDS.servicenow));

export const WebhookSettings = z
  .strictObject({
    url,
    allowInsecureHttp,
  })
  .superRefine(transportPolicy(URL_FIELDS.webhook));

export const ticketSinks = ['jira', 'github', 'servicenow', 'webhook'] as const;
export type TicketSinkKind = (typeof ticketSinks)[number];

export const TicketsConfig = z
  .strictObject({
    /** Sync tickets automatically at the end of every `snapaudit scan`. */
    enabled: z.boolean().default(false),
    sink: z.enum(ticketSinks),
    /** Findings at or above this severity open tickets. */
    minSeverity: Severity.default('high'),
    /** Only these checks (ids or family.*), minus the excluded ones. */
    checks: z
      .strictObject({ include: z.array(z.string()).default([]), exclude: z.array(z.string()).default([]) })
      .default({ include: [], exclude: [] }),
    /** `finding`: one ticket per finding; `check-scope`: one per check and scope, with a checklist of its findings. */
    grouping: z.enum(['finding', 'check-scope']).default('finding'),
    labels: z.array(label).default(['snapaudit']),
    /** Assignee when no owner route names one. */
    assignee: z.string().min(1).optional(),
    /** Routing by the finding's owner: first match wins. */
    owners: z.array(OwnerRoute).default([]),
    retry: z
      .strictObject({
        maxAttempts: z.number().int().min(1).max(20).default(5),
        baseDelayMs: z.number().int().min(0).default(500),
        maxDelayMs: z.number().int().min(0).max(3_600_000).default(60_000),
        /** The longest Retry-After (or rate-limit reset) waited for; beyond it the operation fails as throttled. */
        maxRetryAfterMs: z.number().int().min(0).max(3_600_000).default(300_000),
        /**
         * A create that failed without saying whether the ticket was made (5xx, connection reset) is never sent again
         * blindly: the marker is searched for, with backoff, until this long after the failure (search indexes lag
         * behind writes); still not found, the next sync creates it.
         */
        confirmCreateMs: z.number().int().min(0).max(3_600_000).default(60_000),
      })
      .default({ maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 60_000, maxRetryAfterMs: 300_000, confirmCreateMs: 60_000 }),
    jira: JiraSettings.optional(),
    github: GithubSettings.optional(),
    servicenow: ServiceNowSettings.optional(),
    webhook: WebhookSettings.optional(),
  })
  .superRefine((t, ctx) => {
    if (t[t.sink] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [t.sink],
        message: `tickets.sink is ${t.sink} but there is no tickets.${t.sink} section; add it (see docs/tickets.md)`,
      });
    }
  });
export type TicketsConfig = z.infer<typeof TicketsConfig>;
