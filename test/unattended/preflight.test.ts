/**
 * Issue #11 cases 3 and 9: what can be checked is checked before scanning. An output folder that is not one, cannot
 * be created or is not writable, a state file that is damaged, read-only or not a file, and a config file that is
 * not a regular file or is too large are each exit 2 with one message, and nothing is scanned, recorded or written.
 * A scan is recorded in the state store only once its outputs are written. Outputs never write through a link.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../src/store/state-store.ts';
import { runCli, tempDir } from '../support/cli.ts';
import setupTempCheck from '../support/temp-check.ts';
import { NOW } from '../support/lab.ts';
import { runReal } from './real-cli.ts';

/** A CLI run that must stop before scanning: exit 2, one error line, no summary, nothing written. */
function expectRefused(run: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  expect(lines[0]).toMatch(/Fix: /);
}

describe('the output folder is checked before scanning', () => {
  it.each([
    { out: '/proc/x', message: /--out \/proc\/x: cannot be created/ },
    { out: '/dev/null', message: /--out \/dev\/null: is not a folder/ },
    { out: 'a-file', message: /a-file: is not a folder/ },
    { out: 'a-file/sub', message: /a-file\/sub: cannot be created: .*a-file is not a folder/ },
    { out: '', message: /--out: the output folder is empty/ },
  ])('--out "$out": exit 2, nothing scanned or recorded', async ({ out, message }) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'a-file'), 'not a folder');
    const run = await runCli(['scan', '--demo', '--state', 'state.sqlite', '--out', out], { cwd });
    expectRefused(run, message);
    expect(existsSync(join(cwd, 'state.sqlite'))).toBe(false);
  });

  it('a folder that does not exist yet is created for the scan, and a refused run leaves none behind', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'snapaudit.yaml'), 'version: 1\nproviders: { aws: {} }\nfailOn: nope\n');
    const refused = await runCli(['scan', '--config', 'snapaudit.yaml', '--out', 'new/deeper/out'], { cwd });
    expect(refused.code).toBe(2);
    expect(existsSync(join(cwd, 'new'))).toBe(false);
    const run = await runCli(['scan', '--demo', '--no-state', '--out', 'new/deeper/out', '--now', NOW], { cwd });
    expect(run.code).toBe(0);
    expect(existsSync(join(cwd, 'new/deeper/out/result.json'))).toBe(true);
  });

  it('report and merge check their output folder too', async () => {
    const cwd = tempDir();
    expect((await runCli(['scan', '--demo', '--no-state', '--shard', '0/1', '--out', 'shard', '--now', NOW], { cwd })).code).toBe(0);
    const from = join('shard', 'result.json');
    expectRefused(await runCli(['report', '--from', from, '--out', '/dev/null'], { cwd }), /--out \/dev\/null: is not a folder/);
    expectRefused(await runCli(['merge', from, '--out', '/dev/null'], { cwd }), /--out \/dev\/null: is not a folder/);
  });
});

describe('outputs are written through exclusive, random temporary files', () => {
  it('a symbolic link planted at an output name is replaced, never written through', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'out'));
    writeFileSync(join(cwd, 'victim'), 'precious');
    symlinkSync(join(cwd, 'victim'), join(cwd, 'out', 'result.json'));
    symlinkSync(join(cwd, 'victim'), join(cwd, 'out', `result.json.${process.pid}.tmp`));
    const run = await runCli(['scan', '--demo', '--no-state', '--out', 'out', '--now', NOW], { cwd });
    expect(run.code).toBe(0);
    expect(readFileSync(join(cwd, 'victim'), 'utf8')).toBe('precious');
    expect(JSON.parse(readFileSync(join(cwd, 'out', 'result.json'), 'utf8')).schemaVersion).toBeDefined();
    // No temporary file is left, and none was made under the old predictable name.
    expect(readdirSync(join(cwd, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([`result.json.${process.pid}.tmp`]);
  });
});

/** Runs the real CLI as an unprivileged user when the tests run as root (root may write a read-only file). */
function unprivileged(cwd: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  // The per-run temporary folder is private to root: let the unprivileged user through it to the test's folder.
  chmodSync(dirname(cwd), 0o711);
  chmodSync(cwd, 0o755);
  return { uid: 65534, gid: 65534 };
}

