/**
 * The transport policy: credentials travel over TLS with certificate verification on (a private CA through
 * tls.caFile), plain http only to this machine's loopback unless `allowInsecureHttp: true` (with a warning on every
 * run), never to link-local or metadata addresses, never in the URL. Refusals are config errors (exit 2) before
 * anything runs.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createAdapters } from '../../providers/index.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { TransportPolicyError } from '../../src/core/config/transport.ts';
import { checkEndpoint } from '../../src/core/transport.ts';
import { createSink } from '../../src/tickets/sync.ts';
import { TicketsConfig } from '../../src/core/config/tickets.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { NOW } from '../support/lab.ts';
import { loopbackCertificate } from '../support/tls.ts';

describe('endpoint policy', () => {
  it.each([
    ['https://ec2.eu-west-1.amazonaws.com', true],
    ['http://127.0.0.1:4566', true],
    ['http://127.8.9.10', true],
    ['http://localhost:4566', true],
    ['http://[::1]:8080', true],
    ['http://10.0.0.5:4566', false],
    ['http://localhost.evil.example', false],
    ['http://169.254.169.254/latest/meta-data', false],
    ['https://169.254.169.254', false],
    ['http://2852039166/', false], // 169.254.169.254 written as one number
    ['http://[fe80::1]/', false],
    ['http://[::ffff:169.254.169.254]/', false],
    ['http://[fd00:ec2::254]/', false],
    ['https://metadata.google.internal/computeMetadata/v1/', false],
    ['https://168.63.129.16/', false],
    ['https://0.0.0.0/', false],
    ['https://bot:hunter2@jira.example.com', false],
  ])('%s allowed: %s', (url, allowed) => {
    expect(checkEndpoint(url, false).ok).toBe(allowed);
  });

  it('allowInsecureHttp lets plain http through (marked insecure), never metadata addresses or user info', () => {
    expect(checkEndpoint('http://10.0.0.5:4566', true)).toEqual({ ok: true, insecure: true });
    expect(checkEndpoint('http://169.254.169.254', true).ok).toBe(false);
    expect(checkEndpoint('https://u:p@api.github.com', true).ok).toBe(false);
  });
});

const scratchDirs: string[] = [];
/** A working folder for one CLI run, removed after the file's tests. */
function scratch(): string {
  const dir = tempDir();
  scratchDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

function write(cwd: string, config: Record<string, unknown>): string {
  writeFileSync(join(cwd, 'cfg.yaml'), stringify({ version: 1, ...config }));
  return 'cfg.yaml';
}

describe('config validation (exit 2, nothing runs)', () => {
  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'aws endpoint over http to another host',
      { providers: { aws: { endpoint: 'http://10.0.0.5:4566' } } },
      /providers\.aws\.endpoint: plain http/,
    ],
    [
      'azure authority at the metadata address',
      { providers: { azure: { authorityHost: 'https://169.254.169.254' } } },
      /providers\.azure\.authorityHost: .*metadata/,
    ],
    [
      'gcp endpoint with a password in it',
      { providers: { gcp: { endpoint: 'https://me:Sup3rSecretPw@gcp.example' } } },
      /providers\.gcp\.endpoint: the URL carries credentials/,
    ],
    [
      'jira over http',
      { tickets: { sink: 'jira', jira: { url: 'http://jira.corp.example', project: 'SEC' } } },
      /tickets\.jira\.url: plain http/,
    ],
    [
      'github at a link-local address',
      { tickets: { sink: 'github', github: { repo: 'a/b', apiUrl: 'https://[fe80::1]/api' } } },
      /tickets\.github\.apiUrl: .*link-local/,
    ],
    [
      'servicenow over http',
      { tickets: { sink: 'servicenow', servicenow: { instanceUrl: 'http://acme.service-now.example' } } },
      /tickets\.servicenow\.instanceUrl: plain http/,
    ],
    [
      'webhook with user info',
      { tickets: { sink: 'webhook', webhook: { url: 'https://u:Sup3rSecretPw@hooks.example' } } },
      /tickets\.webhook\.url: the URL carries credentials/,
    ],
  ];
  it.each(refused)('%s', async (_name, config, message) => {
    const cwd = scratch();
    const cfg = write(cwd, { providers: { aws: {} }, ...config });
    for (const args of [
      ['config', 'validate', cfg],
      ['scan', '--config', cfg, '--out', 'out'],
    ]) {
      const run = await runCli(args, { cwd });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/Fix: /);
      expect(run.stderr).not.toContain('Sup3rSecretPw');
    }
  });

  it('refuses to run with certificate verification turned off (NODE_TLS_REJECT_UNAUTHORIZED=0)', async () => {
    const cwd = scratch();
    const run = await runCli(['scan', '--demo', '--out', 'out'], { cwd, env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/NODE_TLS_REJECT_UNAUTHORIZED=0 .*Fix: unset it, and trust .* tls\.caFile/);
  });

  it('refuses a tls.caFile that is missing or holds no certificate', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'not-a-ca.pem'), 'hello');
    for (const [file, message] of [
      ['missing.pem', /tls\.caFile: cannot read .*missing\.pem \(ENOENT\)/],
      ['not-a-ca.pem', /tls\.caFile: .*not-a-ca\.pem holds no PEM certificate/],
    ] as const) {
      const run = await runCli(['config', 'validate', write(cwd, { providers: { aws: {} }, tls: { caFile: file } })], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});

