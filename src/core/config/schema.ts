/**
 * The configuration file (YAML). Every field is optional except where a provider needs it; unknown keys are
 * errors, so a typo is reported instead of silently ignored. `snapaudit config validate FILE` checks a file.
 */
import { memoryBudgetLimits } from '../memory-budget.ts';
import { validCidr } from '../network.ts';
import { z } from 'zod';
import { suppressionProblems } from '../baseline/suppressions.ts';
import { Severity } from '../model/result.ts';
import { TicketsConfig } from './tickets.ts';
import { type InsecureEndpoint, insecureUrls, transportPolicy, URL_FIELDS } from './transport.ts';

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4566' });
/**
 * Plain http to a host other than this machine's loopback, for this section's URLs (a warning on every run). The
 * transport policy (src/core/transport.ts) refuses it otherwise, as it always refuses link-local and metadata
 * addresses and URLs with user:password@.
 */
const allowInsecureHttp = z.boolean().default(false);
const region = z.string().regex(/^[a-z0-9-]+$/, 'a region name such as eu-west-1');
/** A region or a glob over regions (`eu-*`). */
const regionGlob = z.string().regex(/^[a-z0-9*?-]+$/, 'a region name or glob such as eu-west-1 or eu-*');

const Filter = <T extends z.ZodType>(item: T) =>
  z.strictObject({ include: z.array(item).default([]), exclude: z.array(item).default([]) }).default({ include: [], exclude: [] });

export const AwsConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** `organization`: list member accounts from the management / delegated-admin account and assume a role in each. */
    mode: z.enum(['account', 'organization']).default('account'),
    /** Named profile for the ambient credential chain (otherwise env, SSO, IMDS… as the SDK resolves them). */
    profile: z.string().optional(),
    /** Region used for global services (STS, IAM, Organizations) and DescribeRegions. */
    homeRegion: region.default('us-east-1'),
    roleName: z.string().min(1).default('SnapauditReadOnly'),
    externalId: z.string().min(2).optional(),
    sessionName: z
      .string()
      .regex(/^[\w+=,.@-]{2,64}$/, 'a role session name: 2-64 of letters, digits and +=,.@_-')
      .default('snapaudit'),
    accounts: z
      .strictObject({
        include: z.array(accountId).default([]),
        exclude: z.array(accountId).default([]),
        /** Only accounts under these OUs (ou-… ids, at any depth). */
        ous: z
          .array(z.string().regex(/^(ou-[a-z0-9]+-[a-z0-9]+|r-[a-z0-9]+)$/, 'an OU id such as ou-ab12-cd34ef56 or a root r-ab12'))
          .default([]),
      })
      .default({ include: [], exclude: [], ous: [] }),
    regions: Filter(regionGlob),
    /** Endpoint override for every AWS service (LocalStack, the lab, other AWS-compatible emulators). */
    endpoint: url.optional(),
    /** Per-snapshot DescribeSnapshotAttribute to find shares with specific accounts (one call per snapshot). */
    shareLookup: z
      .strictObject({
        enabled: z.boolean().default(true),
        concurrency: z.number().int().min(1).max(64).default(4),
        /** Read IAM Access Analyzer findings instead of per-item attributes where an active analyzer covers the items. */
        accessAnalyzer: z.boolean().default(true),
      })
      .default({ enabled: true, concurrency: 4, accessAnalyzer: true }),
    /** CloudTrail LookupEvents to learn who created each snapshot (90-day history). */
    creatorLookup: z.boolean().default(true),
    /** Log-archive accounts: a trail bucket whose name carries one of these ids is central. */
    logArchiveAccounts: z.array(accountId).default([]),
    /** Trail buckets (globs) that live in a central log-archive account. */
    centralBuckets: z.array(z.string().min(1)).default([]),
    /** Read the people behind IAM Identity Center roles (permission set assignments, users, groups' members). */
    directoryLookup: z.boolean().default(true),
    /** The region IAM Identity Center is enabled in (default: homeRegion); read once per scan with the scanner's credentials. */
    identityCenterRegion: region.optional(),
    allowInsecureHttp,
  })
  .superRefine(transportPolicy(URL_FIELDS.aws));
