/**
 * The plain ARM reader (providers/azure/arm.ts) against the SDK clients it stands in for (issue #19): each operation
 * it reads, the same lab answer over the lab's real wire read both ways, gives the same objects — so the normalisers
 * see no difference — and the same scan result; an ARM error reads as the same gap; a CAE claims challenge is answered
 * as the SDKs answer it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../reports/json.ts';
import { parseEstate } from '../../lab/estate.ts';
import { generateEstate } from '../../lab/generate.ts';
import { type Lab, startLab } from '../../lab/server.ts';
import { ArmReader, caeClaims } from '../../providers/azure/arm.ts';
import { snapshotOf } from '../../providers/azure/arm-shapes.ts';
import { AzureClients, createAgent } from '../../providers/azure/clients.ts';
import { classifyAzureError } from '../../providers/azure/errors.ts';
import { discoveryReads } from '../../providers/azure/discovery.ts';
import { type AzureScopeIO, ScanReads, scopeIO } from '../../providers/azure/scope-io.ts';
import { createAdapters } from '../../providers/index.ts';
import { selectChecks } from '../../checks/index.ts';
import { labConnections } from '../../src/cli/scan-command.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import type { ScopeRuntime } from '../../providers/types.ts';
import { runScan } from '../../src/engine/scan.ts';
import { fastRetry, NOW } from '../support/lab.ts';
import { azureEstate } from './support.ts';
import type { EstateInput } from '../../lab/estate.ts';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

const generated = generateEstate({
  seed: 19,
  azure: { subscriptions: 3, snapshotsPerSubscription: 6, assignmentsPerSubscription: 3, familyPerSubscription: 3 },
});

/** A runtime that runs each call at once, counting them by operation. */
function runtime(calls: string[]): ScopeRuntime {
  return {
    call: (op: { name: string }, fn: (signal: AbortSignal) => Promise<unknown>) => {
      calls.push(op.name);
      return fn(new AbortController().signal);
    },
    maxPages: 50,
  } as unknown as ScopeRuntime;
}

interface Both {
  sdk: AzureScopeIO;
  plain: AzureScopeIO;
  sdkCalls: string[];
  plainCalls: string[];
  sdkClients: AzureClients;
  plainClients: AzureClients;
}

function bothWays(lab: Lab, subscriptionId: string): Both {
  const clients = (plainArm: boolean) =>
    new AzureClients({
      endpoint: lab.endpoints.azure as string,
      authorityHost: lab.endpoints.azure as string,
      credential: lab.credentials.azure as never,
      ...(lab.ca ? { ca: lab.ca } : {}),
      agent: createAgent(lab.ca ?? undefined),
      plainArm,
    });
  const sdkCalls: string[] = [];
  const plainCalls: string[] = [];
  const [sdkClients, plainClients] = [clients(false), clients(true)];
  return {
    sdk: scopeIO(sdkClients, new ScanReads(), subscriptionId, runtime(sdkCalls), []),
    plain: scopeIO(plainClients, new ScanReads(), subscriptionId, runtime(plainCalls), []),
    sdkCalls,
    plainCalls,
    sdkClients,
    plainClients,
  };
}

const subscriptionsOf = (estate: EstateInput) => (estate.azure?.subscriptions ?? []).map((s) => (s as { id: string }).id);

