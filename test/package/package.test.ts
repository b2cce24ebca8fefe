/**
 * The packed package, as a user gets it: packs a copy of the checkout (`npm pack`, whose prepack builds dist/),
 * checks what the tarball holds, then installs it two ways without dev dependencies and runs it with the pinned
 * Node 24 — `npm install --omit=dev <tarball>` into an empty folder (a user), and scripts/install-package.sh (the
 * container image's install stage). Installs prefer the local npm cache (`--prefer-offline`); a package missing from
 * it comes from the registry. The slowest test of the suite: about 1–2 minutes, most of it the two installs.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.ts';
import { childEnv, pinnedNode, pkg, packCheckout, root, run, treeFingerprint } from './support.ts';
import { readWrittenResult } from '../support/result.ts';

const TIMEOUT = 600_000;
const work = tempDir('snapaudit-package-');
let tarball = '';
let entries: string[] = [];

beforeAll(async () => {
  mkdirSync(join(work, 'stage'));
  tarball = await packCheckout(join(work, 'stage'), work);
  const list = await run('tar', ['-tzf', tarball], { cwd: work });
  entries = list.stdout
    .split('\n')
    .filter((l) => l && !l.endsWith('/'))
    .map((l) => l.replace(/^package\//, ''));
}, TIMEOUT);

afterAll(() => rm(work, { recursive: true, force: true }), TIMEOUT);

/** The packages of the lockfile that only the dev dependencies need, as paths like node_modules/vitest. */
function devOnlyPackages(lockPath: string): string[] {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path && p.dev)
    .map(([path]) => path);
}

/** The project's source files the build bundles (tsconfig.build.json's include). */
function compiledSources(): string[] {
  const include: string[] = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')).include;
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return include.flatMap(walk);
}

