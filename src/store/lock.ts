/**
 * One writer at a time. A scan (or a ticket sync) takes a lease row in the store before it starts and gives it back
 * when it ends; a second writer is refused with a message naming the holder. A lease whose holder is gone (its
 * process no longer exists on this host, or its heartbeat stopped long ago) is taken over, so a crashed scan never
 * blocks the next one for good.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import { transaction } from './database.ts';

export class StoreLockedError extends Error {
  readonly holder: LockHolder;
  constructor(path: string, holder: LockHolder) {
    super(
      `${path}: another snapaudit is writing to this state store (${holder.command}, pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt}). ` +
        'Nothing was scanned or written. Fix: wait for it to finish, or give this run its own --state file.',
    );
    this.name = 'StoreLockedError';
    this.holder = holder;
  }
}

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  acquiredAt: string;
  heartbeatAt: string;
}

export interface LockOptions {
  command: string;
  /** A lease whose heartbeat is older than this is considered abandoned (default 2 minutes). */
  staleAfterMs?: number;
  /** How often the holder refreshes its heartbeat (default 15 s). */
  heartbeatMs?: number;
  pid?: number;
  host?: string;
}

export interface Lease {
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LockRow {
  token: string;
  pid: number;
  host: string;
  command: string;
  acquired_at: string;
  heartbeat_at: string;
}

export function acquireLock(db: DatabaseSync, path: string, opts: LockOptions): Lease {
  const pid = opts.pid ?? process.pid;
  const host = opts.host ?? hostname();
  const staleAfter = opts.staleAfterMs ?? 120_000;
  const token = randomUUID();
  transaction(db, () => {
    const row = db.prepare('SELECT token, pid, host, command, acquired_at, heartbeat_at FROM writer_lock WHERE id = 1').get() as
      | LockRow
      | undefined;
    if (row) {
      const fresh = Date.now() - Date.parse(row.heartbeat_at) < staleAfter;
      const alive = row.host === host ? processAlive(row.pid) && fresh : fresh;
      if (alive) {
        throw new StoreLockedError(path, {
          pid: row.pid,
          host: row.host,
          command: row.command,
          acquiredAt: row.acquired_at,
          heartbeatAt: row.heartbeat_at,
        });
      }
    }
    const now = new Date().toISOString();
    db.prepare(
      'INSERT OR REPLACE INTO writer_lock (id, token, pid, host, command, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)',
    ).run(token, pid, host, opts.command, now, now);
  });
  const beat = setInterval(() => {
    try {
      db.prepare('UPDATE writer_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?').run(new Date().toISOString(), token);
    } catch {
      // a busy database delays one heartbeat; the next one catches up
    }
  }, opts.heartbeatMs ?? 15_000);
  beat.unref();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      clearInterval(beat);
      try {
        db.prepare('DELETE FROM writer_lock WHERE id = 1 AND token = ?').run(token);
      } catch {
        // the database may already be closed; the lease then goes stale and is taken over
      }
    },
  };
}