/** Every operation the plain reader makes, read both ways for every subscription of `estate`; how many items each gave. */
async function compareAll(estate: EstateInput): Promise<Record<string, number>> {
  const lab = await startLab({ estate: parseEstate(estate, 'test'), providers: ['azure'] });
  const counts: Record<string, number> = {};
  const seen = (op: string, n: number) => {
    counts[op] = (counts[op] ?? 0) + n;
  };
  try {
    // discovery's listings: the subscriptions, the management groups, the tenant root group's tree
    const first = bothWays(lab, subscriptionsOf(estate)[0] as string);
    const [d1, d2] = [discoveryReads(runtime([]), first.sdkClients), discoveryReads(runtime([]), first.plainClients)];
    const [subs, plainSubs] = await Promise.all([d1.subscriptions(), d2.subscriptions()]);
    expect(plainSubs, 'discovery: subscriptions').toEqual(subs);
    seen('subscriptions', subs.length);
    const [groups, plainGroups] = await Promise.all([d1.groups(), d2.groups()]);
    expect(plainGroups, 'discovery: management groups').toEqual(groups);
    seen('groups', groups.length);
    for (const tenant of new Set(subs.map((s) => s.tenantId as string))) {
      const [tree, plainTree] = await Promise.all([d1.descendants(tenant), d2.descendants(tenant)]);
      expect(plainTree, `discovery: descendants of ${tenant}`).toEqual(tree);
      seen('descendants', tree.length);
    }
    for (const sub of subscriptionsOf(estate)) {
      const { sdk, plain, sdkCalls, plainCalls } = bothWays(lab, sub);
      for (const op of [
        'listSnapshots',
        'listDisks',
        'listDiskAccesses',
        'listImages',
        'listRoleAssignments',
        'listDenyAssignments',
        'listEligibilityInstances',
        'listDiagnosticSettings',
        'listActivityLogAlerts',
      ] as const) {
        const [a, b] = await Promise.all([sdk[op](), plain[op]()]);
        expect(b, `${op} ${sub}`).toEqual(a);
        seen(op, a.length);
      }
      const [events, plainEvents] = await Promise.all([
        sdk.listActivityLogs(new Date(Date.parse(NOW) - 90 * 86_400_000), new Date(NOW), 'Microsoft.Compute'),
        plain.listActivityLogs(new Date(Date.parse(NOW) - 90 * 86_400_000), new Date(NOW), 'Microsoft.Compute'),
      ]);
      expect(plainEvents, `listActivityLogs ${sub}`).toEqual(events);
      seen('listActivityLogs', events.length);
      const [galleries, plainGalleries] = await Promise.all([sdk.listGalleries(), plain.listGalleries()]);
      expect(plainGalleries, `listGalleries ${sub}`).toEqual(galleries);
      seen('listGalleries', galleries.length);
      for (const g of galleries) {
        const rg = /\/resourceGroups\/([^/]+)\//i.exec(g.id ?? '')?.[1] as string;
        const name = g.name as string;
        const [x, y] = await Promise.all([sdk.getGallerySharing(rg, name), plain.getGallerySharing(rg, name)]);
        expect(y, `getGallerySharing ${g.id}`).toEqual(x);
        const [images, plainImages] = await Promise.all([sdk.listGalleryImages(rg, name), plain.listGalleryImages(rg, name)]);
        expect(plainImages, `listGalleryImages ${g.id}`).toEqual(images);
        seen('listGalleryImages', images.length);
        for (const i of images) {
          const [v, w] = await Promise.all([
            sdk.listGalleryImageVersions(rg, name, i.name as string),
            plain.listGalleryImageVersions(rg, name, i.name as string),
          ]);
          expect(w, `listGalleryImageVersions ${i.id}`).toEqual(v);
          seen('listGalleryImageVersions', v.length);
        }
      }
      const [collections, plainCollections] = await Promise.all([sdk.listRestorePointCollections(), plain.listRestorePointCollections()]);
      expect(plainCollections, `listRestorePointCollections ${sub}`).toEqual(collections);
      seen('listRestorePointCollections', collections.length);
      for (const c of collections) {
        const rg = /\/resourceGroups\/([^/]+)\//i.exec(c.id ?? '')?.[1] as string;
        const [a, b] = await Promise.all([sdk.getRestorePoints(rg, c.name as string), plain.getRestorePoints(rg, c.name as string)]);
        expect(b, `getRestorePoints ${c.id}`).toEqual(a);
        seen('getRestorePoints', a.restorePoints?.length ?? 0);
        for (const rp of a.restorePoints ?? []) {
          const [x, y] = await Promise.all([
            sdk.listDiskRestorePoints(rg, c.name as string, rp.name as string),
            plain.listDiskRestorePoints(rg, c.name as string, rp.name as string),
          ]);
          expect(y, `listDiskRestorePoints ${rp.id}`).toEqual(x);
          seen('listDiskRestorePoints', x.length);
        }
      }
      // the reads named by what was listed: role definitions, PIM policies, action groups, log search alert rules,
      // the export workspaces and their Sentinel rules, the other export destinations
      // (listed both ways again, so both make the same calls)
      const again = async <T>(read: (io: AzureScopeIO) => Promise<T>): Promise<T> => {
        const [x, y] = await Promise.all([read(sdk), read(plain)]);
        expect(y).toEqual(x);
        return x;
      };
      const assignments = await again((io) => io.listRoleAssignments());
      for (const id of new Set(assignments.map((a) => a.roleDefinitionId as string))) {
        const [x, y] = await Promise.all([sdk.getRoleDefinition(id), plain.getRoleDefinition(id)]);
        expect(y, `getRoleDefinition ${id}`).toEqual(x);
        seen('getRoleDefinition', 1);
      }
      const eligible = await again((io) => io.listEligibilityInstances());
      for (const scope of new Set([`/subscriptions/${sub}`, ...eligible.map((e) => e.scope as string)])) {
        const [x, y] = await Promise.all([sdk.listActivationPolicies(scope), plain.listActivationPolicies(scope)]);
        expect(y, `listActivationPolicies ${scope}`).toEqual(x);
        seen('listActivationPolicies', x.length);
      }
      const alerts = await again((io) => io.listActivityLogAlerts());
      const groupIds = new Set(alerts.flatMap((a) => (a.actions?.actionGroups ?? []).map((g) => g.actionGroupId)));
      for (const id of [...groupIds, `/subscriptions/${sub}/resourceGroups/rg-x/providers/microsoft.insights/actionGroups/none`]) {
        const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/microsoft\.insights\/actionGroups\/([^/]+)$/i.exec(id);
        if (!m) continue;
        const ref = { subscriptionId: m[1] as string, resourceGroup: m[2] as string, name: m[3] as string };
        const [x, y] = await Promise.all([sdk.getActionGroup(id.toLowerCase(), ref), plain.getActionGroup(id.toLowerCase(), ref)]);
        expect(y, `getActionGroup ${id}`).toEqual(x);
        seen('getActionGroup', x ? 1 : 0);
      }
      const settings = await again((io) => io.listDiagnosticSettings());
      const workspaces = new Set(settings.map((d) => d.workspaceId).filter((w): w is string => !!w));
      for (const w of workspaces) {
        const [x, y] = await Promise.all([sdk.getWorkspace(w), plain.getWorkspace(w)]);
        expect(y, `getWorkspace ${w}`).toEqual(x);
        seen('getWorkspace', x ? 1 : 0);
        const [r, q] = await Promise.all([sdk.listSentinelRules(w), plain.listSentinelRules(w)]);
        expect(q, `listSentinelRules ${w}`).toEqual(r);
        seen('listSentinelRules', r?.length ?? 0);
      }
      for (const s of new Set([sub, ...[...workspaces].map((w) => w.split('/')[2] as string)])) {
        const [x, y] = await Promise.all([sdk.listScheduledQueryRules(s), plain.listScheduledQueryRules(s)]);
        expect(y, `listScheduledQueryRules ${s}`).toEqual(x);
        seen('listScheduledQueryRules', x.length);
      }
      for (const id of settings.flatMap((d) => [
        d.storageAccountId,
        d.eventHubAuthorizationRuleId?.replace(/\/authorizationrules\/.*$/i, ''),
      ]))
        if (id) expect(await plain.destinationExists(id), `destinationExists ${id}`).toBe(await sdk.destinationExists(id));
      // one engine call per page either way
      expect(plainCalls).toEqual(sdkCalls);
    }
    // both ways asked ARM for the same api-version of each operation (the plain reader sends what the SDK pins)
    const versions = new Map<string, Set<string | null>>();
    for (const e of lab.log.entries) {
      if (e.service === 'login' || e.service === 'Microsoft.Graph') continue;
      const op = `${e.service}:${e.operation}`;
      versions.set(op, (versions.get(op) ?? new Set()).add(new URLSearchParams(e.query).get('api-version')));
    }
    for (const [op, v] of versions) expect([...v], op).toHaveLength(1);
    expect(versions.size).toBeGreaterThan(5);
  } finally {
    await lab.close();
  }
  return counts;
}