export type AwsConfig = z.infer<typeof AwsConfig>;

export const AzureConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    tenantId: z.string().optional(),
    /** Only subscriptions under these management groups (at any depth). */
    managementGroups: z.array(z.string()).default([]),
    subscriptions: Filter(z.string()),
    /** ARM endpoint override (the lab, or a sovereign cloud such as https://management.usgovcloudapi.net). */
    endpoint: url.optional(),
    /** Log Analytics workspace resource ids that count as the central log store. */
    centralWorkspaces: z.array(z.string()).default([]),
    creatorLookup: z.boolean().default(true),
    /** Microsoft Entra ID authority host override (sovereign clouds, the lab), e.g. https://login.microsoftonline.us. */
    authorityHost: url.optional(),
    /** Principal object ids to treat as external (guests, partner service principals) in who-can results. */
    externalPrincipals: z.array(z.string()).default([]),
    /** Read names, account state and group members from Microsoft Graph (needs Directory.Read.All). */
    directoryLookup: z.boolean().default(true),
    /** Microsoft Graph endpoint override (default: the ARM endpoint's cloud, e.g. https://graph.microsoft.us for US Government). */
    graphEndpoint: url.optional(),
    allowInsecureHttp,
  })
  .superRefine(transportPolicy(URL_FIELDS.azure));
export type AzureConfig = z.infer<typeof AzureConfig>;

export const GcpConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    organizationId: z.string().regex(/^\d+$/, 'the numeric organization id, e.g. 123456789012').optional(),
    folders: z.array(z.string().regex(/^\d+$/, 'a numeric folder id')).default([]),
    projects: z.array(z.string()).default([]),
    /** The organisation's own domains: members outside them are external. */
    domains: z.array(z.string()).default([]),
    /** Projects that hold the central log buckets / datasets. */
    centralProjects: z.array(z.string()).default([]),
    endpoint: url.optional(),
    creatorLookup: z.boolean().default(true),
    /** Read group members (Cloud Identity) and service account names and state (IAM); needs the Groups Reader admin role. */
    directoryLookup: z.boolean().default(true),
    /** Compute Engine regions searched for regional snapshots (globs; default: every region regions.list returns). */
    regions: Filter(regionGlob),
    /** How far back the creator lookup reads Admin Activity entries (the _Required bucket keeps them 400 days). */
    creatorLookbackDays: z.number().int().min(1).max(400).default(400),
    /** Cloud Logging read quota of the project the credentials bill: entries:list calls per minute, paced scan-wide. */
    logReadsPerMinute: z.number().int().min(1).max(6000).default(60),
    /** Per-snapshot getIamPolicy to find public and shared-out snapshots (one call per snapshot). */
    snapshotIamLookup: z
      .strictObject({ enabled: z.boolean().default(true), concurrency: z.number().int().min(1).max(64).default(4) })
      .default({ enabled: true, concurrency: 4 }),
    allowInsecureHttp,
  })
  .superRefine(transportPolicy(URL_FIELDS.gcp));
export type GcpConfig = z.infer<typeof GcpConfig>;

const pattern = z.string().min(1);

export const Baseline = z
  .strictObject({
    /** Identities approved to snapshot: ARN, e-mail or object-id patterns; `*` matches any run of characters. */
    identities: z.array(pattern).default([]),
    /** Approved automation: identities or markers (aws-backup, dlm, azure-backup, gcp-schedule, or identity patterns). */
    automation: z.array(pattern).default(['aws-backup', 'dlm', 'azure-backup', 'gcp-schedule']),
    /** Deprecated: `checks: { snapshots.unapproved-creator: { changeRecordTagKey } }`. */
    changeRecordTagKey: z.string().nullable().optional(),
    /** Deprecated: `checks: { snapshots.sensitive-source: { tags } }`. */
    sensitiveTags: z.array(pattern).optional(),
  })
  .default({ identities: [], automation: ['aws-backup', 'dlm', 'azure-backup', 'gcp-schedule'] });
