/**
 * The CLI bounds its own heap (issue #23): `npx snapaudit scan` needs no NODE_OPTIONS to stay within its memory
 * budget; the budget is configurable; an operator's own heap flags win; a run that cannot fit says so in one message.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { budgetFor, heapFlags, relaunch, releaseBeforeWriting, releaseThresholdBytes } from '../../src/cli/heap-policy.ts';
import { runCli, tempDir } from '../support/cli.ts';

const BIN = fileURLToPath(new URL('../../bin/snapaudit.js', import.meta.url));

interface Run {
  code: number | null;
  stderr: string;
}

function runBin(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { NODE_OPTIONS: _ignored, ...base } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Relaunches a script of `source` under a budget, as the launcher would; its exit code and stderr. */
async function relaunchScript(source: string, budgetMiB: number, env: Record<string, string> = {}): Promise<Run> {
  const dir = tempDir();
  const script = join(dir, 'child.mjs');
  writeFileSync(script, source);
  let stderr = '';
  const code = await relaunch([], budgetMiB, {
    execPath: process.execPath,
    execArgv: [],
    script,
    env,
    cwd: dir,
    stderr: (chunk) => {
      stderr += chunk.toString();
    },
    onSignal: () => () => {},
  });
  return { code, stderr };
}

/** The `scan.memory` log line a scan starts with. */
function memoryLine(stderr: string): { policy: string; budgetMiB: number; heapLimitMiB: number } {
  const line = stderr.split('\n').find((l) => l.includes('"scan.memory"'));
  if (!line) throw new Error(`no scan.memory line in:\n${stderr}`);
  return JSON.parse(line);
}

const demoArgs = (out: string) => ['scan', '--demo', '--no-state', '--format', 'json', '--out', out, '--log-format', 'json'];

