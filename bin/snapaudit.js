#!/usr/bin/env node
// The snapaudit command. Runs the compiled CLI (dist/, bundled by `npm run build` and always present in the packed
// package: scripts/build.ts), else the TypeScript sources of a checkout. Plain JavaScript with nothing newer than Node 14's syntax and
// no top-level await, so that an unsupported Node parses it and answers with one line (exit 2), not a stack trace.
// The commands that hold a whole scan run under the CLI's heap policy (src/cli/heap-policy.ts): relaunched with heap
// flags derived from the memory budget, unless the operator set heap flags of their own.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const built = new URL('../dist/src/cli/main.js', import.meta.url);
const sources = new URL('../src/cli/main.ts', import.meta.url);
const useBuilt = existsSync(built);

// The compiled CLI needs node:sqlite's busy `timeout` option and `isTransaction` (Node 22.16); running the
// TypeScript sources needs type stripping on by default (Node 22.18).
const needed = useBuilt ? [22, 16, 0] : [22, 18, 0];
const have = process.versions.node.split('.').map(Number);

function older(a, b) {
  for (let i = 0; i < b.length; i++) {
    if ((a[i] || 0) !== b[i]) return (a[i] || 0) < b[i];
  }
  return false;
}

if (older(have, needed)) {
  let hint = 'install Node.js 22 (22.16 or later) or 24';
  if (!useBuilt) {
    hint = 'run `npx snapaudit` inside the checkout (its pinned Node 24)';
    if (!older(have, [22, 16, 0])) hint += ', or build it first (`npm run build`)';
  }
  const what = useBuilt ? '' : ' to run from its TypeScript sources';
  process.stderr.write(`snapaudit needs Node.js ${needed.join('.')} or newer${what} (this is ${process.version}); ${hint}.\n`);
  process.exit(2);
}

// V8's compile cache (Node 22.1+): the modules' compiled code is kept on disk and reused by the next start, which
// then neither compiles nor (from the TypeScript sources) strips types again — about half the CPU and a third of the
// memory up to the first API request. Kept in the user's own cache folder, never in a shared temporary one (code
// another user could write would run with this user's cloud credentials); NODE_COMPILE_CACHE=dir moves it and
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. A folder that cannot be written only means no cache.
if (typeof module.enableCompileCache === 'function') {
  try {
    const home = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    module.enableCompileCache(process.env.NODE_COMPILE_CACHE ? undefined : join(home, 'snapaudit', 'compile-cache'));
  } catch (_err) {
    // no home folder: run without the cache
  }
}

// A reader that stops early (`snapaudit checks list | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode || 0);
    throw err;
  });
}

const argv = process.argv.slice(2);
const policy = new URL(useBuilt ? '../dist/src/cli/heap-policy.js' : '../src/cli/heap-policy.ts', import.meta.url);
import(policy.href)
  .then((heap) => heap.withHeapPolicy(argv, () => import(useBuilt ? built.href : sources.href).then((cli) => cli.main(argv))))
  .then((code) => {
    process.exitCode = code;
  });
