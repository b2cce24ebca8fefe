// Builds the compiled package into dist/ (`npm run build`; `npm pack` runs it through `prepack`): starts from an empty
// dist/ so no file of a deleted source ships, compiles with tsconfig.build.json (JavaScript, source maps, and the
// JSON data the code imports), then copies the licence and notice files of vendored data beside their copies.
// `node scripts/build.ts clean` only removes dist/ (`postpack`: in a checkout, bin/snapaudit.js then runs the
// TypeScript sources again rather than a build that later edits would leave stale).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const LEGAL = /^(licen[cs]e|notice|copying)([.-].*)?$/i;

/** Every licence or notice file under a folder, as paths relative to the project root. */
function legalFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...legalFiles(path));
    else if (LEGAL.test(entry.name)) out.push(path);
  }
  return out;
}

rmSync(dist, { recursive: true, force: true });
if (process.argv[2] === 'clean') process.exit(0);
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const roots: string[] = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')).include;
for (const file of roots.flatMap(legalFiles)) {
  const target = join(dist, file);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(root, file), target);
  console.log(`copied ${relative(root, target)}`);
}
