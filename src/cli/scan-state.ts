/**
 * What `snapaudit scan` does around the engine with the state store: take the single-writer lease before anything
 * runs, feed the previous scan to `permissions.newly-granted`, apply suppressions through the engine's
 * `decorateFindings` hook (with the injected clock, so expiry is reproducible), stage each scope in the store as it
 * finishes and record the scan in one final transaction, compute the trend renderers show, and (when configured) sync tickets.
 */
import { resolve } from 'node:path';
import type { PreviousScan } from '../core/model/previous-scan.ts';
import type { Trend } from '../core/model/trend.ts';
import { applySuppressions, suppressionNotes } from '../core/baseline/suppressions.ts';
import type { Config } from '../core/config/schema.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import type { Finding, ScanResult } from '../core/model/result.ts';
import { trendFor } from '../store/diff.ts';
import type { Lease } from '../store/lock.ts';
import type { ScanStage } from '../store/stage.ts';
import { type RecordOutcome, StateStore } from '../store/state-store.ts';
import type { TicketsConfig } from '../core/config/tickets.ts';
import { redact, resolveCredentials, type SinkCredentials, secretsOf } from '../tickets/credentials.ts';
import { UsageError } from './io.ts';

/** The state file a command uses: `--state FILE`, else `state.path` from the config; null with --no-state. */
export function statePathFor(flag: string | boolean | undefined, config: Config, cwd: string): string | null {
  if (flag === false) return null;
  if (typeof flag === 'string') return resolve(cwd, flag);
  return config.state.enabled ? resolve(cwd, config.state.path) : null;
}

export function trendLine(trend: Trend): string {
  return (
    `since scan ${trend.previous.scanId} (${trend.previous.finishedAt}): ${trend.newFindings} new, ${trend.resolvedFindings} resolved, ` +
    `${trend.regressedFindings} regressed, ${trend.unchangedFindings} unchanged; ${trend.newlyCapablePrincipals} principal(s) gained a snapshot capability; ` +
    `${trend.snapshotsCreated} snapshot(s) created, ${trend.snapshotsDeleted} deleted`
  );
}

export class ScanState {
  readonly store: StateStore | null;
  private readonly lease: Lease | null;
  private readonly config: Config;
  private readonly clock: Clock;
  private readonly tickets: { config: TicketsConfig; credentials: SinkCredentials } | null;

  private constructor(
    config: Config,
    clock: Clock,
    store: StateStore | null,
    lease: Lease | null,
    tickets: { config: TicketsConfig; credentials: SinkCredentials } | null,
  ) {
    this.config = config;
    this.clock = clock;
    this.store = store;
    this.lease = lease;
    this.tickets = tickets;
  }

  /**
   * Checks the ticket credentials (when tickets.enabled and not --no-tickets), opens the store and takes the writer
   * lease. Throws ConfigError for a missing credential and StoreLockedError when another writer holds the store —
   * both before anything is scanned or written.
   */
  static open(
    config: Config,
    clock: Clock,
    statePath: string | null,
    command: string,
    opts: { tickets?: boolean; env?: Record<string, string | undefined> } = {},
  ): ScanState {
    const wantTickets = config.tickets?.enabled === true && opts.tickets !== false;
    if (wantTickets && statePath === null) {
      throw new UsageError(
        'tickets.enabled needs the state store (it keeps the ticket ledger). Fix: drop --no-state, or pass --no-tickets.',
      );
    }
    const tickets = wantTickets ? { config: config.tickets!, credentials: resolveCredentials(config.tickets!, opts.env ?? {}) } : null;
    if (statePath === null) return new ScanState(config, clock, null, null, null);
    const store = StateStore.open(statePath, { create: true });
    try {
      store.verify();
      return new ScanState(config, clock, store, store.lock({ command }), tickets);
    } catch (err) {
      store.close();
      throw err;
    }
  }

  get previous(): PreviousScan | null {
    return this.store?.previousScan() ?? null;
  }

  /** Where the scan's scopes are staged in the store as they finish; null without a store. */
  beginStage(): ScanStage | null {
    return this.store?.stage() ?? null;
  }

  readonly decorate = (findings: Finding[]): Finding[] => applySuppressions(findings, this.config.suppressions, this.clock.now());

  /**
   * Writes the scan's outputs and records the result: `write` gets the trend against the scan before (null without a
   * store) and writes the files. With a store the record and the writing are one transaction — a scan whose outputs
   * could not be written is not recorded (nothing would show it, and the next scan's trend would be against it).
   * Returns what `write` returned and summary lines for the terminal. With a `stage` (from `beginStage`, its scopes
   * staged as they finished) the result's `scopes` are not read: the store records the staged ones. `notes`: the
   * suppression lines when the result's scopes are not at hand (a spooled scan tallies them as they pass).
   */
  finish<T>(
    result: ScanResult,
    log: Logger,
    write: (trend: Trend | null) => T,
    stage: ScanStage | null = null,
    notes: string[] = suppressionNotes(result),
  ): { outcome: RecordOutcome | null; written: T; lines: string[] } {
    const lines = [...notes];
    if (!this.store) return { outcome: null, written: write(null), lines };
    const store = this.store;
    let written: T | undefined;
    let trend: Trend | null = null;
    const opts = {
      retain: this.config.state.retain,
      beforeCommit: (o: RecordOutcome) => {
        trend = trendFor(store, o.scan);
        written = write(trend);
      },
    };
    const outcome = stage ? store.recordStaged(result, stage, opts) : store.record(result, opts);
    if (outcome.duplicate) {
      log.warn('state.duplicate', { scan: result.scan.id, message: 'this scan id is already recorded (same --now?); not recorded again' });
    } else {
      log.info('state.recorded', {
        scan: outcome.scan.id,
        path: store.path,
        opened: outcome.opened,
        resolved: outcome.resolved,
        regressed: outcome.regressed,
        pruned: outcome.pruned,
      });
    }
    if (trend) lines.push(trendLine(trend));
    else lines.push(`state: first scan recorded in ${store.path}`);
    return { outcome, written: written as T, lines };
  }

  /** Syncs tickets with the scan just recorded (tickets.enabled); failures are logged, the scan's exit code stands. */
  async syncTickets(log: Logger, interrupted = false): Promise<string[]> {
    if (!this.tickets || !this.store) return [];
    if (interrupted) {
      log.warn('tickets.skipped', { reason: 'scan interrupted' });
      return ['tickets: not synced: the scan was interrupted (tickets follow scans that ran to the end)'];
    }
    try {
      // The ticket sinks (Jira's and GitHub's REST clients among them) load only when a scan syncs tickets.
      const { renderSyncReport, runTicketSync, sinkName } = await import('../tickets/sync.ts');
      const report = await runTicketSync({
        store: this.store,
        tickets: this.tickets.config,
        credentials: this.tickets.credentials,
        dryRun: false,
        log,
      });
      return renderSyncReport(report, sinkName(this.tickets.config)).trimEnd().split('\n');
    } catch (err) {
      const message = redact((err as Error).message.split('\n')[0] ?? String(err), secretsOf(this.tickets.credentials));
      log.error('tickets.failed', { message });
      return [`tickets: sync failed (${message}); run \`snapaudit tickets sync\` to retry`];
    }
  }

  close(): void {
    this.lease?.release();
    this.store?.close();
  }
}
