/** Packing and installing snapaudit the way users and the container image do, for the tests in test/package/. */
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import packageJson from '../../package.json' with { type: 'json' };

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const pkg = packageJson;
/** The project's pinned runtime (the `node` devDependency), which also runs npm in these tests. */
export const pinnedNode = join(root, 'node_modules/.bin/node');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child npm or snapaudit: the pinned Node first on PATH, none of the outer npm run's variables. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_(lifecycle|package)_|^npm_(command|execpath|node_execpath)$|^INIT_CWD$/.test(k)) env[k] = v;
  }
  // npm enables Node's module compile cache, which lands in os.tmpdir() and outlives the test: not for a test run.
  return {
    ...env,
    PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    NODE_DISABLE_COMPILE_CACHE: '1',
    ...extra,
  };
}

/** Runs a command to its end (never through a shell) and resolves with its exit code and output. */
export function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: opts.env ?? childEnv(), timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Folders and files of the checkout that packing never needs: build outputs, tests, local state. */
const NOT_PACKED = new Set([
  'node_modules',
  'dist',
  '.git',
  'test',
  'bench',
  'test-output',
  'snapaudit-out',
  'snapaudit-demo',
  '.snapaudit',
]);

/**
 * Packs the checkout as `npm pack` does (its prepack builds dist/), in a copy of the checkout so the build never
 * touches the dist/ of the checkout the other tests run from. Resolves with the tarball's path.
 */
export async function packCheckout(stage: string, dest: string): Promise<string> {
  cpSync(root, stage, {
    recursive: true,
    filter: (src) => {
      const top = relative(root, src).split('/')[0] ?? '';
      return !NOT_PACKED.has(top) && !top.endsWith('.tgz') && top !== 'npm-shrinkwrap.json';
    },
  });
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'));
  const r = await run('npm', ['pack', '--pack-destination', dest, '--loglevel=error'], { cwd: stage });
  if (r.code !== 0) throw new Error(`npm pack failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return join(dest, `${pkg.name}-${pkg.version}.tgz`);
}

/** Every file under a folder with its size and modification time: a fingerprint that any write changes. */
export function treeFingerprint(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const s = statSync(p, { throwIfNoEntry: false });
      out.set(relative(dir, p), s ? `${s.size}:${s.mtimeMs}` : 'dangling');
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}
