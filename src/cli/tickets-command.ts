/**
 * `snapaudit tickets sync [--dry-run] [--reconcile [--close-unknown]]`: bring the ticket system in line with the
 * latest scan in the state store (with --reconcile, rebuild the ledger from the ticket system first). Exit 0 when
 * everything is in sync, 3 when some operation still failed after retries or a create is still unconfirmed (rerun to
 * finish), 2 for a config problem (no tickets section, a missing credential variable), 5 when another writer holds
 * the store. `snapaudit tickets export`: the state every ticket should be in after the latest scan, as JSON, for a
 * receiver to diff against (no credentials, nothing written).
 */
import { resolve } from 'node:path';
import { ConfigError, loadConfigFile } from '../core/config/load.ts';
import { knownChecks } from '../../checks/index.ts';
import type { Config } from '../core/config/schema.ts';
import { commandLogFormat, commandLogger } from './command-log.ts';
import { StateStore } from '../store/state-store.ts';
import type { TicketsConfig } from '../core/config/tickets.ts';
import { resolveCredentials } from '../tickets/credentials.ts';
import { exportTickets, renderSyncReport, runTicketSync, sinkName } from '../tickets/sync.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { statePathFor } from './scan-state.ts';
import { applyTlsTrust, warnInsecureTransport } from './transport.ts';

export interface TicketsFlags {
  config?: string;
  state?: string;
  dryRun?: boolean;
  reconcile?: boolean;
  closeUnknown?: boolean;
  quiet?: boolean;
  logFormat?: string;
}

export function ticketsOf(config: Config): TicketsConfig {
  if (!config.tickets) throw new ConfigError(['tickets: the config has no tickets section. Fix: add one (see docs/tickets.md).']);
  return config.tickets;
}

export async function ticketsSyncCommand(flags: TicketsFlags, io: CliIo): Promise<number> {
  if (!flags.config) throw new UsageError('tickets sync needs the config that has the tickets section. Fix: pass --config FILE.');
  if (flags.logFormat !== undefined && flags.logFormat !== 'json' && flags.logFormat !== 'text') {
    throw new UsageError(`--log-format: "${flags.logFormat}" is not a log format. Fix: use json or text.`);
  }
  if (flags.closeUnknown && !flags.reconcile) throw new UsageError('--close-unknown works with --reconcile. Fix: add --reconcile.');
  const config = loadConfigFile(resolve(io.cwd, flags.config), knownChecks);
  const tickets = ticketsOf(config);
  applyTlsTrust(config, io);
  const credentials = flags.dryRun ? null : resolveCredentials(tickets, io.env);
  const path = statePathFor(flags.state, config, io.cwd);
  if (path === null) throw new UsageError('tickets need the state store, and state.enabled is false. Fix: enable it or pass --state FILE.');
  const logFormat = commandLogFormat(io, flags.logFormat);
  const log = commandLogger(io, { quiet: flags.quiet, logFormat });
  if (!flags.dryRun) warnInsecureTransport(config, io, { providers: [], tickets: true, logFormat });
  const store = StateStore.open(path, { create: false });
  try {
    const lease = flags.dryRun ? null : store.lock({ command: 'tickets sync' });
    try {
      if (!store.latest()) throw new UsageError(`${path}: no scan recorded yet. Fix: run \`snapaudit scan\` first.`);
      const report = await runTicketSync({
        store,
        tickets,
        credentials,
        dryRun: flags.dryRun === true,
        reconcile: flags.reconcile === true,
        closeUnknown: flags.closeUnknown === true,
        log,
      });
      if (!flags.quiet || report.dryRun) io.stdout(renderSyncReport(report, sinkName(tickets)));
      return report.failed.length > 0 || report.pending.length > 0 ? ExitCode.incomplete : ExitCode.ok;
    } finally {
      lease?.release();
    }
  } finally {
    store.close();
  }
}

export function ticketsExportCommand(flags: Pick<TicketsFlags, 'config' | 'state'>, io: CliIo): number {
  if (!flags.config) throw new UsageError('tickets export needs the config that has the tickets section. Fix: pass --config FILE.');
  const config = loadConfigFile(resolve(io.cwd, flags.config), knownChecks);
  const tickets = ticketsOf(config);
  const path = statePathFor(flags.state, config, io.cwd);
  if (path === null) throw new UsageError('tickets need the state store, and state.enabled is false. Fix: enable it or pass --state FILE.');
  const store = StateStore.open(path, { create: false });
  try {
    if (!store.latest()) throw new UsageError(`${path}: no scan recorded yet. Fix: run \`snapaudit scan\` first.`);
    io.stdout(`${JSON.stringify(exportTickets(store, tickets), null, 2)}\n`);
    return ExitCode.ok;
  } finally {
    store.close();
  }
}
