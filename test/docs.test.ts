/**
 * The README and the docs/ pages are what users copy: their config examples, commands, flags and links must stay
 * valid as the code moves. Every page is covered; a new page is covered by being in docs/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { knownChecks } from '../checks/index.ts';
import { parseConfig } from '../src/core/config/load.ts';
import { runCli } from './support/cli.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const docsPages = readdirSync(join(root, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => `docs/${f}`);
const pages = ['README.md', ...docsPages];
const text = (page: string) => readFileSync(join(root, page), 'utf8');

/** Fenced code blocks of a page: language and body. */
function blocks(page: string): Array<{ lang: string; body: string }> {
  return [...text(page).matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', body: m[2] ?? '' }));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(page: string): Set<string> {
  const withoutCode = text(page).replace(/^```[\s\S]*?^```$/gm, '');
  return new Set(
    [...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      (m[1] ?? '')
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** The top-level config examples ("version: 1 …") and the fragments of one section ("tickets: …"). */
function configExamples(page: string): string[] {
  return blocks(page)
    .filter((b) => b.lang === 'yaml' && !/^(apiVersion|name|jobs|on):/m.test(b.body))
    .map((b) => b.body);
}

describe('README and docs/', () => {
  it('the README stays short and links every docs page', () => {
    const readme = text('README.md');
    expect(readme.split('\n').length).toBeLessThan(160);
    for (const page of docsPages) expect(readme, page).toContain(`](${page})`);
  });

  it.each(pages)('%s: every relative link and anchor resolves', (page) => {
    const here = dirname(join(root, page));
    const broken: string[] = [];
    const prose = text(page)
      .replace(/^```[\s\S]*?^```$/gm, '')
      .replace(/`[^`\n]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] ?? '';
      if (/^(https?|mailto):/.test(target)) continue;
      const [file, anchor] = target.split('#');
      const path = file ? normalize(join(here, file)) : join(root, page);
      if (!existsSync(path)) {
        broken.push(target);
        continue;
      }
      if (anchor && path.endsWith('.md') && !anchors(path.slice(root.length)).has(anchor)) broken.push(target);
    }
    expect(broken).toEqual([]);
  });

  /** A page's fragments ("tickets: …", then "  jira: …") complete each other, as a reader combines them. */
  function merged(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
    for (const [k, v] of Object.entries(from)) {
      const had = into[k];
      const bothObjects = [had, v].every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
      into[k] = bothObjects ? merged({ ...(had as Record<string, unknown>) }, v as Record<string, unknown>) : v;
    }
    return into;
  }

  it.each(pages.filter((p) => configExamples(p).length > 0))('%s: every config example validates', (page) => {
    const fragments: Record<string, unknown> = {};
    for (const body of configExamples(page)) {
      const data = parse(body) as Record<string, unknown>;
      if ('version' in data) expect(() => parseConfig(data, `${page} example`, knownChecks), body.slice(0, 80)).not.toThrow();
      else merged(fragments, data);
    }
    if (Object.keys(fragments).length === 0) return;
    const whole = { version: 1, providers: { aws: {} }, ...fragments };
    expect(() => parseConfig(whole, `${page} fragments`, knownChecks)).not.toThrow();
  });

  it('docs/configuration.md holds a whole config reference', () => {
    const full = configExamples('docs/configuration.md').find((b) => /^version: 1/m.test(b));
    expect(full).toBeDefined();
    const config = parseConfig(parse(full ?? ''), 'configuration reference', knownChecks);
    expect(config.providers.aws).toBeDefined();
    expect(Object.keys(config.checks).length).toBeGreaterThan(0);
  });

  it('docs/cli.md documents every command and every flag the CLI has', async () => {
    const help = (await runCli(['--help'])).stdout;
    const cli = text('docs/cli.md');
    const commands = [...help.matchAll(/^ {2}([a-z]+)(?: |\[|$)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(5);
    for (const c of commands) expect(cli).toContain(`snapaudit ${c}`);
    const scanHelp = (await runCli(['scan', '--help'])).stdout;
    const flags = [...new Set([...scanHelp.matchAll(/(--[a-z][a-z-]+)/g)].map((m) => m[1] ?? ''))];
    expect(flags.length).toBeGreaterThan(5);
    for (const f of flags) expect(cli, f).toContain(f);
  });

  it.each(pages)('%s: every snapaudit command line shown names a real command', async (page) => {
    const help = (await runCli(['--help'])).stdout;
    const commands = new Set([...help.matchAll(/^ {2}([a-z]+)(?: |\[|$)/gm)].map((m) => m[1]));
    for (const b of blocks(page).filter((x) => ['sh', 'bash', 'shell', ''].includes(x.lang))) {
      for (const m of b.body.matchAll(/(?:^|[\s;&|(])(?:npx )?snapaudit ([a-z]+)/gm)) {
        expect(commands, `${page}: snapaudit ${m[1]}`).toContain(m[1]);
      }
    }
  });
});
