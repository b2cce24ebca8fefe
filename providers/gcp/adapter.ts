/**
 * The GCP adapter: wiring only. Discovery (discovery.ts) finds the projects with their folder and organisation
 * ancestry; each project is then read through its I/O object (scope-io.ts) by the collectors the selected checks
 * need (collect/*.ts: audit-log export, alerting, who can snapshot, the snapshot inventory), and assembled into a
 * ScopeCollection. One Cloud Logging read quota is shared by the whole scan (the pacer).
 */
import { catalogueFor } from '../../src/core/catalogue/index.ts';
import type { Baseline, GcpConfig, Policy } from '../../src/core/config/schema.ts';
import type { Operation } from '../../src/core/calls.ts';
import { operationCoverage, regionLogging } from '../../src/core/model/logging.ts';
import type { Gap, Part, RegionLogging, Scope } from '../../src/core/model/result.ts';
import type { ProviderAdapter, ScopeCollection } from '../types.ts';
import { createClients, type GcpClients, signIn, withSignal } from './clients.ts';
import { familyOperations } from './audit.ts';
import { type Alerting, collectAlerting } from './collect/alerting.ts';
import type { GcpScopeContext } from './collect/context.ts';
import { collectLogging } from './collect/logging.ts';
import { collectSecurityCenter } from './collect/security-center.ts';
import { collectPrincipals } from './collect/principals.ts';
import { collectSnapshots } from './collect/snapshots.ts';
import { collectActivity } from './collect/activity.ts';
import { discoverProjects, type ProjectContext } from './discovery.ts';
import { classifyGcpError } from './errors.ts';
import type { Membership } from './members.ts';
import { type Interception, interceptedRoutes } from './normalise/logging.ts';
import { corroborateImages, type SccReading, securityCenterDetectors } from './normalise/security-center.ts';
import { createPacer } from './pacer.ts';
import { GcpIO, GLOBAL, ScanReads } from './scope-io.ts';

export interface GcpAdapterOptions {
  config: GcpConfig;
  policy: Policy;
  baseline: Baseline;
  /** An auth client (google-auth-library), or `{ accessToken }` for a static token (the lab); default: ADC. */
  authClient?: unknown;
  /** The window `logReadsPerMinute` counts in (tests shorten it; default one minute). */
  logReadWindowMs?: number;
}

const signInOp: Operation = { service: 'auth', name: 'signIn', region: GLOBAL };

/**
 * The project's logging matrix: the sources, and alerting folded in (routes an intercepting sink above starves match
 * nothing; alerting that could not be read or judged leaves `alerted` unknown).
 */
function loggingOf(
  scope: Scope,
  logged: { sources: ScopeCollection['logging']['sources']; interception: Interception } | null,
  alerted: Alerting | null,
  scc: SccReading | null,
): ScopeCollection['logging'] {
  // Detective controls for exposure sit beside the alert routes: they never make the project `alerted`.
  const detectors = scc ? { detectors: securityCenterDetectors(scc) } : {};
  if (!logged) return { sources: [], alerts: [], regions: [], ...detectors };
  const alerting = alerted ? { ...alerted, ...interceptedRoutes(alerted, logged.interception) } : null;
  const alerts = alerting ? alerting.routes : null;
  const rows = regionLogging(scope.regions, logged.sources, alerts).map((r): RegionLogging => {
    const undecided = new Set(alerting?.undecidedCalls ?? []);
    const judged = alerting
      ? {
          operations: operationCoverage(r, alerting.complete ? alerts : null, familyOperations, {
            read: 'logging:metrics.list, monitoring:alertPolicies.list',
            undecided: (op) => undecided.has(op),
          }),
        }
      : {};
    if (!alerting || r.alerted === 'exact') return { ...r, ...judged };
    if (!alerting.complete || alerting.undecided) {
      const why = alerting.complete ? 'an alert filter could not be evaluated' : 'log-based metrics or alert policies could not be read';
      return { ...r, alerted: 'unknown', reasons: [...r.reasons, why], ...judged };
    }
    return { ...r, ...judged };
  });
  return { sources: logged.sources, alerts: alerts ?? [], regions: rows, ...detectors };
}

export function createGcpAdapter(opts: GcpAdapterOptions): ProviderAdapter {
  const cfg = opts.config;
  let clientsRef: GcpClients | null = null;
  /** The auth client `signIn` resolved at the start of discovery; the clients are built on it. */
  let signedIn: unknown = opts.authClient;
  const clients = () => {
    clientsRef ??= createClients(signedIn, cfg.endpoint);
    return clientsRef;
  };
  const shared = new ScanReads();
  const projects = new Map<string, ProjectContext>();
  const catalogue = catalogueFor('gcp');
  /** One Cloud Logging read quota for the whole scan: every project's entries:list calls share it. */
  const logReads = createPacer({ limit: cfg.logReadsPerMinute, windowMs: opts.logReadWindowMs ?? 60_000 });
  let membership: Membership = { domains: cfg.domains.map((d) => d.toLowerCase()), orgProjects: null };

  return {
    provider: 'gcp',
    classifyError: classifyGcpError,
    async discover(rt) {
      signedIn = await rt.call(signInOp, (signal) => withSignal(signIn(opts.authClient), signal));
      const { projects: found, membership: m, ...discovery } = await discoverProjects(new GcpIO(clients, shared, rt, logReads), cfg);
      for (const [k, v] of found) projects.set(k, v);
      membership = m;
      return discovery;
    },
    async collect(scope, rt): Promise<ScopeCollection> {
      const io = new GcpIO(clients, shared, rt, logReads);
      const gaps: Gap[] = [];
      const ok = new Set<Part>();
      const ctx: GcpScopeContext = {
        project: projects.get(scope.id) ?? { projectId: scope.id, number: null, name: scope.name, ancestors: [] },
        node: { level: 'project', id: `projects/${scope.id}`, name: scope.name },
        needs: rt.needs,
        now: rt.now,
        activityLookbackDays: rt.activityLookbackDays ?? 90,
        config: cfg,
        policy: opts.policy,
        catalogue,
        membership,
        gaps,
        ok,
      };
      const want = rt.needs;
      const [logged, alerted, scc, principals, collected, activity] = await Promise.all([
        want.has('logging') ? collectLogging(io, ctx) : null,
        want.has('alerting') ? collectAlerting(io, ctx) : null,
        want.has('alerting') ? collectSecurityCenter(io, ctx) : null,
        want.has('principals') ? collectPrincipals(io, ctx) : [],
        want.has('snapshots') ? collectSnapshots(io, ctx) : [],
        want.has('activity') && cfg.creatorLookup ? collectActivity(io, ctx) : null,
      ]);
      const failedRegions = want.size > 0 && ok.size === 0 && gaps.length > 0 ? [...scope.regions] : [];
      const read = activity === null ? {} : { activity: activity ?? [] };
      // SCC's findings corroborate (or contradict, as a conflict note) the scanner's own verdict on an image.
      const snapshots = scc ? corroborateImages(collected, scc) : collected;
      return { logging: loggingOf(scope, logged, alerted, scc), guards: [], principals, snapshots, ...read, gaps, failedRegions };
    },
    async close() {
      clientsRef = null;
      shared.clear();
      projects.clear();
    },
  };
}