describe('the plain ARM reader against the SDK clients, over the lab', () => {
  it('reads the demo estate as the SDK clients do, operation by operation', async () => {
    const counts = await compareAll(azureEstate());
    // something of each was read (an empty list equals an empty list)
    expect(counts.listSnapshots).toBeGreaterThan(0);
    expect(counts.listDisks).toBeGreaterThan(0);
    expect(counts.listRoleAssignments).toBeGreaterThan(0);
    expect(counts.listDenyAssignments).toBeGreaterThan(0);
    expect(counts.listEligibilityInstances).toBeGreaterThan(0);
    expect(counts.listDiagnosticSettings).toBeGreaterThan(0);
    expect(counts.listActivityLogAlerts).toBeGreaterThan(0);
    expect(counts.listActivityLogs).toBeGreaterThan(0);
    for (const op of [
      'subscriptions',
      'groups',
      'descendants',
      'getRoleDefinition',
      'listActivationPolicies',
      'getActionGroup',
      'getWorkspace',
      'listScheduledQueryRules',
    ])
      expect(counts[op], op).toBeGreaterThan(0);
  });

  it('reads a generated estate with the whole snapshot family as the SDK clients do', async () => {
    const counts = await compareAll(generated);
    for (const op of [
      'listSnapshots',
      'listDisks',
      'listImages',
      'listRestorePointCollections',
      'getRestorePoints',
      'listDiskRestorePoints',
      'listRoleAssignments',
      'listGalleries',
      'listGalleryImages',
      'listGalleryImageVersions',
    ])
      expect(counts[op], op).toBeGreaterThan(0);
  });

  it('gives the same scan result either way', async () => {
    const lab = await startLab({ estate: parseEstate(generated, 'test'), providers: ['azure'] });
    try {
      const scan = async (plainArm: boolean) => {
        const base = parseConfig({ version: 1, providers: { azure: {} }, scan: { retry: fastRetry } }, 'test');
        const { config, connections } = labConnections(lab, base);
        const adapters = await createAdapters(config, ['azure'], { azure: { ...connections.azure, plainArm } });
        const result = await runScan({ adapters, checks: selectChecks(config.scan.checks), config, clock: fixedClock(NOW) });
        return renderJson({ ...result, scan: { ...result.scan, id: 'x' } });
      };
      const [sdk, plain] = [await scan(false), await scan(true)];
      expect(plain).toBe(sdk);
      // the family the plain reader reads is in it: restore points and their disks' restore points
      expect(plain).toContain('"kind": "restore-point"');
      expect(plain).toContain('"kind": "disk-restore-point"');
    } finally {
      await lab.close();
    }
  });
});

