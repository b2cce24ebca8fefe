/**
 * Issue #11 case 1 and the fault suite: one cloud's credentials broken must never cost the other clouds their
 * scan. The real CLI runs as a scheduled job would (a child process, credentials from the clouds' standard
 * sources), all three clouds at once, with each credential failure mode of each cloud one at a time and all at
 * once: the broken cloud ends as a discovery gap naming the cause, the other two complete in the written result,
 * and the exit code is 3 (docs/cli.md "Exit codes") — never 1, never a lost scan.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider, ScanResult } from '../../src/core/model/result.ts';
import { assertValidResult } from '../support/lab.ts';
import { type Breakage, CredentialLab, type RealRun } from './real-cli.ts';

const lab = new CredentialLab();
beforeAll(() => lab.start(), 60_000);
afterAll(() => lab.close());

function written(run: RealRun): ScanResult {
  const path = join(run.cwd, 'out', 'result.json');
  expect(existsSync(path), `result.json written (stderr: ${run.stderr.slice(-2000)})`).toBe(true);
  const result = JSON.parse(readFileSync(path, 'utf8')) as ScanResult;
  assertValidResult(result);
  return result;
}

function expectComplete(result: ScanResult, provider: Provider): void {
  const d = result.discovery.find((x) => x.provider === provider);
  expect(d, `${provider} discovery`).toMatchObject({ status: 'complete', gaps: [] });
  const scopes = result.scopes.filter((s) => s.scope.provider === provider);
  expect(scopes.length).toBeGreaterThan(0);
  for (const s of scopes) expect(s.coverage.status, `${provider} ${s.scope.id}`).toBe('complete');
}

function expectBroken(result: ScanResult, provider: Provider, codes: string[], cause: RegExp): void {
  const d = result.discovery.find((x) => x.provider === provider);
  expect(d?.status).toBe('failed');
  expect(result.scopes.filter((s) => s.scope.provider === provider)).toEqual([]);
  expect(codes).toContain(d?.gaps[0]?.code);
  expect(d?.gaps[0]?.part).toBe('discovery');
  expect(d?.gaps[0]?.message).toMatch(cause);
}

const modes: Array<{ broken: Breakage; provider: Provider; codes: string[]; cause: RegExp }> = [
  { broken: 'aws:no-credentials', provider: 'aws', codes: ['credentials'], cause: /Could not load credentials/ },
  { broken: 'aws:invalid-keys', provider: 'aws', codes: ['credentials'], cause: /InvalidClientTokenId/ },
  { broken: 'aws:missing-profile', provider: 'aws', codes: ['credentials'], cause: /Could not load credentials|security-audit/ },
  {
    broken: 'azure:no-credentials',
    provider: 'azure',
    codes: ['credentials'],
    cause: /authentication failed.*EnvironmentCredential is unavailable/,
  },
  { broken: 'azure:invalid-secret', provider: 'azure', codes: ['credentials'], cause: /AADSTS7000215: Invalid client secret/ },
  {
    broken: 'azure:authority-unreachable',
    provider: 'azure',
    codes: ['credentials', 'unavailable'],
    cause: /authority could not be reached|network error/,
  },
  { broken: 'gcp:key-file-missing', provider: 'gcp', codes: ['credentials'], cause: /Google sign-in failed.*nonexistent\.json/ },
  { broken: 'gcp:key-file-garbled', provider: 'gcp', codes: ['credentials'], cause: /Google sign-in failed.*JSON/ },
  { broken: 'gcp:no-adc', provider: 'gcp', codes: ['credentials'], cause: /Google sign-in failed.*default credentials/i },
  { broken: 'gcp:token-exchange-fails', provider: 'gcp', codes: ['credentials'], cause: /Google sign-in failed.*invalid_grant/ },
];

const all: Provider[] = ['aws', 'azure', 'gcp'];

describe.concurrent('one cloud with broken credentials: the other two complete in the written result, exit 3 (real CLI)', {
  timeout: 180_000,
}, () => {
  it('with every credential working, all three complete (the job set-up itself is sound)', async () => {
    const run = await lab.scan([]);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const result = written(run);
    for (const p of all) expectComplete(result, p);
  });

  it.each(modes)('$broken', async ({ broken, provider, codes, cause }) => {
    const run = await lab.scan([broken]);
    expect(run.code, run.stderr.slice(-2000)).toBe(3);
    expect(run.stderr).not.toMatch(/Unhandled|^\s+at /m);
    const result = written(run);
    expect(result.scan).toMatchObject({ complete: false, interrupted: false });
    expectBroken(result, provider, codes, cause);
    for (const p of all.filter((x) => x !== provider)) expectComplete(result, p);
    expect(run.stdout).toContain(`${provider} discovery:`);
  });

  it('all three broken at once: every provider is a discovery gap, the result is still written, exit 3', async () => {
    const run = await lab.scan(['aws:no-credentials', 'azure:no-credentials', 'gcp:no-adc']);
    expect(run.code, run.stderr.slice(-2000)).toBe(3);
    const result = written(run);
    for (const p of all) expectBroken(result, p, ['credentials'], /./);
    expect(result.scopes).toEqual([]);
  });
});