export type Baseline = z.infer<typeof Baseline>;

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const clockPattern = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const clockTime = z.string().regex(clockPattern, 'a time of day as HH:MM, e.g. 08:00 or 18:30');

/** An IANA time zone the runtime knows (`Europe/Berlin`, `America/New_York`, `UTC`). */
const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'an IANA time zone such as Europe/Berlin, America/New_York or UTC' },
);

/** When people are expected to make snapshots: activity outside it is `activity.off-hours`. */
export const BusinessHours = z
  .strictObject({
    timeZone,
    days: z.array(z.enum(weekdays)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    start: clockTime.default('08:00'),
    end: clockTime.default('18:00'),
  })
  // Compared only once both are valid times: a bad time is reported once, by its own field.
  .refine((h) => !(clockPattern.test(h.start) && clockPattern.test(h.end)) || h.start < h.end, {
    error: 'start must be before end (HH:MM, same day)',
    path: ['end'],
  });
export type BusinessHours = z.infer<typeof BusinessHours>;

const cidr = z.string().refine((c) => validCidr(c), { error: 'a CIDR block such as 203.0.113.0/24 or 2001:db8::/32, or one address' });

/** Where snapshot activity is expected to come from: activity from anywhere else is `activity.untrusted-source`. */
export const TrustedNetworks = z.strictObject({
  cidrs: z.array(cidr).default([]),
  /** VPC endpoint ids (vpce-…) calls may come through. */
  vpcEndpoints: z.array(z.string().regex(/^vpce-[0-9a-f]{8,17}$/, 'a VPC endpoint id such as vpce-0123456789abcdef0')).default([]),
});
export type TrustedNetworks = z.infer<typeof TrustedNetworks>;

export const Policy = z
  .strictObject({
    /** Unset: activity is not judged by time of day. */
    businessHours: BusinessHours.optional(),
    /** Unset: activity is not judged by where it came from. */
    trustedNetworks: TrustedNetworks.optional(),
    ownerTagKeys: z.array(z.string().min(1)).default(['owner', 'Owner', 'created-by', 'team']),
    /** Deprecated: `checks: { logging.retention: { minDays } }`. */
    minRetentionDays: z.number().int().min(1).optional(),
    /** Deprecated: `checks: { snapshots.stale: { maxAgeDays } }`. */
    maxSnapshotAgeDays: z.number().int().min(1).optional(),
    /** Deprecated: `checks: { snapshots.unencrypted: { requireCustomerManagedKey } }`. */
    requireCustomerManagedKeys: z.boolean().optional(),
  })
  .default({ ownerTagKeys: ['owner', 'Owner', 'created-by', 'team'] });
export type Policy = z.infer<typeof Policy>;

/**
 * Who-can analysis one hop further (issue #26): how far a principal's reach is followed through other identities
 * (AWS role chains: sts:AssumeRole hops). 0: direct grants only.
 */
export const PermissionSettings = z
  .strictObject({
    maxChainDepth: z.number().int().min(0).max(5).default(2),
    /** The most sts:AssumeRole evaluations the role-chain search makes per account (about 0.2 ms each). */
    maxChainEvaluations: z.number().int().min(1).max(10_000_000).default(25_000),
  })
  .default({ maxChainDepth: 2, maxChainEvaluations: 25_000 });
export type PermissionSettings = z.infer<typeof PermissionSettings>;

export const Suppression = z
  .strictObject({
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{24}$/, 'a 24-character finding fingerprint')
      .optional(),
    check: z.string().optional(),
    /** Pattern on `provider:scopeId`, e.g. `aws:111111111111` or `gcp:*-sandbox`. */
    scope: pattern.optional(),
    /** Pattern on the resource id. */
    resource: pattern.optional(),
    reason: z.string().min(3, 'say why the finding is accepted'),
    owner: z.string().min(1, 'name who accepted it'),
    expires: z.iso.date('an ISO date such as 2027-03-31'),
  })
  .refine((s) => s.fingerprint !== undefined || s.check !== undefined, {
    error: 'give a fingerprint, or a check (with an optional scope/resource pattern)',
  });
export type Suppression = z.infer<typeof Suppression>;

