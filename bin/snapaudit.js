#!/usr/bin/env node
// Runs the compiled CLI when built (npm run build), else the TypeScript sources directly (Node >= 22.18 strips types).
// The commands that hold a whole scan run under the CLI's heap policy (src/cli/heap-policy.ts): relaunched with heap
// flags derived from the memory budget, unless the operator set heap flags of their own.
import { existsSync } from 'node:fs';

// A reader that stops early (`snapaudit checks list | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const built = existsSync(new URL('../dist/src/cli/main.js', import.meta.url));
const cli = (name) => new URL(built ? `../dist/src/cli/${name}.js` : `../src/cli/${name}.ts`, import.meta.url).href;
const argv = process.argv.slice(2);
const { withHeapPolicy } = await import(cli('heap-policy'));
process.exitCode = await withHeapPolicy(argv, async () => {
  const { main } = await import(cli('main'));
  return main(argv);
});
