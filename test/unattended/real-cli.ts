/**
 * The real CLI in a child process, against the lab, with credentials from each cloud's standard sources (environment
 * variables and files) as a scheduled job would have them: AWS access keys, an Azure service principal secret
 * (DefaultAzureCredential → EnvironmentCredential), GCP Application Default Credentials through an external-account
 * file whose token exchange a small local STS answers. Each cloud's credentials can be broken in the ways the
 * issue lists, one at a time or all at once.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { FaultRule } from '../../lab/core.ts';
import { type Lab, startLab } from '../../lab/server.ts';
import { demoEstate } from '../resilience/support.ts';
import { tempDir } from '../support/cli.ts';
import { fastRetry, NOW } from '../support/lab.ts';

const BIN = fileURLToPath(new URL('../../bin/snapaudit.js', import.meta.url));

export type Breakage =
  | 'aws:no-credentials'
  | 'aws:invalid-keys'
  | 'aws:missing-profile'
  | 'azure:no-credentials'
  | 'azure:invalid-secret'
  | 'azure:authority-unreachable'
  | 'gcp:key-file-missing'
  | 'gcp:key-file-garbled'
  | 'gcp:no-adc'
  | 'gcp:token-exchange-fails';

export interface RealRun {
  code: number | null;
  stdout: string;
  stderr: string;
  cwd: string;
}

/** A lab serving the demo estate, and a local STS for GCP's external-account token exchange. */
export class CredentialLab {
  lab!: Lab;
  private sts!: http.Server;
  private stsUrl = '';
  private dir = '';

  async start(faults: FaultRule[] = []): Promise<void> {
    this.lab = await startLab({ estate: demoEstate(), now: new Date(NOW), faults });
    this.dir = tempDir('snapaudit-creds-');
    writeFileSync(join(this.dir, 'lab-ca.pem'), this.lab.ca ?? '');
    writeFileSync(join(this.dir, 'subject-token'), 'a-workload-identity-token');
    const token = this.lab.credentials.gcp?.accessToken ?? '';
    this.sts = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const refuse = req.url?.startsWith('/refuse');
        res.writeHead(refuse ? 400 : 200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            refuse
              ? { error: 'invalid_grant', error_description: 'The subject token was rejected by the workload identity pool.' }
              : {
                  access_token: token,
                  issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
                  token_type: 'Bearer',
                  expires_in: 3600,
                },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => this.sts.listen(0, '127.0.0.1', () => resolve()));
    this.stsUrl = `http://127.0.0.1:${(this.sts.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await this.lab?.close();
    await new Promise<void>((resolve) => (this.sts ? this.sts.close(() => resolve()) : resolve()));
  }

  private externalAccount(name: string, path: string): string {
    const file = join(this.dir, name);
    writeFileSync(
      file,
      JSON.stringify({
        type: 'external_account',
        audience: '//iam.googleapis.com/projects/300000000001/locations/global/workloadIdentityPools/ci/providers/lab',
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: `${this.stsUrl}${path}`,
        credential_source: { file: join(this.dir, 'subject-token') },
      }),
    );
    return file;
  }

  /** The environment and config of a scheduled job whose credentials all work, then broken as asked. */
  setup(broken: readonly Breakage[]): { env: Record<string, string>; config: Record<string, unknown>; cwd: string } {
    const cwd = tempDir('snapaudit-job-');
    const azure = this.lab.credentials.azure ?? {};
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      TMPDIR: process.env.TMPDIR ?? '/tmp',
      AWS_ACCESS_KEY_ID: this.lab.credentials.aws?.accessKeyId ?? '',
      AWS_SECRET_ACCESS_KEY: this.lab.credentials.aws?.secretAccessKey ?? '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(cwd, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(cwd, 'no-aws-credentials'),
      AZURE_TENANT_ID: azure.tenantId ?? '',
      AZURE_CLIENT_ID: azure.clientId ?? '',
      AZURE_CLIENT_SECRET: azure.clientSecret ?? '',
      NODE_EXTRA_CA_CERTS: join(this.dir, 'lab-ca.pem'),
      GOOGLE_APPLICATION_CREDENTIALS: this.externalAccount('adc.json', '/v1/token'),
      METADATA_SERVER_DETECTION: 'none',
      // What CI jobs with workload identity federation set; without it the Google auth library looks the project up.
      GOOGLE_CLOUD_PROJECT: 'prod-web',
    };
    const aws: Record<string, unknown> = { mode: 'organization', endpoint: this.lab.endpoints.aws };
    const azureCfg: Record<string, unknown> = { endpoint: this.lab.endpoints.azure, authorityHost: this.lab.endpoints.azure };
    const gcp: Record<string, unknown> = { endpoint: this.lab.endpoints.gcp };
    for (const b of broken) {
      switch (b) {
        case 'aws:no-credentials':
          delete env.AWS_ACCESS_KEY_ID;
          delete env.AWS_SECRET_ACCESS_KEY;
          break;
        case 'aws:invalid-keys':
          env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7NOTREAL';
          break;
        case 'aws:missing-profile':
          delete env.AWS_ACCESS_KEY_ID;
          delete env.AWS_SECRET_ACCESS_KEY;
          aws.profile = 'security-audit';
          break;
        case 'azure:no-credentials':
          delete env.AZURE_TENANT_ID;
          delete env.AZURE_CLIENT_ID;
          delete env.AZURE_CLIENT_SECRET;
          break;
        case 'azure:invalid-secret':
          env.AZURE_CLIENT_SECRET = 'not-the-secret';
          break;
        case 'azure:authority-unreachable':
          azureCfg.authorityHost = 'https://127.0.0.1:1';
          break;
        case 'gcp:key-file-missing':
          env.GOOGLE_APPLICATION_CREDENTIALS = join(cwd, 'nonexistent.json');
          break;
        case 'gcp:key-file-garbled':
          env.GOOGLE_APPLICATION_CREDENTIALS = join(cwd, 'garbled.json');
          writeFileSync(env.GOOGLE_APPLICATION_CREDENTIALS, '{"type": "service_account", "private_key": ');
          break;
        case 'gcp:no-adc':
          delete env.GOOGLE_APPLICATION_CREDENTIALS;
          break;
        case 'gcp:token-exchange-fails':
          env.GOOGLE_APPLICATION_CREDENTIALS = this.externalAccount('refused.json', '/refuse/v1/token');
          break;
      }
    }
    const config = {
      version: 1,
      providers: { aws, azure: azureCfg, gcp },
      scan: { retry: fastRetry, callTimeoutMs: 20_000 },
      state: { enabled: false },
    };
    return { env, config, cwd };
  }

  /** Runs `snapaudit scan` as a child process with the job's environment. */
  async scan(broken: readonly Breakage[], extraArgs: string[] = []): Promise<RealRun> {
    const { env, config, cwd } = this.setup(broken);
    writeFileSync(join(cwd, 'snapaudit.yaml'), stringify(config));
    return runReal(['scan', '--config', 'snapaudit.yaml', '--out', 'out', '--now', NOW, '--fail-on', 'none', ...extraArgs], { cwd, env });
  }
}

/** Runs bin/snapaudit.js in a child process (Node strips the types), collecting its output and exit code. */
export function runReal(
  args: string[],
  opts: { cwd: string; env: Record<string, string>; uid?: number; gid?: number; timeoutMs?: number; nodeArgs?: string[] },
): Promise<RealRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, cwd: opts.cwd });
    });
  });
}
