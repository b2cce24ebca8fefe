// Builds the compiled package into dist/ (`npm run build`; `npm pack` runs it through `prepack`): starts from an empty
// dist/ so no file of a deleted source ships, then bundles the CLI with esbuild — the application, its data and the
// third-party code it runs — into ES modules in dist/src/cli/:
//   - entry points: main.js and heap-policy.js (what bin/snapaudit.js loads), and the scan, report and tickets
//     commands (bench/pipeline.ts --compiled runs them directly); everything else is a shared chunk (chunk-*.js);
//   - code splitting keeps lazy what the sources load lazily (each `import()`): each cloud's provider and SDKs, each
//     AWS service's SDK (providers/aws/sdk/), each report renderer, the lab of --demo, the YAML parser, tickets;
//   - packages come from their ES module builds (`module`: the AWS SDK's dist-es), so only what the code uses of them
//     is kept (EC2's 600 commands become the handful the scanner sends);
//   - whitespace and syntax are minified, identifiers are not (the errors the CLI tells apart carry explicit names);
//     ASCII output, so V8 keeps every module's source as one byte per character.
// Licences: each chunk's legal comments go to a .LEGAL.txt beside it, THIRD-PARTY-NOTICES.md lists every bundled
// package with its licence text, and the licence and notice files of vendored data are copied beside their paths.
// `node scripts/build.ts --metafile path` also writes esbuild's metafile (what each output holds) there.
// `node scripts/build.ts clean` only removes dist/ (`postpack`: in a checkout, bin/snapaudit.js then runs the
// TypeScript sources again rather than a build that later edits would leave stale).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

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

/** Is this file of a package CommonJS (rather than an ES module)? */
function isCommonJs(path: string): boolean {
  if (path.endsWith('.cjs')) return true;
  if (path.endsWith('.mjs')) return false;
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    if ((JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module') return false;
    break;
  }
  return !/(^|[\n;])\s*(export\s|import(\s+[\w$]|\s*[{*]))/.test(readFileSync(path, 'utf8'));
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['default', 'class', 'function', 'delete', 'new', 'this', 'import', 'export', 'var', 'let', 'const']);
const FOUND = Symbol('resolved');

/**
 * `import()` of a CommonJS package: node hands the importer its exports as named exports (and module.exports as the
 * default), but a chunk esbuild splits off for a CommonJS module exports only the default — `const { parse } = await
 * import('yaml')` would find no `parse`, nor gaxios its HttpsProxyAgent. Such an import gets an ES module of its own
 * that names the package's exports (read by requiring it here, as node's own import would see them).
 */
const commonJsDynamicImports: Plugin = {
  name: 'commonjs-dynamic-imports',
  setup(b) {
    const requireHere = createRequire(import.meta.url);
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === FOUND) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: FOUND });
      if (r.errors.length || r.external || !r.path.includes('node_modules') || !isCommonJs(r.path)) return undefined;
      return { path: r.path, namespace: 'commonjs-namespace' };
    });
    b.onLoad({ filter: /.*/, namespace: 'commonjs-namespace' }, (args) => {
      const names = Object.keys(requireHere(args.path) as object).filter((n) => IDENTIFIER.test(n) && !RESERVED.has(n));
      const contents = [
        `import cjs from ${JSON.stringify(args.path)};`,
        'export default cjs;',
        ...(names.length ? [`export const { ${names.join(', ')} } = cjs;`] : []),
      ].join('\n');
      return { contents, resolveDir: dirname(args.path), loader: 'js' };
    });
  },
};

/**
 * The AWS SDK describes each service's shapes in one module of schemas (dist-es/schemas/schemas_0.js): an array per
 * shape, keyed by the service's names held in string constants — `{ [_xN]: "Snapshot" }` for `{ xmlName: "Snapshot" }`.
 * A computed key could run code (its conversion to a string), so esbuild keeps every shape that has one, and the
 * shapes they name: nearly all of EC2's 3,400 (800 KB of the bundle and their arrays built in the heap). With the
 * constants written out as plain keys, the same objects, only the shapes the scanner's commands reach remain.
 */
const awsSchemaKeys: Plugin = {
  name: 'aws-schema-keys',
  setup(b) {
    b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const constants = new Map<string, string>();
      for (const m of text.matchAll(/^const (\w+) = ("[^"\\]*");$/gm)) constants.set(m[1] as string, m[2] as string);
      const contents = text.replace(/([{,]\s*)\[(\w+)\]:/g, (whole, before: string, name: string) => {
        const literal = constants.get(name);
        return literal === undefined ? whole : `${before}${literal}:`;
      });
      return { contents, loader: 'js' };
    });
  },
};

/**
 * zod's namespace (`import { z } from 'zod'`) carries `z.locales`, its error messages in 50 languages (300 KB),
 * which keeps them all in the bundle. snapaudit's messages are its own and zod's default is English (`en`, which zod
 * loads itself): `z.locales` holds only that.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
    }));
  },
};

rmSync(dist, { recursive: true, force: true });
if (process.argv[2] === 'clean') process.exit(0);

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'src/cli/main.ts',
    'heap-policy': 'src/cli/heap-policy.ts',
    'scan-command': 'src/cli/scan-command.ts',
    'report-command': 'src/cli/report-command.ts',
    'tickets-command': 'src/cli/tickets-command.ts',
  },
  outdir: out,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'linked',
  define: { SNAPAUDIT_BUNDLED: 'true' },
  // the CommonJS packages inside the bundle require() node's built-ins
  banner: {
    js: "import { createRequire as snapauditCreateRequire } from 'node:module';const require=snapauditCreateRequire(import.meta.url);",
  },
  plugins: [commonJsDynamicImports, awsSchemaKeys, zodEnglishOnly],
  metafile: true,
  logLevel: 'warning',
});
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
