/**
 * One case format for every table-driven semantics suite (the AWS, Azure and GCP who-can evaluators, and any rule
 * taken from a cloud's documentation). A case file is JSON:
 *
 *   { "description": "what the file covers",
 *     "cases": [ { "name": "…", "source": "https://docs… (the documented rule this case encodes)",
 *                  "input": { … }, "expect": { … } } ] }
 *
 * `source` is required: semantics come from the clouds' documentation, not from our own tests, so every case cites
 * the page (URL, with a section anchor or quoted heading where the page is long) that states the rule. `input` and
 * `expect` are the suite's own shapes. `describeCases` generates one test per case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';

export interface DocumentedCase<I = unknown, E = unknown> {
  name: string;
  /** The documentation that states the rule this case encodes. */
  source: string;
  input: I;
  expect: E;
}

export interface CaseFile<I = unknown, E = unknown> {
  file: string;
  description: string;
  cases: DocumentedCase<I, E>[];
}

/** Problems with a parsed case file, as "file: case: what" lines (empty when it is well formed). */
export function caseFileProblems(file: string, data: unknown): string[] {
  const problems: string[] = [];
  if (typeof data !== 'object' || data === null) return [`${file}: not a JSON object`];
  const d = data as Record<string, unknown>;
  if (typeof d.description !== 'string' || !d.description.trim()) problems.push(`${file}: "description" is missing`);
  if (!Array.isArray(d.cases) || d.cases.length === 0) return [...problems, `${file}: "cases" must be a non-empty array`];
  const seen = new Set<string>();
  for (const [i, c] of (d.cases as unknown[]).entries()) {
    const at = `${file}: case ${i}`;
    if (typeof c !== 'object' || c === null) {
      problems.push(`${at}: not an object`);
      continue;
    }
    const k = c as Record<string, unknown>;
    if (typeof k.name !== 'string' || !k.name.trim()) problems.push(`${at}: "name" is missing`);
    else if (seen.has(k.name)) problems.push(`${at}: duplicate name "${k.name}"`);
    else seen.add(k.name);
    if (typeof k.source !== 'string' || !/^https:\/\/\S+/.test(k.source))
      problems.push(`${at} (${String(k.name)}): "source" must cite the documentation with an https:// URL`);
    if (!('input' in k)) problems.push(`${at} (${String(k.name)}): "input" is missing`);
    if (!('expect' in k)) problems.push(`${at} (${String(k.name)}): "expect" is missing`);
    const extra = Object.keys(k).filter((key) => !['name', 'source', 'input', 'expect', 'note'].includes(key));
    if (extra.length) problems.push(`${at} (${String(k.name)}): unknown field(s) ${extra.join(', ')}`);
  }
  return problems;
}

/** Every `*.json` case file in `dir` whose name matches `pattern`, sorted by name; throws on a malformed file. */
export function loadCaseFiles<I, E>(dir: URL, pattern: RegExp = /\.json$/): CaseFile<I, E>[] {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && pattern.test(f))
    .sort();
  if (names.length === 0) throw new Error(`no case files matching ${pattern} in ${dir.pathname}`);
  return names.map((file) => {
    const data: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    const problems = caseFileProblems(file, data);
    if (problems.length) throw new Error(problems.join('\n'));
    const d = data as { description: string; cases: DocumentedCase<I, E>[] };
    return { file, description: d.description, cases: d.cases };
  });
}

/** One `describe` per file and one `it` per case; `run` asserts the case. */
export function describeCases<I, E>(dir: URL, pattern: RegExp, run: (c: DocumentedCase<I, E>) => void | Promise<void>): CaseFile<I, E>[] {
  const files = loadCaseFiles<I, E>(dir, pattern);
  for (const f of files) {
    describe(f.file, () => {
      for (const c of f.cases) it(c.name, () => run(c));
    });
  }
  return files;
}
