/**
 * The check tables of docs/checks.md, generated from the registry: every check (id, title, default severity, what it needs
 * collected, its options with defaults, the framework controls it evidences) and every option. `npm run
 * docs:checks` writes them between the markers in docs/checks.md; test/docs-checks.test.ts fails when they are stale.
 */
import { checks } from '../checks/index.ts';
import { providerIds } from '../src/core/model/result.ts';
import { frameworks } from '../src/core/frameworks/index.ts';

export const BEGIN = '<!-- check-table:begin (generated from the registry by `npm run docs:checks`; do not edit) -->';
export const END = '<!-- check-table:end -->';
export const COMMAND = 'npm run docs:checks';

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const providerNames: Record<string, string> = { aws: 'AWS', azure: 'Azure', gcp: 'GCP' };

/** A Markdown table with padded columns, so the raw README reads as a table too. */
function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows].map((r) => r.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(all[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...all.slice(1).map(line)].join('\n');
}

function options(check: (typeof checks)[number]): Array<[string, string, string]> {
  const defaults = check.options.parse({}) as Record<string, unknown>;
  return Object.entries(check.options.shape).map(([key, field]) => [key, JSON.stringify(defaults[key]), field.description ?? '']);
}

/** The controls of every framework but ATT&CK (every check evidences T1578.001 and DET0423). */
function controls(id: string): string {
  return frameworks
    .filter((f) => f.id !== 'mitre-attack')
    .map((f) => ({ f, ids: f.controls.filter((c) => c.checks === '*' || c.checks.includes(id)).map((c) => c.id) }))
    .filter(({ ids }) => ids.length > 0)
    .map(({ f, ids }) => `${f.id} ${ids.join(', ')}`)
    .join('; ');
}

function needs(check: (typeof checks)[number]): string {
  const what = check.needs.length ? check.needs.join(', ') : '(scan coverage)';
  const only =
    check.meta.providers.length < providerIds.length ? ` (${check.meta.providers.map((p) => providerNames[p]).join(', ')} only)` : '';
  return `${what}${only}`;
}

export function renderCheckTables(): string {
  const sorted = [...checks].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  const main = table(
    ['check', 'title', 'default severity', 'needs', 'options (default)', 'frameworks'],
    sorted.map((c) => [
      code(c.meta.id),
      c.meta.title,
      c.meta.severity,
      needs(c),
      options(c)
        .map(([k, v]) => `${code(k)}: ${code(v)}`)
        .join(', ') || '–',
      controls(c.meta.id) || '–',
    ]),
  );
  const optionRows = sorted.flatMap((c) => options(c).map(([k, v, d]) => [code(`checks.${c.meta.id}.${k}`), code(v), d]));
  const opts = table(['option', 'default', 'meaning'], optionRows);
  return `${BEGIN}\n\n${main}\n\nCheck options, set under \`checks:\` in the config (see Configuration):\n\n${opts}\n\n${END}`;
}

/** docs/checks.md with the generated section replaced; throws when the markers are missing. */
export function withCheckTables(readme: string): string {
  const from = readme.indexOf(BEGIN);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`docs/checks.md has no "${BEGIN}" … "${END}" section`);
  return readme.slice(0, from) + renderCheckTables() + readme.slice(to + END.length);
}