describe('allowInsecureHttp', () => {
  it('lets the scan run over plain http, with a warning on every run — even with --quiet', async () => {
    const cwd = scratch();
    const cfg = write(cwd, {
      providers: { aws: { endpoint: 'http://192.0.2.1:4566', allowInsecureHttp: true } },
      scan: { callTimeoutMs: 500, retry: { maxAttempts: 1 } },
      state: { enabled: false },
    });
    for (const quiet of [[], ['--quiet']]) {
      const run = await runCli(['scan', '--config', cfg, '--out', 'out', '--fail-on', 'none', '--log-format', 'json', ...quiet], {
        cwd,
        env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00', AWS_SECRET_ACCESS_KEY: 'example' },
      });
      const warnings = run.stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.event === 'transport.insecure');
      expect(warnings, run.stderr).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 'warn', field: 'providers.aws.endpoint', url: 'http://192.0.2.1:4566' });
      expect(String(warnings[0]!.message)).toMatch(/credentials and results cross the network unencrypted/);
    }
  });
});

describe('where clients are built', () => {
  it('adapters and ticket sinks refuse a URL the policy refuses, even in a config that was never validated', async () => {
    const config = parseConfig({ version: 1, providers: { aws: {} } });
    const bad = { ...config, providers: { aws: { ...config.providers.aws!, endpoint: 'http://169.254.169.254/' } } };
    await expect(createAdapters(bad, ['aws'])).rejects.toThrow(TransportPolicyError);
    const tickets = TicketsConfig.parse({ sink: 'webhook', webhook: { url: 'https://hooks.example/x' } });
    const sneaky = { ...tickets, webhook: { url: 'http://10.1.2.3/x', allowInsecureHttp: false } };
    expect(() => createSink(sneaky, { kind: 'webhook', secret: 's3cret-value' }, { scanId: 'x' })).toThrow(/plain http/);
  });
});

describe('certificate verification with a private CA', () => {
  it('refuses a certificate it does not trust, and trusts it through tls.caFile', async () => {
    const pems = await loopbackCertificate('private-ca-test');
    const received: string[] = [];
    const server = https.createServer({ key: pems.key, cert: pems.cert }, (req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['x-snapaudit-event']));
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const cwd = scratch();
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const tickets = { sink: 'webhook', minSeverity: 'critical', webhook: { url }, retry: { maxAttempts: 1 } };
      const env = { SNAPAUDIT_WEBHOOK_SECRET: 'webhook-secret-value' };
      const scan = await runCli(
        [
          'scan',
          '--demo',
          '--config',
          write(cwd, { providers: { aws: { mode: 'organization' } }, tickets }),
          '--now',
          NOW,
          '--fail-on',
          'none',
          '--quiet',
        ],
        { cwd, env },
      );
      expect(scan.code, scan.stderr).toBe(0);

      const untrusted = await runCli(['tickets', 'sync', '--config', 'cfg.yaml'], { cwd, env });
      expect(untrusted.code).toBe(3);
      expect(untrusted.stdout).toMatch(
        /FAILED .*fetch failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN): self.signed certificate/,
      );
      expect(received).toEqual([]);

      writeFileSync(join(cwd, 'private-ca.pem'), pems.cert);
      write(cwd, { providers: { aws: { mode: 'organization' } }, tickets, tls: { caFile: 'private-ca.pem' } });
      const trusted = await runCli(['tickets', 'sync', '--config', 'cfg.yaml'], { cwd, env });
      expect(trusted.code, trusted.stdout + trusted.stderr).toBe(0);
      expect(received.length).toBeGreaterThan(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
