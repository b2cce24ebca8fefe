#!/usr/bin/env node
// Runs the compiled CLI when built (npm run build), else the TypeScript sources directly (Node >= 22.18 strips types).
import { existsSync } from 'node:fs';

// A reader that stops early (`snapaudit checks list | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const built = new URL('../dist/src/cli/main.js', import.meta.url);
const { main } = await import(existsSync(built) ? built.href : new URL('../src/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
