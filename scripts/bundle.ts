// The esbuild settings of the compiled package (scripts/build.ts bundles the CLI with them; bench/run.ts --compiled
// bundles its scanner process with the same): ES modules for Node 22, code splitting so that every `import()` stays
// lazy, packages from their ES module builds (`module`: the AWS SDK's dist-es) so that only what the code uses of them
// is kept, whitespace and syntax minified but not identifiers (the errors the CLI tells apart carry explicit names),
// ASCII output (V8 keeps every module's source as one byte per character), source maps without the sources, and each
// chunk's legal comments in a .LEGAL.txt beside it. docs/development.md, "The compiled package".
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';

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

/** The options that bundle these entry points (name → source file, relative to `root`) into `outdir`. */
export function bundleOptions(root: string, entryPoints: Record<string, string>, outdir: string): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints,
    outdir,
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
    // providers/aws/clients.ts: import the SDK modules the bundle holds, rather than require() the packages
    define: { SNAPAUDIT_BUNDLED: 'true' },
    // the CommonJS packages inside the bundle require() node's built-ins
    banner: {
      js: "import { createRequire as snapauditCreateRequire } from 'node:module';const require=snapauditCreateRequire(import.meta.url);",
    },
    plugins: [commonJsDynamicImports, awsSchemaKeys, zodEnglishOnly],
    metafile: true,
    logLevel: 'warning',
  };
}
