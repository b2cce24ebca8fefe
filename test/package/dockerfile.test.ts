/**
 * The container image, checked without a container engine (none runs on the CI machine): the Dockerfile's shape —
 * multi-stage, a Node 24 runtime that runs as a non-root user from the installed package only, the install stage
 * running the script test/package/package.test.ts runs — and the docs' Kubernetes examples, which must use that
 * image the way it can run: read-only root filesystem, non-root, /tmp and the output on volumes, arguments the CLI
 * accepts. What only a real build can show (the base images resolve, the layers build) stays unverified here.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli, tempDir } from '../support/cli.ts';
import { root } from './support.ts';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name: string;
  body: Instruction[];
}

/** The Dockerfile's stages: FROM image [AS name], then its instructions (continuation lines joined, comments dropped). */
function stages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') {
      const [, from = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      out.push({ from, name, body: [] });
    } else out.at(-1)?.body.push({ op: op.toUpperCase(), args });
  }
  return out;
}

const dockerfile = stages(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.at(-1) as Stage;
const install = dockerfile.find((s) => s.name === 'install') as Stage;
const ops = (s: Stage, op: string) => s.body.filter((i) => i.op === op).map((i) => i.args);

describe('Dockerfile', () => {
  it('is multi-stage: pack (dev toolchain), install (production dependencies), runtime', () => {
    expect(dockerfile.map((s) => s.name)).toEqual(['pack', 'install', '']);
    expect(ops(dockerfile[0] as Stage, 'RUN').some((r) => /\bnpm pack\b/.test(r))).toBe(true);
  });

  it('installs the packed tarball with scripts/install-package.sh, the script the package test runs', () => {
    expect(ops(install, 'COPY')).toContain('--from=pack /pkg/snapaudit.tgz /src/scripts/install-package.sh /tmp/');
    expect(ops(install, 'RUN').some((r) => r.startsWith('sh /tmp/install-package.sh /tmp/snapaudit.tgz /opt/snapaudit'))).toBe(true);
    const script = readFileSync(join(root, 'scripts/install-package.sh'), 'utf8');
    expect(script).toMatch(/^npm ci --omit=dev --ignore-scripts\b/m);
  });

  it('runs on Node 24 as a non-root user, from the installed package only (no sources, no dev dependencies, no npm)', () => {
    expect(runtime.from).toMatch(/^(gcr\.io\/distroless\/nodejs24-debian\d+(:nonroot)?|node:24(-slim)?)$/);
    const users = ops(runtime, 'USER');
    expect(users.length).toBe(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    for (const copy of ops(runtime, 'COPY')) expect(copy).toMatch(/^--from=install /);
    expect(ops(runtime, 'RUN')).toEqual([]);
    expect(JSON.parse(ops(runtime, 'ENTRYPOINT')[0] ?? '')).toEqual(['/nodejs/bin/node', '/opt/snapaudit/bin/snapaudit.js']);
  });

  it('has a working directory the runtime user owns (where the default output and state land)', () => {
    const workdir = ops(runtime, 'WORKDIR')[0];
    expect(ops(runtime, 'COPY')).toContain(`--from=install --chown=65532:65532 /data ${workdir}`);
    expect(ops(runtime, 'USER')[0]).toBe('65532:65532');
  });

  it('keeps installed modules, builds, tests and local results out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['node_modules', 'dist', '.git', 'test', 'snapaudit-out', '.snapaudit']) expect(ignored).toContain(p);
  });
});

interface Container {
  image: string;
  command?: string[];
  args: string[];
  securityContext?: Record<string, unknown>;
  volumeMounts: { mountPath: string }[];
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
}
interface Workload {
  kind?: string;
  metadata?: { name?: string };
  spec?: { jobTemplate?: { spec?: { template?: { spec?: PodSpec } } }; template?: { spec?: PodSpec } };
}
interface Example {
  kind: string;
  name: string;
  pod: PodSpec;
  container: Container;
}

/** The containers of every Kubernetes CronJob and Job in the docs' YAML examples (scheduling, large organisations). */
function readmeContainers(): Example[] {
  const readme = ['docs/scheduling.md', 'docs/large-organisations.md'].map((p) => readFileSync(join(root, p), 'utf8')).join('\n');
  const out: Example[] = [];
  for (const [, block = ''] of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    if (!/^kind: (CronJob|Job)$/m.test(block)) continue;
    for (const doc of parseAllDocuments(block)) {
      const o = doc.toJS() as Workload | null;
      if (o?.kind !== 'CronJob' && o?.kind !== 'Job') continue;
      const pod = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
      for (const container of pod?.containers ?? [])
        out.push({ kind: o.kind, name: o.metadata?.name ?? '', pod: pod as PodSpec, container });
    }
  }
  return out;
}

describe("the docs' Kubernetes examples", () => {
  const examples = readmeContainers();

  it('are a CronJob and the sharded Job with its merge', () => {
    expect(examples.map((e) => `${e.kind} ${e.name}`)).toEqual(['CronJob snapaudit', 'Job snapaudit-shards', 'Job snapaudit-merge']);
  });

  it.each(examples.map((e) => [`${e.kind} ${e.name}`, e] as const))(
    '%s: runs the image as built (its entrypoint), non-root, read-only root filesystem, /tmp and outputs on volumes',
    async (_, { pod, container }) => {
      expect(container.image).toMatch(/\/snapaudit:/);
      expect(container.command).toBeUndefined();
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      const mounts = container.volumeMounts.map((m) => m.mountPath);
      expect(mounts).toContain('/tmp');
      // Every path the command writes or reads lies on a volume.
      const args = container.args;
      for (const [i, a] of args.entries()) {
        if (['--out', '--state', '--config'].includes(args[i - 1] ?? '') || a.startsWith('/')) {
          expect(
            mounts.some((m) => a.startsWith(`${m}/`)),
            a,
          ).toBe(true);
        }
      }
      // The CLI knows the command and every option: it gets as far as reading the first file (absent here). The
      // index Kubernetes substitutes is 0.
      const cwd = tempDir();
      const r = await runCli(
        args.map((a) => a.replaceAll('$(JOB_COMPLETION_INDEX)', '0')),
        { cwd },
      ).finally(() => rmSync(cwd, { recursive: true, force: true }));
      expect(r.stderr).toMatch(/^error: \/(etc\/snapaudit|results)\/\S+: (cannot read|not a readable)/);
    },
  );
});
