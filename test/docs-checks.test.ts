/** The check tables of docs/checks.md are generated from the registry; this keeps the committed copy current. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checks } from '../checks/index.ts';
import { BEGIN, COMMAND, END, renderCheckTables, withCheckTables } from '../scripts/check-table.ts';

const readme = readFileSync(new URL('../docs/checks.md', import.meta.url), 'utf8');

describe('docs/checks.md check tables', () => {
  it(`are what the registry generates (run ${COMMAND} to update them)`, () => {
    expect(readme === withCheckTables(readme), `docs/checks.md's check tables are stale: run ${COMMAND}`).toBe(true);
  });

  it('list every check with its default severity and options, and every option with its default', () => {
    const tables = renderCheckTables();
    for (const c of checks) {
      expect(tables).toMatch(
        new RegExp(`^\\| \`${c.meta.id.replace('.', '\\.')}\` +\\| ${c.meta.title.replace(/[()]/g, '\\$&')} +\\| ${c.meta.severity} `, 'm'),
      );
      for (const key of Object.keys(c.options.shape)) expect(tables).toContain(`\`checks.${c.meta.id}.${key}\``);
    }
    expect(tables).toMatch(/\| `checks\.snapshots\.stale\.maxAgeDays` +\| `180` +\| a snapshot older than this many days is stale/);
    expect(tables).toMatch(/\| `snapshots\.block-public-access-off` .*\| guards \(AWS only\) +\|/);
  });

  it('are refused without their markers rather than written somewhere else', () => {
    expect(() => withCheckTables(readme.replace(BEGIN, ''))).toThrow(/no .* section/);
    expect(() => withCheckTables(readme.replace(END, ''))).toThrow(/no .* section/);
  });
});