describe('the packed package', () => {
  it('holds the bundled CLI with source maps and third-party notices, the demo estate, the schema, README, docs and LICENSE', () => {
    for (const f of [
      'package.json',
      'README.md',
      'docs/aws.md',
      'LICENSE',
      'bin/snapaudit.js',
      'npm-shrinkwrap.json',
      'schema/scan-result.schema.json',
      'dist/THIRD-PARTY-NOTICES.md',
    ]) {
      expect(entries).toContain(f);
    }
    // bin/snapaudit.js loads these two; bench/pipeline.ts --compiled the three commands
    for (const entry of ['main', 'heap-policy', 'scan-command', 'report-command', 'tickets-command']) {
      expect(entries).toContain(`dist/src/cli/${entry}.js`);
      expect(entries).toContain(`dist/src/cli/${entry}.js.map`);
    }
    // code splitting: what the CLI loads lazily (each cloud, each AWS service, each renderer, the lab) is a chunk
    const chunks = entries.filter((e) => /^dist\/src\/cli\/chunk-[A-Z0-9]+\.js$/.test(e));
    expect(chunks.length).toBeGreaterThan(20);
    for (const chunk of chunks) expect(entries).toContain(`${chunk}.map`);
    // the legal comments of the bundled code, each beside its chunk
    expect(entries.filter((e) => e.endsWith('.LEGAL.txt')).length).toBeGreaterThan(0);
    // The licence of every vendored data set (bundled into the chunks) beside its path.
    const sources = compiledSources();
    for (const legal of sources.filter((f) => /\/(licen[cs]e|notice|copying)([.-][^/]*)?$/i.test(f)))
      expect(entries).toContain(`dist/${legal}`);
    for (const f of readdirSync(join(root, 'lab/estates/demo'))) expect(entries).toContain(`lab/estates/demo/${f}`);
  });

  it('holds nothing else: no tests, no TypeScript sources, no build or CI files', () => {
    const tops = new Set(entries.map((e) => e.split('/')[0]));
    expect([...tops].sort()).toEqual([
      'LICENSE',
      'README.md',
      'bin',
      'dist',
      'docs',
      'lab',
      'npm-shrinkwrap.json',
      'package.json',
      'schema',
    ]);
    expect(entries.filter((e) => e.startsWith('lab/') && !e.startsWith('lab/estates/'))).toEqual([]);
    expect(entries.filter((e) => e.endsWith('.ts'))).toEqual([]);
    expect(entries.filter((e) => /(^|\/)(test|tests|__tests__)\//.test(e))).toEqual([]);
  });
});

describe.concurrent('installed from the tarball without dev dependencies, run with the pinned Node 24', () => {
  const devOnly = devOnlyPackages(join(root, 'package-lock.json'));

  it('knows which packages are dev-only: the toolchain, never needed at runtime', () => {
    for (const name of ['typescript', 'vitest', '@biomejs/biome', 'node', 'playwright-core'])
      expect(devOnly).toContain(`node_modules/${name}`);
  });

  it(
    'npm install --omit=dev <tarball> into an empty folder: --version, scan --demo, report --from',
    async () => {
      const dir = join(work, 'user');
      mkdirSync(dir);
      const install = await run(
        'npm',
        ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
        {
          cwd: dir,
        },
      );
      expect(install.stderr).toBe('');
      expect(install.code).toBe(0);
      // npm hoists the package's dependencies next to it, as in the lockfile.
      for (const path of devOnly.filter((p) => p.split('node_modules/').length === 2))
        expect(existsSync(join(dir, path)), path).toBe(false);
      expect(existsSync(join(dir, 'node_modules/snapaudit/src')), 'TypeScript sources').toBe(false);

      const bin = join(dir, 'node_modules/.bin/snapaudit');
      const version = await run(bin, ['--version'], { cwd: dir });
      expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });

      const scan = await run(bin, ['scan', '--demo', '--no-state', '--quiet', '--out', 'scan', '--format', 'json'], { cwd: dir });
      expect(scan.stderr).toBe('');
      expect(scan.code).toBe(0);
      const result = readWrittenResult(join(dir, 'scan/result.json'));
      expect(result.tool).toEqual({ name: 'snapaudit', version: pkg.version });
      const findings = result.findings.length + result.scopes.reduce((n: number, s: { findings: unknown[] }) => n + s.findings.length, 0);
      expect(findings).toBeGreaterThan(0);

      const report = await run(bin, ['report', '--from', 'scan/result.json', '--out', 'report', '--format', 'html,md,sarif', '--quiet'], {
        cwd: dir,
      });
      expect(report).toMatchObject({ code: 0, stderr: '' });
      expect(readdirSync(join(dir, 'report')).sort()).toEqual(['report.html', 'results.sarif', 'summary.md']);

      // The bundle holds every line of code it runs: the installed package alone, with no node_modules anywhere above
      // it, runs a demo scan of the three clouds and writes every report format.
      const alone = join(work, 'alone');
      cpSync(join(dir, 'node_modules', pkg.name), alone, { recursive: true });
      expect(existsSync(join(alone, 'node_modules'))).toBe(false);
      const formats = ['json', 'html', 'csv', 'md', 'sarif', 'ocsf', 'junit'];
      const all = await run(
        pinnedNode,
        [join(alone, 'bin/snapaudit.js'), 'scan', '--demo', '--no-state', '--quiet', '--out', 'all', '--format', formats.join(',')],
        { cwd: alone },
      );
      expect(all).toMatchObject({ code: 0, stderr: '' });
      for (const f of ['result.json', 'report.html', 'findings.csv', 'summary.md', 'results.sarif', 'findings.ocsf.json', 'junit.xml'])
        expect(existsSync(join(alone, 'all', f)), f).toBe(true);

      // The licences of the bundled packages ship with it: their notices and the legal comments of their code.
      const notices = readFileSync(join(alone, 'dist/THIRD-PARTY-NOTICES.md'), 'utf8');
      for (const name of ['@aws-sdk/client-ec2', '@azure/arm-compute', 'google-auth-library', 'zod', 'yaml', 'commander'])
        expect(notices).toContain(`## ${name}@`);
      expect(notices).toContain('Apache License');
      expect(notices).toContain('Permission is hereby granted, free of charge');
    },
    TIMEOUT,
  );

  it(
    'the container image install steps (scripts/install-package.sh), then its entrypoint with only the working directory and /tmp writable',
    async () => {
      const target = join(work, 'opt-snapaudit');
      const install = await run('sh', [join(root, 'scripts/install-package.sh'), tarball, target], {
        cwd: work,
        env: childEnv({ npm_config_prefer_offline: 'true' }),
      });
      expect(install.stderr).toBe('');
      expect(install.code).toBe(0);
      // Exactly the shrinkwrap's runtime packages: every one of them, and none that only the dev dependencies need.
      const lock = JSON.parse(readFileSync(join(target, 'npm-shrinkwrap.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean; optional?: boolean }>;
      };
      for (const path of devOnly) expect(existsSync(join(target, path)), path).toBe(false);
      for (const [path, p] of Object.entries(lock.packages))
        if (path && !p.dev && !p.optional) expect(existsSync(join(target, path)), path).toBe(true);

      // The entrypoint as the Dockerfile writes it, with the image's paths mapped to this machine's.
      const entrypoint = dockerfileEntrypoint().map((a) => a.replace('/nodejs/bin/node', pinnedNode).replace('/opt/snapaudit', target));
      const [cmd = '', ...args] = entrypoint;
      const volume = join(work, 'volume');
      const tmp = join(work, 'tmp');
      mkdirSync(volume);
      mkdirSync(tmp);
      const before = treeFingerprint(target);
      const env = childEnv({ TMPDIR: tmp, HOME: join(work, 'no-home') });
      const scan = await run(cmd, [...args, 'scan', '--demo', '--quiet', '--format', 'json,html'], { cwd: volume, env });
      expect(scan).toMatchObject({ code: 0, stderr: '' });
      expect(readdirSync(join(volume, 'snapaudit-out')).sort()).toEqual(['report.html', 'result.json']);
      expect(existsSync(join(volume, '.snapaudit/state.sqlite'))).toBe(true);
      // Nothing written where a read-only root filesystem would refuse it: not in the installed package, not in HOME.
      expect(treeFingerprint(target)).toEqual(before);
      expect(existsSync(join(work, 'no-home'))).toBe(false);
    },
    TIMEOUT,
  );
});

function dockerfileEntrypoint(): string[] {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const m = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(text);
  if (!m?.[1]) throw new Error('Dockerfile has no exec-form ENTRYPOINT');
  return JSON.parse(m[1]);
}
