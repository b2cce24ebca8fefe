/** Azure test helpers: the demo estate's azure section, and lookups into a scan result by subscription name. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { EstateInput } from '../../lab/estate.ts';
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
