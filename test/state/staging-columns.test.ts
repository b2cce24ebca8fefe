/**
 * The staging tables (src/store/stage.ts) repeat the columns of the scan tables they are moved into, keyed by the
 * stage instead of the scan. A migration that adds a column to a scan table without adding it to its staging table
 * would lose that column for every scan recorded through the stage: this keeps the two in step.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, it } from 'vitest';
import { migrate } from '../../src/store/database.ts';
import { ScanStage, stagedTables } from '../../src/store/stage.ts';
import { tempDir } from '../support/cli.ts';

function columns(db: DatabaseSync, schema: 'main' | 'temp', table: string, key: string): string[] {
  return (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as Array<{ name: string; type: string; notnull: number }>)
    .filter((c) => c.name !== key)
    .map((c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}`);
}

it('every staging table has exactly the columns of its scan table', () => {
  const dir = tempDir();
  const path = join(dir, 'state.sqlite');
  const db = new DatabaseSync(path);
  try {
    migrate(db, path);
    new ScanStage(db);
    for (const staged of stagedTables) {
      const scanTable = staged.replace(/^staged_/, 'scan_');
      const want = columns(db, 'main', scanTable, 'scan_seq');
      expect(want.length, scanTable).toBeGreaterThan(3);
      expect(columns(db, 'temp', staged, 'stage'), staged).toEqual(want);
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
