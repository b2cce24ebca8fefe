/**
 * Runs a step against a state store in a child process with a small V8 heap: what fails here on old code failed at
 * organisation scale (issue #23). The child has `store` (a new store), `t` (the template of test/state/large-scan.ts),
 * its helpers and `mod(path)` (a module of the project by its path from the repository root) in scope.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../support/cli.ts';

const root = new URL('../../', import.meta.url);

export function inSmallHeap(heapMiB: number, body: string): { status: number | null; stdout: string; heapErrors: string[] } {
  const dir = tempDir('snapaudit-state-');
  const script = `
    const mod = (path) => import(new URL(path, ${JSON.stringify(root.href)}).href);
    const { StateStore } = await mod('src/store/state-store.ts');
    const { manyScopes, recordScan, template } = await mod('test/state/large-scan.ts');
    const t = await template('2026-11-01T02:00:00.000Z');
    const store = StateStore.open(process.argv[1]);
    ${body}
    store.close();
  `;
  const run = spawnSync(
    process.execPath,
    [`--max-old-space-size=${heapMiB}`, '--input-type=module', '-e', script, join(dir, 'state.sqlite')],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { status: run.status, stdout: run.stdout, heapErrors: run.stderr.split('\n').filter((l) => /heap|FATAL|Error/i.test(l)) };
}
