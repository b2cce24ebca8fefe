// Builds the compiled package into dist/ (`npm run build`; `npm pack` runs it through `prepack`): starts from an empty
// dist/ so no file of a deleted source ships, then bundles the CLI with esbuild (scripts/bundle.ts: the settings and
// why) — the application, its data and the third-party code it runs — into ES modules in dist/src/cli/: the entry
// points main.js and heap-policy.js (what bin/snapaudit.js loads) and the scan, report and tickets commands
// (bench/pipeline.ts --compiled runs them); everything else is a shared chunk (chunk-*.js), each cloud's provider and
// SDKs, each AWS service's SDK, each report renderer, the lab of --demo, the YAML parser and tickets loaded lazily.
// Every output stays in dist/src/cli/, three folders below the package, as src/cli/ is in a checkout: the CLI finds
// the demo estate relative to its own module (DEMO_ESTATE in src/cli/scan-command.ts).
// Licences: each chunk's legal comments go to a .LEGAL.txt beside it, THIRD-PARTY-NOTICES.md lists every bundled
// package with its licence text, and the licence and notice files of vendored data are copied beside their paths.
// `node scripts/build.ts --metafile path` also writes esbuild's metafile (what each output holds) there.
// `node scripts/build.ts clean` only removes dist/ (`postpack`: in a checkout, bin/snapaudit.js then runs the
// TypeScript sources again rather than a build that later edits would leave stale).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { bundleOptions } from './bundle.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const out = join(dist, 'src/cli');
const LEGAL = /^(licen[cs]e|notice|copying)([.-].*)?$/i;
/** Folders of the project's code (tsconfig.build.json): the licence files of the data vendored there ship in dist/. */
const SOURCE_ROOTS: string[] = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')).include;
/** Licences the package may not bundle (copyleft that would bind the whole CLI). */
const REFUSED_LICENCE = /(^|[^L])GPL|SSPL|BUSL/i;

/** Every licence or notice file under a folder, as paths relative to the project root. */
function legalFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...legalFiles(path));
    else if (LEGAL.test(entry.name)) files.push(path);
  }
  return files;
}

/** The folders (relative to the project root) of the installed packages the bundle took code from. */
function bundledPackages(meta: Metafile): string[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(meta.inputs)) {
    const path = input.replace(/^[\w-]+:/, ''); // a plugin's namespace
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(relative(root, resolve(root, path)));
    if (m?.[1]) dirs.add(m[1]);
  }
  return [...dirs].sort();
}

/** THIRD-PARTY-NOTICES.md: every bundled package, its licence and the text of its licence and notice files. */
function thirdPartyNotices(packageDirs: readonly string[]): string {
  const seen = new Set<string>();
  const sections: string[] = [];
  for (const dir of packageDirs) {
    const meta = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const id = `${meta.name}@${meta.version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const licence = meta.license ?? 'UNKNOWN';
    if (REFUSED_LICENCE.test(licence) || licence === 'UNKNOWN') throw new Error(`${id}: licence ${licence} may not be bundled`);
    const texts = readdirSync(join(root, dir))
      .filter((f) => LEGAL.test(f))
      .sort()
      .map((f) => `\`\`\`text\n${readFileSync(join(root, dir, f), 'utf8').trim()}\n\`\`\``);
    sections.push(
      `## ${id}\n\nLicence: ${licence}\n\n${texts.length ? texts.join('\n\n') : '(no licence file in the package; see its legal comments in the .LEGAL.txt files)'}`,
    );
  }
  return `# Third-party notices\n\nThe compiled snapaudit CLI (dist/) bundles code from these ${sections.length} packages, each under its own licence.\n\n${sections.join('\n\n')}\n`;
}

rmSync(dist, { recursive: true, force: true });
if (process.argv[2] === 'clean') process.exit(0);

const result = await build(
  bundleOptions(
    root,
    {
      main: 'src/cli/main.ts',
      'heap-policy': 'src/cli/heap-policy.ts',
      'scan-command': 'src/cli/scan-command.ts',
      'report-command': 'src/cli/report-command.ts',
      'tickets-command': 'src/cli/tickets-command.ts',
    },
    out,
  ),
);
if (result.errors.length) process.exit(1);

const packages = bundledPackages(result.metafile);
writeFileSync(join(dist, 'THIRD-PARTY-NOTICES.md'), thirdPartyNotices(packages));
// `--metafile path`: what each output holds (esbuild's metafile, for https://esbuild.github.io/analyze/)
const metafileAt = process.argv.indexOf('--metafile');
if (metafileAt > 0 && process.argv[metafileAt + 1]) writeFileSync(process.argv[metafileAt + 1] as string, JSON.stringify(result.metafile));

for (const file of SOURCE_ROOTS.flatMap(legalFiles)) {
  const target = join(dist, file);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(root, file), target);
}
const outputs = readdirSync(out).filter((f) => f.endsWith('.js'));
console.log(
  `bundled ${Object.keys(result.metafile.inputs).length} modules of ${packages.length} packages into ${outputs.length} files in ${relative(root, out)}`,
);
if (!existsSync(join(out, 'main.js'))) throw new Error('the build wrote no main.js');
