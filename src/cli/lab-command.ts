/** `snapaudit lab serve`: run the emulator on loopback so people can point the scanner (or the AWS CLI) at it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadEstate } from '../../lab/estate.ts';
import { startLab } from '../../lab/server.ts';
import { LAB_GCP_TOKEN } from '../../lab/gcp/index.ts';
import type { LabProvider } from '../../lab/core.ts';
import { providerIds } from '../core/model/result.ts';
import { terminalField } from '../core/terminal-text.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { parseList } from './scan-command.ts';

export async function labServeCommand(
  flags: { estate: string; port?: string; provider?: string; latency: string },
  io: CliIo,
): Promise<number> {
  const estate = loadEstate(resolve(io.cwd, flags.estate));
  const latencyMs = Number(flags.latency);
  if (!Number.isInteger(latencyMs) || latencyMs < 0)
    throw new UsageError(`--latency: "${flags.latency}" is not a number of milliseconds. Fix: use e.g. --latency 25.`);
  const port = flags.port === undefined ? undefined : Number(flags.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw new UsageError(`--port: "${flags.port}" is not a port. Fix: use 1-65535.`);
  const providers = (parseList(flags.provider, providerIds, '--provider') ??
    providerIds.filter((p) => estate[p] !== undefined)) as LabProvider[];
  const lab = await startLab({ estate, now: new Date(), providers, latencyMs, ...(port !== undefined ? { port } : {}) });
  io.stdout(`snapaudit lab serving "${terminalField(estate.name)}"\n`);
  for (const [p, url] of Object.entries(lab.endpoints)) io.stdout(`  ${p.padEnd(5)} ${url}\n`);
  if (lab.endpoints.aws) {
    io.stdout(
      `\nPoint the scanner at it with providers.aws.endpoint: ${lab.endpoints.aws} in a config file and the lab's\n` +
        'fixed, non-secret AWS keys (see lab/ESTATE.md) in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.\n',
    );
  }
  // The lab's CA goes into a private folder of its own (mkdtemp: a random name, mode 0700) as a new file (0600,
  // exclusive create: never through a link someone planted), and is removed when the lab stops.
  let caDir: string | null = null;
  if (lab.endpoints.azure && lab.ca) {
    caDir = mkdtempSync(join(tmpdir(), 'snapaudit-lab-'));
    const caFile = join(caDir, 'ca.pem');
    writeFileSync(caFile, lab.ca, { mode: 0o600, flag: 'wx' });
    io.stdout(
      `\nAzure: set providers.azure.endpoint and providers.azure.authorityHost to ${lab.endpoints.azure}, sign in with the\n` +
        "lab's fixed, non-secret client (AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET, see lab/ESTATE.md) and\n" +
        `trust its self-signed certificate with NODE_EXTRA_CA_CERTS=${caFile}\n`,
    );
  }
  if (lab.endpoints.gcp) {
    io.stdout(
      `\nGCP: set providers.gcp.endpoint to ${lab.endpoints.gcp} (plain http on loopback: no allowInsecureHttp needed).\n` +
        "Every Google API answers at its real path there and wants the lab's fixed, non-secret bearer token, e.g.\n" +
        `  curl -H "Authorization: Bearer ${LAB_GCP_TOKEN}" ${lab.endpoints.gcp}/v3/projects:search\n` +
        'The scanner signs in to Google with Application Default Credentials, which cannot present that token: to scan\n' +
        `this estate's GCP part with snapaudit, run snapaudit scan --demo --estate ${terminalField(flags.estate)} --provider gcp.\n`,
    );
  }
  io.stdout('Ctrl-C to stop.\n');
  await new Promise<void>((done) => {
    const off = io.signals?.on(() => {
      off?.();
      done();
    });
    if (!io.signals) done();
  });
  io.stdout(`served ${lab.log.entries.length} request(s)\n`);
  await lab.close();
  if (caDir) rmSync(caDir, { recursive: true, force: true });
  return ExitCode.ok;
}
