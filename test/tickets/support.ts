/** Ticket tests: a state store fed by scripted scans, synced through the real sinks against loopback servers. */
import { join } from 'node:path';
import type { Logger } from '../../src/core/log.ts';
import { applySuppressions, type SuppressionRule } from '../../src/core/baseline/suppressions.ts';
import type { Snapshot } from '../../src/core/model/result.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { TicketsConfig } from '../../src/core/config/tickets.ts';
import type { SinkCredentials } from '../../src/tickets/credentials.ts';
import { createSink, type SyncReport, syncTickets } from '../../src/tickets/sync.ts';
import { makeSnapshot } from '../support/factories.ts';
import { tempDir } from '../support/cli.ts';
import { scriptedScan } from '../state/support.ts';

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

export class TicketWorld {
  readonly store: StateStore;
  readonly tickets: TicketsConfig;
  readonly creds: SinkCredentials;
  readonly log = memoryLogger();
  readonly sleeps: number[] = [];
  private day = 0;

  constructor(tickets: unknown, creds: SinkCredentials) {
    this.store = StateStore.open(join(tempDir('snapaudit-tickets-'), 'state.sqlite'));
    this.tickets = TicketsConfig.parse(tickets);
    this.creds = creds;
  }

  /** Records a scan of account A holding these snapshots (the real checks decide the findings). */
  async scan(snapshots: Snapshot[], suppressions: SuppressionRule[] = []): Promise<void> {
    this.day++;
    const at = `2026-11-${String(this.day).padStart(2, '0')}T02:00:00.000Z`;
    const result = await scriptedScan(
      at,
      { [A]: { snapshots } },
      { previous: this.store.previousScan(), decorate: (f) => applySuppressions(f, suppressions, new Date(at)) },
    );
    this.store.record(result, { retain: 50 });
  }

  async sync(opts: { dryRun?: boolean; store?: StateStore } = {}): Promise<SyncReport> {
    const store = opts.store ?? this.store;
    const latest = store.latest()!;
    const sink = opts.dryRun ? null : createSink(this.tickets, this.creds, { scanId: latest.id, jira: { onSchemaMismatch: 'throw' } });
    return syncTickets({
      store,
      tickets: this.tickets,
      sink,
      credentials: this.creds,
      log: this.log,
      retry: {
        sleep: async (ms) => {
          this.sleeps.push(ms);
        },
        random: () => 0.5,
      },
    });
  }

  close(): void {
    this.store.close();
  }
}

export const outcomes = (r: SyncReport) => r.done.map((d) => d.outcome).sort();
