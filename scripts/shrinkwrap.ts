// Ships the lockfile inside the packed package as npm-shrinkwrap.json (`prepack`), and removes that copy afterwards
// (`postpack`). npm recommends a shrinkwrap for command-line tools published to a registry: installing the tarball
// then gets exactly the dependency versions the tests ran against (https://docs.npmjs.com/cli/v11/configuring-npm/npm-shrinkwrap-json).
//   node scripts/shrinkwrap.ts add | remove
import { copyFileSync, rmSync } from 'node:fs';

const lock = new URL('../package-lock.json', import.meta.url);
const shrinkwrap = new URL('../npm-shrinkwrap.json', import.meta.url);
const action = process.argv[2];

if (action === 'add') copyFileSync(lock, shrinkwrap);
else if (action === 'remove') rmSync(shrinkwrap, { force: true });
else {
  console.error('usage: node scripts/shrinkwrap.ts add | remove');
  process.exit(2);
}
