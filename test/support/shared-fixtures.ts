/**
 * Where the project's shared reference data lives (the SARIF schema, the OCSF definitions, the Azure examples):
 * vendored in test/fixtures/reference (a copy of DESIGN.md's ../shared/fixtures), or SNAPAUDIT_SHARED_FIXTURES.
 * Missing data fails the test that needs it with a message saying where it looked.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function sharedFixture(...parts: string[]): string {
  const candidates = [
    process.env.SNAPAUDIT_SHARED_FIXTURES,
    resolve(root, 'test/fixtures/reference'),
    resolve(root, '../shared/fixtures'),
    resolve(root, '../../shared/fixtures'),
    '/work/shared/fixtures',
  ].filter((x): x is string => Boolean(x));
  for (const base of candidates) {
    const p = resolve(base, ...parts);
    if (existsSync(p)) return p;
  }
  throw new Error(`shared fixture ${parts.join('/')} not found; looked in ${candidates.join(', ')} (set SNAPAUDIT_SHARED_FIXTURES)`);
}