export const ScanSettings = z
  .strictObject({
    concurrency: z
      .strictObject({
        scopes: z.number().int().min(1).max(256).default(8),
        callsPerScope: z.number().int().min(1).max(64).default(8),
        callsPerProvider: z.number().int().min(1).max(1024).default(64),
      })
      .default({ scopes: 8, callsPerScope: 8, callsPerProvider: 64 }),
    retry: z
      .strictObject({
        maxAttempts: z.number().int().min(1).max(20).default(6),
        baseDelayMs: z.number().int().min(0).max(3_600_000).default(250),
        maxDelayMs: z.number().int().min(0).max(3_600_000).default(20_000),
        /** The longest server-requested wait (Retry-After) honoured; beyond it the call fails as throttled. */
        maxRetryAfterMs: z.number().int().min(0).max(3_600_000).default(300_000),
      })
      .default({ maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 20_000, maxRetryAfterMs: 300_000 }),
    /**
     * Deadline of one API call attempt (connect, send, answer): a call past it is abandoned and retried like any
     * transient failure, so an endpoint that accepts a request and never answers cannot hang the scan.
     */
    callTimeoutMs: z.number().int().min(1).max(600_000).default(60_000),
    /**
     * Page ceiling of one paged listing: a listing that reaches it stops with a `limit_reached` gap (never
     * "complete"). 10,000 pages is 10 million EC2 snapshots, 5 million GCP snapshots, or 500,000 CloudTrail events
     * per event name and region.
     */
    maxPagesPerListing: z.number().int().min(1).max(1_000_000).default(10_000),
    checks: Filter(z.string()),
    /**
     * How far back creation activity is reviewed (the `activity.*` checks), bounded by what each cloud keeps:
     * CloudTrail event history 90 days, the Azure activity log 90 days, GCP Admin Activity logs 400 days.
     */
    activityLookbackDays: z.number().int().min(1).max(400).default(90),
    /**
     * The memory (MiB) the CLI sizes V8's heap for: about half of it old space, the rest for code, buffers and
     * SQLite (src/cli/heap-policy.ts). Unset: 512 when every output streams, else three quarters of the memory the
     * process may use. Heap flags in NODE_OPTIONS take precedence.
     */
    memoryBudgetMiB: z.number().int().min(memoryBudgetLimits.min).max(memoryBudgetLimits.max).optional(),
  })
  .default({
    concurrency: { scopes: 8, callsPerScope: 8, callsPerProvider: 64 },
    retry: { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 20_000, maxRetryAfterMs: 300_000 },
    callTimeoutMs: 60_000,
    maxPagesPerListing: 10_000,
    checks: { include: [], exclude: [] },
    activityLookbackDays: 90,
  });
export type ScanSettings = z.infer<typeof ScanSettings>;

/** The state store (scan history, finding lifecycle, ticket ledger). */
export const StateSettings = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** SQLite file; relative paths are resolved against the working directory. */
    path: z.string().min(1).default('.snapaudit/state.sqlite'),
    /** Scans kept; older ones are deleted after each scan. */
    retain: z.number().int().min(1).max(100_000).default(90),
  })
  .default({ enabled: true, path: '.snapaudit/state.sqlite', retain: 90 });
export type StateSettings = z.infer<typeof StateSettings>;

export const formatIds = ['json', 'ndjson', 'html', 'csv', 'md', 'sarif', 'ocsf', 'junit', 'activity-csv', 'activity-ocsf'] as const;

/**
 * What the check registry (above this layer) tells the config about its checks: their ids, so suppressions and
 * `checks:` entries naming an unknown check are refused, and each check's options schema (a strict object with
 * defaults; an empty one when the check takes no options), so `checks.<id>` is validated at load.
 */
export interface KnownChecks {
  ids: readonly string[];
  options: Readonly<Record<string, z.ZodType>>;
}

/**
 * `checks:` — per-check options keyed by check id, kept as written (each check resolves its own options from them,
 * its deprecated keys and its defaults). Validated against each known check's schema.
 */