describe('errors and challenges', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ estate: parseEstate(generated, 'test'), providers: ['azure'] });
  });
  afterAll(() => lab.close());

  it('reads an ARM error as the same gap as the SDK client did (a subscription that does not exist)', async () => {
    const { sdk, plain } = bothWays(lab, '00000000-0000-4000-8000-0000000000ff');
    for (const op of [
      'listSnapshots',
      'listDisks',
      'listRestorePointCollections',
      'listRoleAssignments',
      'listDenyAssignments',
      'listEligibilityInstances',
    ] as const) {
      const [a, b] = await Promise.all([sdk[op]().catch((e: unknown) => e), plain[op]().catch((e: unknown) => e)]);
      expect(b).toBeInstanceOf(Error);
      expect(classifyAzureError(b), op).toEqual(classifyAzureError(a));
    }
    const [a, b] = await Promise.all([
      sdk.getRestorePoints('rg-x', 'none').catch((e: unknown) => e),
      plain.getRestorePoints('rg-x', 'none').catch((e: unknown) => e),
    ]);
    expect(classifyAzureError(b)).toEqual(classifyAzureError(a));
  });

  it.each([
    'throttle',
    'server_error',
    'access_denied',
    'malformed',
    'expired_credentials',
    'not_implemented',
    'repeat_page_token',
    'reset',
  ] as const)('reads a %s fault of the lab as the same gap as the SDK client did, operation by operation', async (kind) => {
    const faulty = await startLab({
      estate: parseEstate(generated, 'test'),
      providers: ['azure'],
      faults: [{ provider: 'azure', operation: 'Microsoft.*', kind, rate: 1, after: 0, ms: 0, retryAfterSeconds: 7 }],
    });
    try {
      const sub = subscriptionsOf(generated)[0] as string;
      const { sdk, plain, sdkClients, plainClients } = bothWays(faulty, sub);
      const clientsOf = (io: AzureScopeIO) => (io === sdk ? sdkClients : plainClients);
      const ops = [
        'listSnapshots',
        'listDisks',
        'listImages',
        'listGalleries',
        'listRestorePointCollections',
        'listRoleAssignments',
        'listDenyAssignments',
        'listEligibilityInstances',
        'listDiagnosticSettings',
        'listActivityLogAlerts',
        'listDiskAccesses',
      ] as const;
      for (const op of ops) {
        const [a, b] = await Promise.all([sdk[op]().catch((e: unknown) => e), plain[op]().catch((e: unknown) => e)]);
        if (!(a instanceof Error)) {
          // a fault the listing reads through (a repeated token on a one-page listing): the same items either way
          expect(b, `${kind} ${op}`).toEqual(a);
          continue;
        }
        expect(b, `${kind} ${op}`).toBeInstanceOf(Error);
        expect(classifyAzureError(b), `${kind} ${op}`).toEqual(classifyAzureError(a));
      }
      // and the reads that name a resource (the fault answers before the resource is looked up)
      const from = new Date(Date.parse(NOW) - 86_400_000);
      const named: Array<[string, (io: AzureScopeIO) => Promise<unknown>]> = [
        ['listActivityLogs', (io) => io.listActivityLogs(from, new Date(NOW), 'Microsoft.Compute')],
        ['getRestorePoints', (io) => io.getRestorePoints('rg-x', 'rpc-x')],
        ['listDiskRestorePoints', (io) => io.listDiskRestorePoints('rg-x', 'rpc-x', 'rp-x')],
        ['getGallerySharing', (io) => io.getGallerySharing('rg-x', 'gal-x')],
        ['listGalleryImages', (io) => io.listGalleryImages('rg-x', 'gal-x')],
        ['listGalleryImageVersions', (io) => io.listGalleryImageVersions('rg-x', 'gal-x', 'img-x')],
        [
          'getRoleDefinition',
          (io) => io.getRoleDefinition('/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7'),
        ],
        ['listActivationPolicies', (io) => io.listActivationPolicies(`/subscriptions/${sub}`)],
        ['getActionGroup', (io) => io.getActionGroup('x', { subscriptionId: sub, resourceGroup: 'rg-x', name: 'ag-x' })],
        ['listScheduledQueryRules', (io) => io.listScheduledQueryRules(sub)],
        [
          'getWorkspace',
          (io) => io.getWorkspace(`/subscriptions/${sub}/resourceGroups/rg-x/providers/Microsoft.OperationalInsights/workspaces/ws-x`),
        ],
        [
          'listSentinelRules',
          (io) => io.listSentinelRules(`/subscriptions/${sub}/resourceGroups/rg-x/providers/Microsoft.OperationalInsights/workspaces/ws-x`),
        ],
        [
          'destinationExists',
          (io) => io.destinationExists(`/subscriptions/${sub}/resourceGroups/rg-x/providers/Microsoft.Storage/storageAccounts/sa-x`),
        ],
        ['discovery: subscriptions', (io) => discoveryReads(runtime([]), clientsOf(io)).subscriptions()],
        ['discovery: management groups', (io) => discoveryReads(runtime([]), clientsOf(io)).groups()],
        ['discovery: descendants', (io) => discoveryReads(runtime([]), clientsOf(io)).descendants('00000000-0000-4000-8000-0000000000aa')],
      ];
      for (const [op, read] of named) {
        const [a, b] = await Promise.all([read(sdk).catch((e: unknown) => e), read(plain).catch((e: unknown) => e)]);
        if (!(a instanceof Error)) {
          expect(b, `${kind} ${op}`).toEqual(a);
          continue;
        }
        expect(classifyAzureError(b), `${kind} ${op}`).toEqual(classifyAzureError(a));
      }
    } finally {
      await faulty.close();
    }
  });

  it('keeps a `__proto__` key of a hostile answer as a key, at the top and under properties, never as a prototype', () => {
    for (const [text, keys] of [
      [
        '{"id":"/s","properties":{"__proto__":{"polluted":"properties"},"timeCreated":"2026-01-01T00:00:00Z"}}',
        ['id', '__proto__', 'timeCreated'],
      ],
      [
        '{"id":"/s","__proto__":{"polluted":"top"},"properties":{"timeCreated":"2026-01-01T00:00:00Z"}}',
        ['id', '__proto__', 'timeCreated'],
      ],
    ] as const) {
      const shaped = snapshotOf(JSON.parse(text) as Record<string, unknown>) as unknown as Record<string, unknown>;
      expect(Object.getPrototypeOf(shaped), text).toBe(Object.prototype);
      expect(shaped.polluted, text).toBeUndefined();
      expect(Object.keys(shaped), text).toEqual(keys);
      expect(shaped.timeCreated, text).toEqual(new Date('2026-01-01T00:00:00Z'));
    }
  });

  it('answers a CAE claims challenge with one new token carrying the claims, as the SDKs do', async () => {
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
    const challenge = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`;
    expect(caeClaims(challenge)).toBe(claims);
    expect(caeClaims('Bearer error="invalid_token"')).toBeNull();
    // an ARM that challenges the first token and accepts the one asked for with the claims
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      if (req.headers.authorization === 'Bearer with-claims') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"value":[{"id":"/x","properties":{"timeCreated":"2026-01-01T00:00:00Z"}}]}');
      } else
        res
          .writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' })
          .end('{"error":{"code":"InvalidAuthenticationToken","message":"claims needed"}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const asked: GetTokenOptions[] = [];
      const credential: TokenCredential = {
        async getToken(_scopes, options) {
          asked.push(options ?? {});
          return { token: options?.claims ? 'with-claims' : 'plain', expiresOnTimestamp: Date.now() + 3_600_000 } satisfies AccessToken;
        },
      };
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const reader = new ArmReader({ endpoint, credential: () => credential });
      const body = await reader.get('/subscriptions/s/providers/Microsoft.Compute/snapshots', '2026-03-02', new AbortController().signal);
      expect(body).toMatchObject({ value: [{ id: '/x' }] });
      expect(asked.map((o) => ({ cae: o.enableCae, claims: o.claims }))).toEqual([
        { cae: true, claims: undefined },
        { cae: true, claims },
      ]);
      expect(seen).toEqual([
        '/subscriptions/s/providers/Microsoft.Compute/snapshots?api-version=2026-03-02 Bearer plain',
        '/subscriptions/s/providers/Microsoft.Compute/snapshots?api-version=2026-03-02 Bearer with-claims',
      ]);
      // a link to another host is never followed with the token
      await expect(reader.get('https://elsewhere.example/x', '1', new AbortController().signal)).rejects.toThrow(/outside/);
    } finally {
      server.close();
    }
  });
});
