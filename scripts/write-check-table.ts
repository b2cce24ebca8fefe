// Writes the check tables of docs/checks.md from the registry (npm run docs:checks). A test fails when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { withCheckTables } from './check-table.ts';

const path = new URL('../docs/checks.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withCheckTables(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? `${path.pathname}: check tables already current` : `wrote the check tables in ${path.pathname}`);