function checkOptionsMap(known: KnownChecks | null) {
  return z
    .record(z.string(), z.unknown())
    .default({})
    .superRefine((map, ctx) => {
      for (const [id, raw] of Object.entries(map)) {
        if (known !== null && !known.ids.includes(id)) {
          ctx.addIssue({
            code: 'custom',
            path: [id],
            input: raw,
            message: `no check is called "${id}"; use an id from \`snapaudit checks list\``,
          });
          continue;
        }
        const schema = known?.options[id] ?? z.record(z.string(), z.unknown());
        // parsed once, like the config (load.ts): no compiled fast path
        const parsed = schema.safeParse(raw, { reportInput: true, jitless: true });
        if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [id, ...issue.path] });
      }
    })
    .transform((map) => map as Record<string, Record<string, unknown>>);
}

/**
 * The config schema. Check ids and options are owned by the check registry above this layer, so the caller passes
 * them in (`KnownChecks`); `Config` (none known) serves types, defaults and structure.
 */
export function configSchema(known: KnownChecks | null) {
  const checkIds = known?.ids ?? null;
  return z.strictObject({
    version: z.literal(1, 'the only config version is 1: add `version: 1`'),
    providers: z.strictObject({ aws: AwsConfig.optional(), azure: AzureConfig.optional(), gcp: GcpConfig.optional() }).default({}),
    scan: ScanSettings,
    policy: Policy,
    baseline: Baseline,
    permissions: PermissionSettings,
    checks: checkOptionsMap(known),
    suppressions: z
      .array(Suppression)
      .default([])
      .superRefine((list, ctx) => {
        for (const [path, message] of suppressionProblems(list, checkIds)) {
          const rule = list[Number(path[0])] as Record<string, unknown>;
          ctx.addIssue({ code: 'custom', path, message, input: path.length > 1 ? rule[String(path[1])] : rule });
        }
      }),
    state: StateSettings,
    tickets: TicketsConfig.optional(),
    output: z
      .strictObject({
        dir: z.string().min(1).default('snapaudit-out'),
        formats: z.array(z.enum(formatIds)).min(1).default(['json']),
        /**
         * The HTML report's size: up to `detailLimit` rows (findings + snapshots + principals able to snapshot) it
         * lists every row; above, aggregates and the `worst` most severe findings, pointing at the CSV files.
         */
        html: z
          .strictObject({
            detailLimit: z.number().int().min(0).optional(),
            worst: z.number().int().min(1).max(100_000).optional(),
          })
          .optional(),
      })
      .default({ dir: 'snapaudit-out', formats: ['json'] }),
    /** Exit 1 when a finding at or above this severity is open. */
    failOn: Severity.or(z.literal('none')).default('high'),
    /** Exit 3 when more than this many scopes could not be fully read. */
    maxGap: z.number().int().min(0).default(0),
    /**
     * TLS trust. Certificate verification is always on; `caFile` adds the CA certificates of a PEM file (a corporate
     * TLS-inspecting proxy, a private ServiceNow or Jira) to the system's roots for every cloud and ticket connection.
     */
    tls: z.strictObject({ caFile: z.string().min(1).optional() }).default({}),
  });
}
// Types only: the schema itself is built where a config is parsed (load.ts), not when this module loads.
export type Config = z.infer<ReturnType<typeof configSchema>>;
export type ConfigInput = z.input<ReturnType<typeof configSchema>>;

/** URLs the config lets through over plain http to a non-loopback host (`allowInsecureHttp`), for the per-run warning. */
export function insecureEndpoints(config: Config, opts: { providers: readonly string[]; tickets: boolean }): InsecureEndpoint[] {
  const p = config.providers;
  const t = config.tickets;
  const on = (x: string) => opts.providers.includes(x);
  return [
    ...(on('aws') ? insecureUrls('providers.aws', p.aws, URL_FIELDS.aws) : []),
    ...(on('azure') ? insecureUrls('providers.azure', p.azure, URL_FIELDS.azure) : []),
    ...(on('gcp') ? insecureUrls('providers.gcp', p.gcp, URL_FIELDS.gcp) : []),
    ...(opts.tickets && t ? insecureUrls(`tickets.${t.sink}`, t[t.sink], URL_FIELDS[t.sink]) : []),
  ];
}
