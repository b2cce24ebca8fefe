/**
 * The SQLite file behind the state store (node:sqlite, no native addon). Opening applies the pragmas the store relies
 * on (WAL, foreign keys, a busy timeout) and runs the ordered schema migrations, each in its own transaction, so a
 * file is always at one whole schema version. A file written by a newer snapaudit is refused rather than guessed at.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type Migration, migrations as released } from './migrations.ts';

export class StateStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateStoreError';
  }
}

export interface OpenOptions {
  /** Create the file (and its folder) when missing; otherwise a missing file is an error. */
  create: boolean;
  /** Milliseconds SQLite waits on a locked database before failing one statement. */
  busyTimeoutMs?: number;
}

export function openDatabase(path: string, opts: OpenOptions): DatabaseSync {
  let kind: 'missing' | 'file' | 'other' = 'missing';
  try {
    kind = statSync(path).isFile() ? 'file' : 'other';
  } catch {
    kind = 'missing';
  }
  if (kind === 'other') {
    throw new StateStoreError(
      `${path}: not a state store file (it is a folder or a device). Fix: point --state (or state.path) at a file.`,
    );
  }
  if (kind === 'missing') {
    if (!opts.create) {
      throw new StateStoreError(
        `${path}: no state store there yet. Fix: run \`snapaudit scan\` with the same --state (or state.path) first.`,
      );
    }
    mkdirSync(dirname(path), { recursive: true });
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout: opts.busyTimeoutMs ?? 5_000, enableForeignKeyConstraints: true });
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
  } catch (err) {
    if (/readonly|read-only/i.test((err as Error).message)) throw notWritable(path, err);
    throw new StateStoreError(`${path}: cannot open the state store (${(err as Error).message}). Fix: check the path and its permissions.`);
  }
  try {
    migrate(db, path);
  } catch (err) {
    db.close();
    if (err instanceof StateStoreError) throw err;
    throw damaged(path, err);
  }
  return db;
}

function damaged(path: string, cause: unknown): StateStoreError {
  // SQLite's integrity report is one problem per line; the CLI's refusal is one line, so the first few are joined.
  const lines = (cause instanceof Error ? cause.message : String(cause))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\*\*\* in database/.test(l));
  const what = lines.length > 3 ? `${lines.slice(0, 3).join('; ')}; and ${lines.length - 3} more` : lines.join('; ');
  return new StateStoreError(
    `${path}: the state store is damaged (${what}). Fix: restore it from a backup, or move it aside to start a new history.`,
  );
}

/** The file is intact and this process can write it; throws StateStoreError naming the problem and the fix. */
export function verifyDatabase(db: DatabaseSync, path: string): void {
  let problems: string[];
  try {
    problems = (db.prepare('PRAGMA quick_check').all() as Array<Record<string, unknown>>)
      .map((r) => String(Object.values(r)[0]))
      .filter((r) => r !== 'ok');
  } catch (err) {
    throw damaged(path, err);
  }
  if (problems.length > 0) throw damaged(path, problems.slice(0, 3).join('; '));
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec(`PRAGMA user_version = ${schemaVersion(db)}`);
    db.exec('ROLLBACK');
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw notWritable(path, err);
  }
}

function notWritable(path: string, cause: unknown): StateStoreError {
  return new StateStoreError(
    `${path}: the state store cannot be written (${(cause as Error).message}). Fix: give this user write access to the file and its folder, or point --state at another file.`,
  );
}

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

/** Applies every migration newer than the file's `user_version`, in order, one transaction each. */
export function migrate(db: DatabaseSync, path = 'state store', migrations: readonly Migration[] = released): number {
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new StateStoreError(
      `${path}: written by a newer snapaudit (schema version ${current}, this one knows ${latest}). Fix: upgrade snapaudit, or point --state at another file.`,
    );
  }
  for (let version = current + 1; version <= latest; version++) {
    const m = migrations[version - 1]!;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        version,
        m.name,
        new Date().toISOString(),
      );
      db.exec(`PRAGMA user_version = ${version}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new StateStoreError(`${path}: migration ${version} (${m.name}) failed: ${(err as Error).message}`);
    }
  }
  return latest;
}

/** Runs `fn` in one write transaction: all of it lands, or none of it (also when the process dies midway). */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
