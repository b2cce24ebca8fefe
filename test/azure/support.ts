/**
 * Azure test helpers: the demo estate's azure section, lookups into a scan result by subscription name, and raw ARM
 * requests to the lab (token, one request, a whole paged list).
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';
import { LAB_CLIENT_ID, LAB_CLIENT_SECRET } from '../../lab/azure/state.ts';
import type { EstateInput } from '../../lab/estate.ts';
import type { Lab } from '../../lab/server.ts';
import type { ScanResult, ScopeResult } from '../../src/core/model/result.ts';

export const DEMO = {
  tenant: '3f2c9a10-5b7e-4c1d-9a8e-6d0f4b2c7e91',
  prod: '6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c01',
  dev: '6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c02',
  security: '6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c03',
  alice: 'a11ce000-0000-4000-8000-000000000001',
  ops: '0b5e0000-0000-4000-8000-000000000002',
  bob: 'b0b00000-0000-4000-8000-000000000003',
  backup: 'bac0b000-0000-4000-8000-000000000004',
  partner: 'f0e1a000-0000-4000-8000-000000000005',
  carol: 'ca401000-0000-4000-8000-000000000006',
  dave: 'd00e0000-0000-4000-8000-000000000008',
  backupOperators: 'b4c0b000-0000-4000-8000-000000000009',
  eve: 'e0e00000-0000-4000-8000-00000000000a',
  guest: '9e570000-0000-4000-8000-00000000000c',
} as const;

type AzureInput = NonNullable<EstateInput['azure']>;

/** The azure section of the built-in demo estate (a fresh copy each time, so tests can change it). */
export function demoAzure(): AzureInput {
  const text = readFileSync(new URL('../../lab/estates/demo/azure.yaml', import.meta.url), 'utf8');
  return (parse(text) as { azure: AzureInput }).azure;
}

export function azureEstate(azure: AzureInput = demoAzure()): EstateInput {
  return { estateVersion: 1, azure } as EstateInput;
}

export function scopeNamed(result: ScanResult, name: string): ScopeResult {
  const s = result.scopes.find((x) => x.scope.name === name);
  if (!s) throw new Error(`no scope named ${name}: ${result.scopes.map((x) => x.scope.name).join(', ')}`);
  return s;
}

/** `action@scope` for each grant of a principal in a scope (`*` = whole subscription). */
export function grantsOf(scope: ScopeResult, principalId: string): string[] {
  const p = scope.principals.find((x) => x.id === principalId);
  return (p?.grants ?? []).map((g) => `${g.action}@${g.resourceScope.replace(/^\/subscriptions\/[^/]+\/resourcegroups\//, 'rg:')}`).sort();
}

export interface ArmAnswer {
  status: number;
  headers: Record<string, unknown>;
  json: Record<string, unknown>;
}

/** One raw HTTPS request to the lab's Azure endpoint (trusting its CA), with a bearer token unless `token: null`. */
export function armRequest(
  lab: Lab,
  method: string,
  path: string,
  opts: { token?: string | null; body?: string; headers?: Record<string, string> } = {},
): Promise<ArmAnswer> {
  const url = new URL(path, lab.endpoints.azure);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: lab.ca ?? undefined,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A token from the lab's Microsoft Entra ID endpoint, signed in as the lab's client. */
export async function armToken(lab: Lab, tenant: string = DEMO.tenant): Promise<string> {
  const form = new URLSearchParams({
    client_id: LAB_CLIENT_ID,
    client_secret: LAB_CLIENT_SECRET,
    grant_type: 'client_credentials',
    scope: 'https://management.azure.com/.default',
  });
  const r = await armRequest(lab, 'POST', `/${tenant}/oauth2/v2.0/token`, { token: null, body: form.toString() });
  return r.json.access_token as string;
}

/** Every item of a paged ARM list, following nextLinks (bounded). */
export async function armList<T = Record<string, unknown>>(lab: Lab, token: string, path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = path;
  for (let pages = 0; next && pages < 1000; pages++) {
    const page = await armRequest(lab, 'GET', next, { token });
    if (page.status !== 200) throw new Error(`${path}: HTTP ${page.status} ${JSON.stringify(page.json)}`);
    out.push(...((page.json.value as T[]) ?? []));
    next = page.json.nextLink as string | undefined;
  }
  return out;
}
