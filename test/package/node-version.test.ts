/**
 * bin/snapaudit.js on a Node older than snapaudit needs: one line naming the version needed, exit 2, before anything
 * that an old Node could not load. Runs a copy of the bin beside a stand-in CLI (compiled: dist/src/cli/main.js, or
 * the TypeScript sources: src/cli/main.ts), on the pinned Node told to report an older version, and on every real
 * Node older than 22 found on PATH (on this project's CI machine, Debian's Node 20).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.ts';
import { pinnedNode, root } from './support.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the bin with a stand-in CLI that prints "ran" and exits 0. */
function checkout(kind: 'compiled' | 'sources'): string {
  const dir = tempDir('snapaudit-bin-');
  dirs.push(dir);
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(root, 'bin/snapaudit.js'), join(dir, 'bin/snapaudit.js'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const main = kind === 'compiled' ? 'dist/src/cli/main.js' : 'src/cli/main.ts';
  mkdirSync(dirname(join(dir, main)), { recursive: true });
  writeFileSync(
    join(dir, main),
    `export async function main(args${kind === 'sources' ? ': string[]' : ''}) { console.log('ran', ...args); return 0; }\n`,
  );
  // the launcher's heap policy (src/cli/heap-policy.ts), standing in as "run in place"
  writeFileSync(
    join(dir, main.replace('main.', 'heap-policy.')),
    `export async function withHeapPolicy(argv${kind === 'sources' ? ': string[]' : ''}, run${kind === 'sources' ? ': () => Promise<number>' : ''}) { return run(); }\n`,
  );
  return dir;
}

/** Runs the bin on the pinned Node made to report another version (process.version and process.versions.node). */
function runAs(version: string, dir: string, args: string[]) {
  const fake = `Object.defineProperty(process, 'version', { value: 'v${version}' }); Object.defineProperty(process.versions, 'node', { value: '${version}' });`;
  return spawnSync(pinnedNode, ['--import', `data:text/javascript,${encodeURIComponent(fake)}`, join(dir, 'bin/snapaudit.js'), ...args], {
    encoding: 'utf8',
  });
}

describe('bin/snapaudit.js on an older Node', () => {
  const install = 'install Node.js 22 (22.16 or later) or 24.';
  const npx = 'run `npx snapaudit` inside the checkout (its pinned Node 24)';
  it.each([
    ['compiled', '20.19.0', `snapaudit needs Node.js 22.16.0 or newer (this is v20.19.0); ${install}`],
    ['compiled', '22.15.1', `snapaudit needs Node.js 22.16.0 or newer (this is v22.15.1); ${install}`],
    ['sources', '18.20.8', `snapaudit needs Node.js 22.18.0 or newer to run from its TypeScript sources (this is v18.20.8); ${npx}.`],
    [
      'sources',
      '22.17.0',
      `snapaudit needs Node.js 22.18.0 or newer to run from its TypeScript sources (this is v22.17.0); ${npx}, or build it first (\`npm run build\`).`,
    ],
  ] as const)('%s, Node %s: one line naming the Node it needs, exit 2', (kind, version, line) => {
    const r = runAs(version, checkout(kind), ['--version']);
    expect(r).toMatchObject({ status: 2, stdout: '', stderr: `${line}\n` });
  });

  it.each([
    ['compiled', '22.16.0'],
    ['compiled', '24.0.0'],
    ['sources', '22.18.0'],
  ] as const)('%s, Node %s: runs the CLI', (kind, version) => {
    const r = runAs(version, checkout(kind), ['--version']);
    expect(r).toMatchObject({ status: 0, stdout: 'ran --version\n', stderr: '' });
  });

  it('answers the same on every real Node older than 22 on PATH', () => {
    const olds = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((d) => d && !d.includes('node_modules'))
      .map((d) => join(d, 'node'))
      .filter((p) => existsSync(p))
      .map((p) => ({ p, version: execFileSync(p, ['--version'], { encoding: 'utf8' }).trim() }))
      .filter(({ version }) => Number(/^v(\d+)/.exec(version)?.[1]) < 22);
    const dir = checkout('compiled');
    for (const { p, version } of olds) {
      const r = spawnSync(p, [join(dir, 'bin/snapaudit.js'), '--version'], { encoding: 'utf8' });
      expect(r.status, p).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`snapaudit needs Node.js 22.16.0 or newer (this is ${version}); install Node.js 22 (22.16 or later) or 24.\n`);
    }
  });
});
