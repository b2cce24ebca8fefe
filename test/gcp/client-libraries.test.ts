/**
 * The GCP provider reads every Google API over REST through the auth client alone. The Google Cloud client libraries
 * it used to build would load their protobuf descriptors (Compute's alone some 100 MB of RSS) and google-gax — three
 * copies of it, of two majors — for the same REST/JSON wire (docs/large-organisations.md, where memory goes). These
 * tests keep them out: none is named by the provider's code, and loading the adapter loads none of them.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const gcpDir = join(root, 'providers', 'gcp');
const library = /^(@google-cloud\/|google-gax(\/|$))/;

function sources(): string[] {
  return readdirSync(gcpDir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Every module a file names: static and dynamic imports, type imports, require() and createRequire() calls. */
function specifiers(text: string): string[] {
  return [...text.matchAll(/\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]|\brequire\w*\s*\([^)]*?['"]([^'"]+)['"]/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );
}

describe('GCP: no Google Cloud client library', () => {
  it('the provider names none (only google-auth-library)', () => {
    const named = sources().flatMap((f) =>
      specifiers(readFileSync(f, 'utf8'))
        .filter((s) => library.test(s))
        .map((s) => `${relative(root, f)} → ${s}`),
    );
    expect(named).toEqual([]);
    // The check sees what it looks for: the auth client's package is named.
    expect(specifiers(readFileSync(join(gcpDir, 'clients.ts'), 'utf8'))).toContain('google-auth-library');
  });

  it('loading the adapter loads none of them, nor google-gax (a fresh process)', () => {
    const script = [
      "import { createRequire } from 'node:module';",
      `await import(${JSON.stringify(join(gcpDir, 'adapter.ts'))});`,
      'const loaded = Object.keys(createRequire(import.meta.url).cache);',
      "console.log(JSON.stringify(loaded.map((k) => k.split('node_modules/').pop())));",
    ].join('\n');
    const loaded = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }),
    ) as string[];
    expect(loaded.filter((m) => library.test(m))).toEqual([]);
    expect(loaded.some((m) => m.startsWith('google-auth-library/'))).toBe(true);
  });
});