describe('heap policy', () => {
  it('sizes the heap from the default budget of 512 MiB without any NODE_OPTIONS', async () => {
    const run = await runBin(demoArgs(tempDir()));
    expect(run.code).toBe(0);
    const m = memoryLine(run.stderr);
    expect(m.policy).toBe('budget');
    expect(m.budgetMiB).toBe(512);
    // about half the budget for the old space plus the young generation: far below Node's default on this machine
    expect(m.heapLimitMiB).toBeGreaterThanOrEqual(256);
    expect(m.heapLimitMiB).toBeLessThan(384);
  });

  it("gives the scan's freed heap back before the outputs are written once the process is large for its budget", async () => {
    // under 256 MiB the release pays from 96 MiB of RSS, which a scan from the sources passes: a line says what it left live
    const run = await runBin([...demoArgs(tempDir()), '--memory-budget', '256']);
    expect(run.code).toBe(0);
    const line = run.stderr.split('\n').find((l) => l.includes('"scan.heap_released"'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 'info', liveMiB: expect.any(Number), ms: expect.any(Number) });
  });

  it('releases only where it pays: from 192 MiB of RSS, or 3/8 of a smaller budget (issue #19)', () => {
    const calls: unknown[] = [];
    const gc = (o: unknown) => calls.push(o);
    const MiB = 1048576;
    expect(releaseThresholdBytes(512)).toBe(192 * MiB);
    expect(releaseThresholdBytes(8192)).toBe(192 * MiB);
    expect(releaseThresholdBytes(256)).toBe(96 * MiB);
    // a small scan under the default budget (×1 Azure alone: 115–163 MB) writes at once: two full collections saved
    expect(releaseBeforeWriting({ kind: 'budget', budgetMiB: 512 }, 160 * MiB, gc)).toBeNull();
    expect(calls).toEqual([]);
    // a large one (the three clouds' JSON-only scan: 210–240 MB) gives its pooled pages back first
    expect(releaseBeforeWriting({ kind: 'budget', budgetMiB: 512 }, 200 * MiB, gc)).toMatchObject({ liveBytes: expect.any(Number) });
    expect(releaseBeforeWriting({ kind: 'budget', budgetMiB: 256 }, 100 * MiB, gc)).not.toBeNull();
    expect(calls).toHaveLength(2);
    // under an operator's heap flags or Node's defaults, never
    expect(releaseBeforeWriting({ kind: 'operator' }, 4096 * MiB, gc)).toBeNull();
    expect(releaseBeforeWriting({ kind: 'node-defaults' }, 4096 * MiB, gc)).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('gives the heap that reading its input left back before report writes (report.heap_released)', async () => {
    const dir = tempDir();
    const scan = await runBin(demoArgs(join(dir, 'scan')));
    expect(scan.code).toBe(0);
    const result = join(dir, 'scan', 'result.json');
    // under the smallest budget the release pays from 48 MiB of RSS
    const report = await runBin([
      'report',
      '--from',
      result,
      '--format',
      'csv,sarif',
      '--out',
      join(dir, 'report'),
      '--memory-budget',
      '128',
    ]);
    expect(report.code).toBe(0);
    const line = report.stderr.split('\n').find((l) => l.includes('"report.heap_released"'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 'info', liveMiB: expect.any(Number), ms: expect.any(Number) });
    // --quiet keeps stderr for errors; an operator's own heap flags: V8 collects as it sees fit, no release and no line
    const quiet = await runBin(['report', '--from', result, '--format', 'csv', '--out', join(dir, 'quiet'), '--quiet']);
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    const own = await runBin(['report', '--from', result, '--format', 'csv', '--out', join(dir, 'own')], {
      NODE_OPTIONS: '--max-old-space-size=900',
    });
    expect(own.code).toBe(0);
    expect(own.stderr).not.toContain('heap_released');
  });

  it('starts the relaunched child with a way to give its freed heap back (--expose-gc)', async () => {
    const { code, stderr } = await relaunchScript(
      'process.stderr.write(JSON.stringify({ argv: process.execArgv, gc: typeof globalThis.gc }));\n',
      512,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stderr)).toEqual({ argv: [...heapFlags(512), '--expose-gc'], gc: 'function' });
  });

  it('takes the budget from scan.memoryBudgetMiB in the config', async () => {
    const dir = tempDir();
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      'version: 1\nproviders: { aws: { mode: organization }, azure: {}, gcp: {} }\nscan: { memoryBudgetMiB: 1024 }\nfailOn: none\n',
    );
    const run = await runBin([...demoArgs(join(dir, 'out')), '--config', config]);
    expect(run.code).toBe(0);
    const m = memoryLine(run.stderr);
    expect(m).toMatchObject({ policy: 'budget', budgetMiB: 1024 });
    expect(m.heapLimitMiB).toBeGreaterThanOrEqual(512);
    expect(m.heapLimitMiB).toBeLessThan(640);
  });

  it('bounds streaming runs at 512 MiB and sizes whole-result runs from the memory available, unless a budget is named', async () => {
    const gib8 = 8 * 1024 ** 3;
    const cwd = tempDir();
    expect(await budgetFor(['scan', '--format', 'json,ndjson'], cwd, gib8)).toBe(512);
    expect(await budgetFor(['tickets', 'sync', '--dry-run'], cwd, gib8)).toBe(512);
    // every format streams from the spool (issue #23): scan and report are bounded whatever they write
    expect(await budgetFor(['scan', '-f', 'json,html,csv,md,sarif,ocsf,junit'], cwd, gib8)).toBe(512);
    expect(await budgetFor(['report', '--from', 'result.json'], cwd, gib8)).toBe(512);
    expect(await budgetFor(['report', '--from', 'result.json', '-f', 'csv,md'], cwd, gib8)).toBe(512);
    // merge reads its shards into the spool and streams every output too
    expect(await budgetFor(['merge', '--out', 'x', 'a.json'], cwd, gib8)).toBe(512);
    expect(await budgetFor(['merge', '--out', 'x', '-f', 'html,csv,sarif', 'a.json'], cwd, gib8)).toBe(512);
    // a format that would need the whole result (none today; an unknown one stands in): 3/4 of a container's 8 GiB, never below the streaming budget
    expect(await budgetFor(['report', '--from', 'result.json', '-f', 'whole'], cwd, gib8)).toBe(6144);
    expect(await budgetFor(['report', '--from', 'result.json', '-f', 'whole'], cwd, 256 * 1024 ** 2)).toBe(512);
    expect(await budgetFor(['merge', '--out', 'x', '--memory-budget', '2048', 'a.json'], cwd, gib8)).toBe(2048);
    const config = join(cwd, 'config.yaml');
    writeFileSync(config, 'version: 1\noutput: { formats: [json, html] }\n');
    expect(await budgetFor(['scan', '--config', config], cwd, gib8)).toBe(512);
    writeFileSync(config, 'version: 1\noutput: { formats: [json, html] }\nscan: { memoryBudgetMiB: 768 }\n');
    expect(await budgetFor(['scan', '--config', config], cwd, gib8)).toBe(768);
    // the launcher reads only these two settings; a config the command will refuse runs in place (it names the problem)
    writeFileSync(config, 'version: 1\nscan: { memoryBudgetMiB: 64 }\n');
    expect(await budgetFor(['scan', '--config', config], cwd, gib8)).toBeNull();
    writeFileSync(config, 'version: 1\nscan: { memoryBudgetMiB: "lots" }\n');
    expect(await budgetFor(['scan', '--config', config], cwd, gib8)).toBeNull();
    writeFileSync(config, 'version: 1\noutput: { formats: json }\n');
    expect(await budgetFor(['scan', '--config', config], cwd, gib8)).toBeNull();
    writeFileSync(config, 'version: 1\noutput: { formats: [json\n');
    expect(await budgetFor(['scan', '--config', config], cwd, gib8)).toBeNull();
    // a text that names neither setting (nor could, through a double-quoted key's escapes) is not parsed: the default
    // budget, even for a text that is not YAML (the command then names the problem, below)
    writeFileSync(config, 'version: 1\nscan: [unclosed\n');
    expect(await budgetFor(['scan', '--config', config], cwd, gib8)).toBe(512);
    writeFileSync(config, 'version: 1\nscan: { "memoryBudget\\x4DiB": 768 }\n');
    expect(await budgetFor(['scan', '--config', config], cwd, gib8)).toBe(768);
    writeFileSync(config, 'version: 1\nx: &b { memoryBudgetMiB: 1024 }\nscan: *b\n');
    expect(await budgetFor(['scan', '--config', config], cwd, gib8)).toBe(1024);
    expect(await budgetFor(['scan', '--config', join(cwd, 'missing.yaml')], cwd, gib8)).toBeNull();
    // not a budgeted command, or options the command itself will refuse: run in place
    expect(await budgetFor(['checks', 'list'], cwd, gib8)).toBeNull();
    expect(await budgetFor(['scan', '--memory-budget', 'lots'], cwd, gib8)).toBeNull();
  });

  it('names the problem of a config that is not YAML, whether or not the launcher parsed it (exit 2, nothing scanned)', async () => {
    const dir = tempDir();
    for (const [name, text] of [
      ['plain.yaml', 'version: 1\nproviders:\n  aws: [\n'],
      ['formats.yaml', 'version: 1\noutput: { formats: [json\n'],
    ]) {
      const config = join(dir, name as string);
      writeFileSync(config, text as string);
      const run = await runBin(['scan', '--config', config, '--no-state', '--out', join(dir, 'out')]);
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toMatch(/not valid YAML at line \d/);
    }
  });

  it("keeps an operator's own heap flags from NODE_OPTIONS", async () => {
    const run = await runBin(demoArgs(tempDir()), { NODE_OPTIONS: '--max-old-space-size=900' });
    expect(run.code).toBe(0);
    const m = memoryLine(run.stderr);
    expect(m.policy).toBe('operator');
    expect(m.heapLimitMiB).toBeGreaterThanOrEqual(900);
    // V8 collects as it sees fit: no release of its own
    expect(run.stderr).not.toContain('"scan.heap_released"');
  });

  it('refuses a budget that is not one, before scanning (exit 2, naming the flag and the fix)', async () => {
    const run = await runCli(['scan', '--demo', '--no-state', '--out', tempDir(), '--memory-budget', '64']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--memory-budget: "64" is not a memory budget. Fix: give MiB as a whole number from 128');
  });

  it('ends a run that outgrows its budget with one message naming the budget and the fix (exit 3)', async () => {
    const { code, stderr } = await relaunchScript('const keep = []; for (;;) keep.push(new Array(100000).fill(keep.length));\n', 128);
    expect(code).toBe(3);
    expect(stderr).toContain(`error: the command needed more memory than its budget of 128 MiB (V8 heap ${heapFlags(128).join(' ')})`);
    expect(stderr).toContain('Fix: raise scan.memoryBudgetMiB in the config or pass --memory-budget');
  });
});

describe("the scanning process's allocator (glibc)", () => {
  /** The MALLOC_* variables a relaunched child sees, from an operator environment. */
  async function childMallocEnv(env: Record<string, string>): Promise<Record<string, string>> {
    const { code, stderr } = await relaunchScript(
      'process.stderr.write(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("MALLOC_")))));\n',
      512,
      env,
    );
    expect(code).toBe(0);
    return JSON.parse(stderr);
  }

  it('holds it to two arenas and fixed thresholds for mapping and trimming large blocks', async () => {
    expect(await childMallocEnv({})).toEqual({
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
      MALLOC_TRIM_THRESHOLD_: '131072',
    });
  });

  it("keeps an operator's own settings, and glibc's default for a threshold when the operator set the other", async () => {
    expect(await childMallocEnv({ MALLOC_ARENA_MAX: '4' })).toEqual({
      MALLOC_ARENA_MAX: '4',
      MALLOC_MMAP_THRESHOLD_: '131072',
      MALLOC_TRIM_THRESHOLD_: '131072',
    });
    expect(await childMallocEnv({ MALLOC_TRIM_THRESHOLD_: '1048576' })).toEqual({
      MALLOC_ARENA_MAX: '2',
      MALLOC_TRIM_THRESHOLD_: '1048576',
    });
  });
});