describe('the state file is checked before scanning', () => {
  async function recordedStore(cwd: string): Promise<string> {
    const run = await runCli(['scan', '--demo', '--state', 'state.sqlite', '--out', 'first', '--now', NOW], { cwd });
    expect(run.code).toBe(0);
    return join(cwd, 'state.sqlite');
  }

  it('damaged in the middle: exit 2 naming it, nothing scanned', async () => {
    const cwd = tempDir();
    const path = await recordedStore(cwd);
    const bytes = readFileSync(path);
    bytes.fill(0x5a, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 8192);
    writeFileSync(path, bytes);
    const run = await runCli(['scan', '--demo', '--state', 'state.sqlite', '--out', 'out', '--now', NOW], { cwd });
    expectRefused(run, /state\.sqlite: the state store is damaged/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('a folder where the file should be: exit 2', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'state.sqlite'));
    expectRefused(await runCli(['scan', '--demo', '--state', 'state.sqlite', '--out', 'out'], { cwd }), /not a state store file/);
  });

  it('read-only: exit 2 before scanning, nothing written (real CLI, unprivileged)', async () => {
    const cwd = tempDir();
    await recordedStore(cwd);
    chmodSync(join(cwd, 'state.sqlite'), 0o444);
    mkdirSync(join(cwd, 'out'), { mode: 0o777 });
    chmodSync(join(cwd, 'out'), 0o777);
    const run = await runReal(['scan', '--demo', '--state', 'state.sqlite', '--out', 'out', '--now', NOW], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, TMPDIR: cwd },
      ...unprivileged(cwd),
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/state\.sqlite: the state store cannot be written .*Fix: /);
    expect(run.stdout).toBe('');
    expect(readdirSync(join(cwd, 'out'))).toEqual([]);
  }, 120_000);

  it('an output folder that is not writable: exit 2 before scanning (real CLI, unprivileged)', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'out'), { mode: 0o555 });
    chmodSync(join(cwd, 'out'), 0o555);
    const run = await runReal(['scan', '--demo', '--no-state', '--out', 'out'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, TMPDIR: cwd },
      ...unprivileged(cwd),
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--out .*out: is not writable \(EACCES\)/);
    expect(run.stdout).toBe('');
  }, 120_000);

  it('a scan is recorded only once its outputs are written: a write that fails after scanning records nothing', async () => {
    const cwd = tempDir();
    await recordedStore(cwd);
    // The folder is fine at the start; writing result.json fails at the end (a folder is in its way).
    mkdirSync(join(cwd, 'out', 'result.json'), { recursive: true });
    writeFileSync(join(cwd, 'out', 'result.json', 'keep'), 'x');
    const run = await runCli(['scan', '--demo', '--state', 'state.sqlite', '--out', 'out', '--now', '2026-11-27T00:00:00Z'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/could not write the outputs to .*out after scanning .*the scan was not recorded in the state store/);
    const store = StateStore.open(join(cwd, 'state.sqlite'), { create: false });
    try {
      expect(store.scans().map((s) => s.startedAt)).toEqual([NOW]);
    } finally {
      store.close();
    }
    expect(readdirSync(join(cwd, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('case 9: the config file is checked before it is read', () => {
  it.each([
    { path: '/dev/zero', message: /\/dev\/zero: is not a regular file/ },
    { path: 'a-folder', message: /a-folder: is not a regular file/ },
    { path: 'big.yaml', message: /big\.yaml: is larger than 1024 KiB/ },
    { path: 'missing.yaml', message: /missing\.yaml: cannot read the config file \(ENOENT\)/ },
  ])('--config $path: exit 2 with one message, at once', async ({ path, message }) => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'a-folder'));
    writeFileSync(join(cwd, 'big.yaml'), `version: 1\n# ${'x'.repeat(1024 * 1024)}\n`);
    expectRefused(await runCli(['scan', '--config', path], { cwd }), message);
    expectRefused(await runCli(['config', 'validate', path], { cwd }), message);
  });
});

describe('the test suite leaves no temporary folders behind', () => {
  it('the run-wide check fails when a test leaves a temporary folder', () => {
    const outer = process.env.TMPDIR;
    const exitCode = process.exitCode;
    const teardown = setupTempCheck();
    try {
      expect(process.env.TMPDIR).not.toBe(outer);
      mkdtempSync(join(tmpdir(), 'forgotten-'));
    } finally {
      expect(teardown).toThrow(/tests left 1 temporary file\(s\) or folder\(s\) behind: forgotten-/);
      process.exitCode = exitCode;
    }
    expect(process.env.TMPDIR).toBe(outer);
  });
});
