/**
 * The ticket ledger in the state store: migration 2 adds the operations in flight to a file written by an older
 * snapaudit without touching its links, and an operation's completion (its link saved, the operation forgotten) lands
 * in one transaction.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations.ts';
import { type PendingTicketOp, StateStore, type TicketLink } from '../../src/store/state-store.ts';
import { tempDir } from '../support/cli.ts';

const link: TicketLink = {
  sink: 'jira',
  key: 'fp1',
  marker: 'snapaudit-fp1',
  remoteId: '10001',
  remoteKey: 'SEC-1',
  url: 'https://acme.atlassian.net/browse/SEC-1',
  title: 'a ticket',
  state: 'open',
  evidenceHash: 'abc',
  members: { fp1: { state: 'open', evidenceHash: 'e1', label: 'x' } },
  createdAt: '2026-11-01T02:00:00.000Z',
  updatedAt: '2026-11-01T02:00:00.000Z',
  lastScanId: 's1',
};

const op: PendingTicketOp = {
  sink: 'jira',
  key: 'fp1',
  marker: 'snapaudit-fp1',
  kind: 'close',
  opId: '0123456789abcdef',
  scanId: 's2',
  startedAt: '2026-11-02T02:00:00.000Z',
  ambiguousAt: null,
  target: { state: 'closed', title: 'a ticket', evidenceHash: 'def', members: {}, project: null },
};

describe('ticket ledger', () => {
  it('upgrades a file from before operations were tracked, keeping its links', () => {
    const dir = tempDir();
    try {
      const path = join(dir, 'state.sqlite');
      const db = new DatabaseSync(path);
      migrate(db, path, migrations.slice(0, 1));
      db.prepare(
        `INSERT INTO ticket_links (sink, key, marker, remote_id, remote_key, url, title, state, evidence_hash, members, created_at, updated_at, last_scan_id)
         VALUES ('jira', 'fp1', 'snapaudit-fp1', '10001', 'SEC-1', NULL, 't', 'open', 'h', '{}', 'x', 'x', NULL)`,
      ).run();
      db.close();
      const store = StateStore.open(path);
      expect(schemaVersion(store.db)).toBe(migrations.length);
      expect(store.ticketLinks('jira').map((l) => l.remoteKey)).toEqual(['SEC-1']);
      expect(store.pendingTicketOps('jira')).toEqual([]);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records an operation before it runs and forgets it with the link it produced, atomically', () => {
    const dir = tempDir();
    const store = StateStore.open(join(dir, 'state.sqlite'));
    try {
      store.saveTicketLink(link);
      store.savePendingTicketOp(op);
      expect(store.pendingTicketOps('jira')).toEqual([op]);
      // a failing completion leaves both as they were
      expect(() => store.completeTicketOp({ ...link, members: undefined as never })).toThrow();
      expect(store.pendingTicketOps('jira')).toEqual([op]);
      expect(store.ticketLinks('jira')).toEqual([link]);
      store.completeTicketOp({ ...link, state: 'closed' });
      expect(store.pendingTicketOps('jira')).toEqual([]);
      expect(store.ticketLinks('jira').map((l) => l.state)).toEqual(['closed']);
      // losing the ledger loses both
      store.savePendingTicketOp(op);
      expect(store.deleteTicketLinks('jira')).toBe(1);
      expect(store.pendingTicketOps('jira')).toEqual([]);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
