/**
 * The layers are data (layers.json); this test holds the code to them: every relative import follows an allowed
 * edge, no cloud's adapter or lab imports another cloud's, cloud SDKs are imported only by providers, and the
 * layered code has no import cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Layers {
  layers: { name: string; paths: string[] }[];
  allow: Record<string, string[]>;
  isolated: { paths: string[] }[];
  sdkPackages: string[];
  sdkLayers: string[];
}

const root = join(import.meta.dirname, '..');
const rules = JSON.parse(readFileSync(join(root, 'layers.json'), 'utf8')) as Layers;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((f) => !f.split('/').includes('node_modules'));
}

const files = ['src', 'providers', 'checks', 'reports', 'lab', 'test', 'bench', 'scripts', 'bin'].flatMap(sources).sort();
const layerOf = (file: string): string | null => rules.layers.find((l) => l.paths.some((p) => file.startsWith(p)))?.name ?? null;

/** Every import/export specifier of a file (static and dynamic), with the resolved path for relative ones. */
function importsOf(file: string): { spec: string; target: string | null }[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [
    ...text.matchAll(
      /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return specs.map((spec) => ({ spec, target: spec.startsWith('.') ? normalize(join(dirname(file), spec)) : null }));
}

const graph = new Map(files.map((f) => [f, importsOf(f)] as const));

describe('layers', () => {
  it('every file of the code belongs to a layer', () => {
    expect(files.filter((f) => layerOf(f) === null)).toEqual([]);
  });

  it('every relative import follows an allowed edge (layers.json)', () => {
    const against: string[] = [];
    for (const [file, imports] of graph) {
      const from = layerOf(file)!;
      for (const { spec, target } of imports) {
        if (!target) continue;
        const to = layerOf(target);
        if (to === null) {
          if (from !== 'tools') against.push(`${file} → ${spec}: outside every layer`);
          continue;
        }
        if (to !== from && !rules.allow[from]?.includes(to)) against.push(`${file} (${from}) → ${target} (${to})`);
      }
    }
    expect(against).toEqual([]);
  });

  it("no cloud's adapter or lab imports another cloud's", () => {
    const against: string[] = [];
    for (const group of rules.isolated) {
      const home = (f: string) => group.paths.find((p) => f.startsWith(p));
      for (const [file, imports] of graph) {
        const mine = home(file);
        if (!mine) continue;
        for (const { target } of imports) {
          const theirs = target ? home(target) : undefined;
          if (theirs && theirs !== mine) against.push(`${file} → ${target}`);
        }
      }
    }
    expect(against).toEqual([]);
  });

  it('cloud SDKs are imported only where layers.json allows (providers and tools)', () => {
    const against: string[] = [];
    for (const [file, imports] of graph) {
      if (rules.sdkLayers.includes(layerOf(file)!)) continue;
      for (const { spec, target } of imports)
        if (!target && rules.sdkPackages.some((p) => spec === p || spec.startsWith(p))) against.push(`${file} → ${spec}`);
    }
    expect(against).toEqual([]);
  });

  it('the layered code has no import cycle', () => {
    const code = files.filter((f) => layerOf(f) !== 'tools');
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const { target } of graph.get(f) ?? [])
        if (target && graph.has(target) && layerOf(target) !== 'tools') visit(target, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of code) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

describe('the layer test itself', () => {
  it('sees the imports it judges (a known edge is found)', () => {
    const define = graph.get('checks/define-check.ts') ?? [];
    expect(define.some((i) => i.target === 'src/core/model/result.ts')).toBe(true);
  });
});
