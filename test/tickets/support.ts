/**
 * Ticket tests: a state store fed by scripted scans, synced through the real sinks against loopback servers. Time is
 * a fake clock shared with the servers (their search lag runs on it, the sync's backoff sleeps advance it), and a
 * server's `client.dead` flag stands for the snapaudit process: once a crash fault kills it, every request it sends
 * is lost and every state-store call it makes fails, exactly what a process that died can no longer do.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../src/core/log.ts';
import { applySuppressions, type SuppressionRule } from '../../src/core/baseline/suppressions.ts';
import type { Principal, Snapshot } from '../../src/core/model/result.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { TicketsConfig } from '../../src/core/config/tickets.ts';
import type { SinkCredentials } from '../../src/tickets/credentials.ts';
import type { TicketOp } from '../../src/tickets/plan.ts';
import { createSink, planTickets, type SyncReport, syncTickets } from '../../src/tickets/sync.ts';
import { tempDir } from '../support/cli.ts';
import { makeSnapshot } from '../support/factories.ts';
import type { ActivityEvent } from '../../src/core/model/activity.ts';
import type { ConfigInput } from '../../src/core/config/schema.ts';
import { scriptedScan } from '../state/support.ts';
import { type FakeClock, fakeClock } from './servers/harness.ts';

export const A = '111111111111';

export function publicSnap(id: string, o: { encryption?: 'customer-key' | 'unencrypted'; owner?: string; region?: string } = {}): Snapshot {
  const region = o.region ?? 'us-east-1';
  return makeSnapshot({
    id,
    name: id,
    region,
    resourceId: `arn:aws:ec2:${region}::snapshot/${id}`,
    sharing: { public: 'yes' },
    encryption: { status: o.encryption ?? 'customer-key' },
    owner: { value: o.owner ?? 'team-a', source: 'tag', detail: 'owner' },
  });
}

export interface LogLine {
  level: string;
  event: string;
  fields: Record<string, unknown>;
}

export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      lines.push({ level, event, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The store as a process sees it: every call fails once that process is dead. */
function processView(store: StateStore, client: { dead: boolean }): StateStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (client.dead) throw new Error('the process died');
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export interface SyncFlags {
  dryRun?: boolean;
  reconcile?: boolean;
  closeUnknown?: boolean;
  store?: StateStore;
}

export class TicketWorld {
  store: StateStore;
  readonly tickets: TicketsConfig;
  readonly creds: SinkCredentials;
  readonly log = memoryLogger();
  readonly sleeps: number[] = [];
  readonly clock: FakeClock;
  readonly client: { dead: boolean };
  private day = 0;
  private readonly dir = tempDir('snapaudit-tickets-');

  constructor(tickets: unknown, creds: SinkCredentials, opts: { clock?: FakeClock; client?: { dead: boolean } } = {}) {
    this.store = StateStore.open(join(this.dir, 'state.sqlite'));
    this.tickets = TicketsConfig.parse(tickets);
    this.creds = creds;
    this.clock = opts.clock ?? fakeClock();
    this.client = opts.client ?? { dead: false };
  }

  /**
   * Records a scan of account A holding these snapshots (the real checks decide the findings), a day after the last;
   * with `activity`, the account's creation activity is read too (judged against `config`'s policy and baseline).
   */
  async scan(
    snapshots: Snapshot[],
    suppressions: SuppressionRule[] = [],
    o: { unreadable?: boolean; activity?: ActivityEvent[]; config?: Partial<ConfigInput>; principals?: Principal[] } = {},
  ): Promise<void> {
    this.day++;
    const at = new Date(Date.parse('2026-11-01T02:00:00.000Z') + (this.day - 1) * 86_400_000).toISOString();
    this.clock.advance(Date.parse(at) - this.clock.now());
    const result = await scriptedScan(
      at,
      {
        [A]: o.unreadable
          ? { unreadable: true }
          : { snapshots, ...(o.activity ? { activity: o.activity } : {}), ...(o.principals ? { principals: o.principals } : {}) },
      },
      {
        previous: this.store.previousScan(),
        decorate: (f) => applySuppressions(f, suppressions, new Date(at)),
        ...(o.config ? { config: o.config } : {}),
      },
    );
    this.store.record(result, { retain: 50 });
  }

  async sync(opts: SyncFlags = {}): Promise<SyncReport> {
    const store = processView(opts.store ?? this.store, this.client);
    const latest = store.latest()!;
    const sink = opts.dryRun ? null : createSink(this.tickets, this.creds, { scanId: latest.id, jira: { onSchemaMismatch: 'throw' } });
    return syncTickets({
      store,
      tickets: this.tickets,
      sink,
      credentials: this.creds,
      log: this.log,
      reconcile: opts.reconcile === true,
      closeUnknown: opts.closeUnknown === true,
      now: () => new Date(this.clock.now()),
      retry: {
        sleep: async (ms) => {
          this.sleeps.push(ms);
          this.clock.advance(ms);
        },
        random: () => 0.5,
      },
    });
  }

  /** The operations a dry run would plan, with their drafts. */
  plan(): TicketOp[] {
    return [...planTickets(this.store, this.tickets)];
  }

  /** The process comes back after a crash. */
  restart(): void {
    this.client.dead = false;
  }

  close(): void {
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const outcomes = (r: SyncReport) => r.done.map((d) => d.outcome).sort();
