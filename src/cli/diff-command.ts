/**
 * `snapaudit diff` and `snapaudit history`: read the state store (never write it) and show what changed between two
 * recorded scans — by default the last two — or list the scans it holds.
 */
import { resolve } from 'node:path';
import { defaultConfig, loadConfigFile } from '../core/config/load.ts';
import { knownChecks } from '../../checks/index.ts';
import type { Config } from '../core/config/schema.ts';
import { diffScans, renderDiffText } from '../store/diff.ts';
import { type ScanRecord, StateStore } from '../store/state-store.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { statePathFor } from './scan-state.ts';

export interface StateFlags {
  config?: string;
  state?: string;
}

export interface DiffFlags extends StateFlags {
  from?: string;
  to?: string;
  json?: boolean;
}

function configOf(flags: StateFlags, io: CliIo): Config {
  return flags.config ? loadConfigFile(resolve(io.cwd, flags.config), knownChecks) : defaultConfig();
}

export function openStateForReading(flags: StateFlags, io: CliIo): StateStore {
  const config = configOf(flags, io);
  const path = statePathFor(flags.state, config, io.cwd);
  if (path === null) throw new UsageError('state.enabled is false in the config. Fix: pass --state FILE, or enable the state store.');
  return StateStore.open(path, { create: false });
}

function pick(store: StateStore, ref: string, flag: string): ScanRecord {
  const scan = store.scan(ref);
  if (scan) return scan;
  const recent = store
    .scans()
    .slice(-5)
    .map((s) => s.id)
    .join(', ');
  throw new UsageError(
    `${flag} ${ref}: no such scan in ${store.path}. Fix: use a scan id (or a unique prefix of 6+ characters, or #seq) from \`snapaudit history\`${
      recent ? `; recent: ${recent}` : ''
    }.`,
  );
}

export function diffCommand(flags: DiffFlags, io: CliIo): number {
  const store = openStateForReading(flags, io);
  try {
    const to = flags.to ? pick(store, flags.to, '--to') : store.latest();
    if (!to) throw new UsageError(`${store.path}: no scan recorded yet. Fix: run \`snapaudit scan\` first.`);
    const from = flags.from ? pick(store, flags.from, '--from') : store.before(to.seq);
    if (!from) {
      throw new UsageError(
        `${store.path}: only one scan (${to.id}) is recorded before --to; a diff needs two. Fix: run another scan, or pass --from.`,
      );
    }
    if (from.seq === to.seq) throw new UsageError(`--from and --to are the same scan (${to.id}). Fix: pick two different scans.`);
    const diff = diffScans(store, from, to);
    io.stdout(flags.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiffText(diff));
    return ExitCode.ok;
  } finally {
    store.close();
  }
}

export function historyCommand(flags: StateFlags & { json?: boolean }, io: CliIo): number {
  const store = openStateForReading(flags, io);
  try {
    const scans = store.scans();
    if (flags.json) {
      io.stdout(`${JSON.stringify(scans, null, 2)}\n`);
      return ExitCode.ok;
    }
    if (scans.length === 0) io.stdout(`${store.path}: no scan recorded yet\n`);
    for (const s of scans) {
      const sev = Object.entries(s.summary.openBySeverity)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      io.stdout(
        `#${String(s.seq).padEnd(4)} ${s.id}  ${s.startedAt}  ${s.complete ? 'complete  ' : 'INCOMPLETE'}  ${s.providers.join(',')}${
          s.shard ? ` shard ${s.shard}` : ''
        }  open: ${s.summary.open}${sev ? ` (${sev})` : ''}${s.summary.suppressed ? `, suppressed: ${s.summary.suppressed}` : ''}\n`,
      );
    }
    return ExitCode.ok;
  } finally {
    store.close();
  }
}
