/**
 * The hostile-estate suite (issue #13): an organisation whose names, tags, labels, descriptions and principals hold
 * terminal sequences, invisible characters, markup and links, spreadsheet formulas and lone surrogates, and whose
 * failing calls echo credentials of every shape — driven through every command and every output format, to prove
 * that nothing of any class survives: no control sequence reaches a terminal, no cloud text becomes a link, image,
 * list, heading or markup in Markdown (rendered by cmark-gfm, as GitHub does) or in a ticket, no formula reaches a
 * spreadsheet, every file is valid UTF-8, and no credential appears in any output, log line, ticket or the state file.
 */
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { findFramework } from '../../src/core/frameworks/index.ts';
import { startGithub } from '../tickets/servers/github.ts';
import type { Recorded } from '../tickets/servers/harness.ts';
import { startJira } from '../tickets/servers/jira.ts';
import { startServiceNow } from '../tickets/servers/servicenow.ts';
import { startWebhookReceiver } from '../tickets/servers/webhook.ts';
import { demoEstate, demoProviders } from '../resilience/support.ts';
import { CANARIES, leaks } from '../support/canaries.ts';
import { type CliRun, runCli, tempDir } from '../support/cli.ts';
import { parseCsv } from '../support/csv.ts';
import { renderGfm } from '../support/gfm.ts';
import { hostileEstate } from '../support/hostile-estate.ts';
import { RAW_DOCUMENT_CONTROL, RAW_TERMINAL_CONTROL } from '../support/hostile.ts';
import { fastRetry } from '../support/lab.ts';
import { assertWellFormedXml, markup } from '../support/markup.ts';

const T1 = '2026-11-25T00:00:00.000Z';
const T2 = '2026-11-26T00:00:00.000Z';
const FRAMEWORKS = 'nist-800-53,cis-aws,cis-azure,cis-gcp';
const ALL_FORMATS = 'json,html,csv,md,sarif,ocsf,junit';

/** Lines a cloud value could forge if its line breaks reached a terminal, a Markdown body or a ticket. */
const FORGED_LINE = /^\s*(- injected item|# injected heading|\| a \| b \|)/m;
/** What the spreadsheet guard must neutralise (OWASP CSV injection), leading spaces, `;` and fullwidth forms included. */
const FORMULA = /^[\s;]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B]/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      strings(x, out);
    }
  }
  return out;
}

interface Sent {
  sink: string;
  /** Ticket titles, summaries, short descriptions: one line each. */
  titles: string[];
  /** GitHub-flavoured Markdown bodies and comments. */
  markdown: string[];
  /** Jira wiki bodies and comments. */
  wiki: string[];
  /** Atlassian Document Format documents. */
  adf: unknown[];
  /** ServiceNow plain-text fields. */
  plain: string[];
  /** Every request body, raw. */
  raw: string[];
}

/** The fields of the five sinks' request bodies that carry ticket text. */
interface SentBody {
  title?: string;
  body?: unknown;
  ticket?: { title: string; body: string };
  comment?: string | null;
  short_description?: string;
  description?: string;
  work_notes?: string;
  close_notes?: string;
  fields?: { summary?: string; description?: unknown };
}

function sentBy(sink: string, requests: Recorded[]): Sent {
  const s: Sent = { sink, titles: [], markdown: [], wiki: [], adf: [], plain: [], raw: [] };
  for (const r of requests) {
    s.raw.push(r.body, r.path, r.query.toString());
    if (!r.body || r.method === 'GET') continue;
    const b = JSON.parse(r.body) as SentBody;
    if (sink === 'github') {
      if (b.title) s.titles.push(b.title);
      if (typeof b.body === 'string') s.markdown.push(b.body);
    } else if (sink === 'webhook' && b.ticket) {
      s.titles.push(b.ticket.title);
      s.markdown.push(b.ticket.body, ...(b.comment ? [b.comment] : []));
    } else if (sink === 'servicenow') {
      if (b.short_description) s.titles.push(b.short_description);
      for (const text of [b.description, b.work_notes, b.close_notes]) if (text) s.plain.push(text);
    } else {
      const fields = b.fields ?? {};
      if (fields.summary) s.titles.push(fields.summary);
      for (const body of [fields.description, b.body].filter((x) => x !== undefined)) {
        if (typeof body === 'string') s.wiki.push(body);
        else s.adf.push(body);
      }
    }
  }
  return s;
}

describe('a hostile estate through every command and output format', () => {
  const runs: Array<{ name: string; run: CliRun; tty?: boolean }> = [];
  let cwd = '';
  let estates = '';
  let files: string[] = [];
  const sent: Sent[] = [];

  beforeAll(async () => {
    cwd = tempDir('snapaudit-hostile-estate-');
    estates = tempDir('snapaudit-hostile-estates-');
    const estate = (name: string, e: unknown) => {
      writeFileSync(join(estates, name), JSON.stringify(e));
      return join(estates, name);
    };
    const clean = estate('clean.json', demoEstate());
    const hostile = estate('hostile.json', hostileEstate({ additions: true }));
    const signIn = estate('sign-in.json', hostileEstate({ additions: false, echo: 'sign-in' }));

    const secrets = {
      github: 'ghp_suiteGithubToken0000000000000000000',
      jiraEmail: 'bot@example.com',
      jiraCloud: 'jira-cloud-suite-token-00000',
      jiraDc: 'jira-dc-suite-token-00000',
      snUser: 'snapaudit',
      snPassword: 'sn-suite-password-00000',
      webhook: 'webhook-suite-secret-00000',
    };
    const github = await startGithub({ token: secrets.github, repos: ['acme/sec'] });
    const jiraCloud = await startJira({ deployment: 'cloud', email: secrets.jiraEmail, token: secrets.jiraCloud });
    const jiraDc = await startJira({ deployment: 'datacenter', token: secrets.jiraDc });
    const servicenow = await startServiceNow({ user: secrets.snUser, password: secrets.snPassword });
    const webhook = await startWebhookReceiver({ secret: secrets.webhook });
    const env = {
      SNAPAUDIT_GITHUB_TOKEN: secrets.github,
      SNAPAUDIT_JIRA_EMAIL: secrets.jiraEmail,
      SNAPAUDIT_JIRA_API_TOKEN: secrets.jiraCloud,
      SNAPAUDIT_JIRA_TOKEN: secrets.jiraDc,
      SNAPAUDIT_SERVICENOW_USER: secrets.snUser,
      SNAPAUDIT_SERVICENOW_PASSWORD: secrets.snPassword,
      SNAPAUDIT_WEBHOOK_SECRET: secrets.webhook,
    };
    const base = {
      version: 1,
      providers: demoProviders,
      scan: { retry: fastRetry },
      maxGap: 100,
      failOn: 'none',
      state: { path: 'state.sqlite' },
    };
    const sinks: Record<string, Record<string, unknown>> = {
      github: { sink: 'github', grouping: 'check-scope', github: { repo: 'acme/sec', apiUrl: github.url } },
      'jira-cloud': { sink: 'jira', jira: { url: jiraCloud.url, project: 'SEC' } },
      'jira-dc': { sink: 'jira', jira: { url: jiraDc.url, project: 'SEC', deployment: 'datacenter' } },
      servicenow: { sink: 'servicenow', servicenow: { instanceUrl: servicenow.url } },
      webhook: { sink: 'webhook', grouping: 'check-scope', webhook: { url: webhook.url } },
    };
    for (const [name, sink] of Object.entries(sinks)) {
      writeFileSync(
        join(cwd, `${name}.yaml`),
        stringify({ ...base, tickets: { minSeverity: 'medium', retry: { maxAttempts: 1 }, ...sink } }),
      );
    }
    const cli = async (name: string, args: string[], opts: { tty?: boolean; onSignal?: (fire: (s: string) => void) => void } = {}) => {
      const run = await runCli(args, {
        cwd,
        env,
        ...(opts.tty ? { isTTY: true } : {}),
        ...(opts.onSignal ? { onSignal: opts.onSignal } : {}),
      });
      runs.push({ name, run, ...(opts.tty ? { tty: true } : {}) });
      return run;
    };

    /** `scan --demo` of an estate file with the shared config, writing to `out`. */
    const scan = (estate: string, out: string, ...more: string[]) => [
      'scan',
      '--demo',
      '--estate',
      estate,
      '--config',
      'github.yaml',
      '--out',
      out,
      ...more,
    ];

    try {
      // A clean scan first, so the diff lists the hostile snapshots and principals as new.
      await cli('scan clean', scan(clean, 'out-clean', '--now', T1, '--format', 'json,html,md', '--framework', FRAMEWORKS));
      await cli('scan', scan(hostile, 'out', '--now', T2, '--format', ALL_FORMATS, '--framework', FRAMEWORKS, '--log-format', 'json'));
      await cli('scan on a terminal', scan(hostile, 'out-tty', '--now', T2, '--no-state', '--log-format', 'text'), { tty: true });
      await cli('diff', ['diff', '--config', 'github.yaml']);
      await cli('diff --json', ['diff', '--config', 'github.yaml', '--json']);
      await cli('history', ['history', '--config', 'github.yaml']);
      await cli('history --json', ['history', '--config', 'github.yaml', '--json']);
      await cli('tickets sync --dry-run', ['tickets', 'sync', '--config', 'github.yaml', '--dry-run']);
      copyFileSync(join(cwd, 'state.sqlite'), join(cwd, 'state-dc.sqlite'));
      for (const name of Object.keys(sinks)) {
        await cli(`tickets sync ${name}`, [
          'tickets',
          'sync',
          '--config',
          `${name}.yaml`,
          ...(name === 'jira-dc' ? ['--state', 'state-dc.sqlite'] : []),
        ]);
      }
      await cli('report', ['report', '--from', 'out/result.json', '--out', 'report', '--format', ALL_FORMATS, '--framework', FRAMEWORKS]);
      for (const i of [0, 1])
        await cli(`scan shard ${i}`, scan(hostile, `shard${i}`, '--now', T2, '--shard', `${i}/2`, '--no-state', '--quiet'));
      await cli('merge', ['merge', 'shard0/result.json', 'shard1/result.json', '--out', 'merged', '--format', ALL_FORMATS]);
      const schedule = ['--cron', '0 0 1 1 *', '--run-now', '--max-runs', '1', '--no-state', '--format', 'json,md'];
      await cli('schedule', ['schedule', ...scan(hostile, 'out-schedule', ...schedule).slice(1)]);
      // A token endpoint that echoes its request: the sign-in fails with every credential shape in its answer.
      const later = '2026-11-27T00:00:00.000Z';
      await cli('scan, sign-in echoes', scan(signIn, 'out-sign-in', '--provider', 'azure', '--now', later, '--format', ALL_FORMATS));
      await cli('lab serve', ['lab', 'serve', '--estate', hostile, '--provider', 'gcp'], {
        onSignal: (fire) => setTimeout(() => fire('SIGINT'), 500),
      });
      writeFileSync(
        join(cwd, 'bad.yaml'),
        stringify({ version: 1, providers: { aws: { roleName: '' } }, owner: `\u001b]0;x\u0007${'\u202E'}` }),
      );
      await cli('config validate', ['config', 'validate', 'bad.yaml']);
      await cli('checks list', ['checks', 'list']);
    } finally {
      sent.push(
        sentBy('github', github.requests),
        sentBy('jira-cloud', jiraCloud.requests),
        sentBy('jira-dc', jiraDc.requests),
        sentBy('servicenow', servicenow.requests),
        sentBy('webhook', webhook.requests),
      );
      await Promise.all([github, jiraCloud, jiraDc, servicenow, webhook].map((s) => s.close()));
    }
    files = filesUnder(cwd).filter((f) => !f.endsWith('.yaml'));
  }, 600_000);

  afterAll(() => {
    for (const dir of [cwd, estates]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every command ran, each sink received tickets, and the hostile text is in the result', () => {
    for (const { name, run } of runs) {
      // config validate refuses the bad config; merge of shards with unreadable parts is an incomplete scan.
      const expected = name === 'config validate' ? 2 : name === 'merge' ? 3 : 0;
      expect(run.code, `${name}: ${run.stderr.slice(-2000)}`).toBe(expected);
    }
    for (const s of sent) expect(s.titles.length + s.markdown.length + s.plain.length, s.sink).toBeGreaterThan(0);
    const result = readFileSync(join(cwd, 'out', 'result.json'), 'utf8');
    expect(result).toContain('\\u001b]8;;https://evil.example/');
    expect(result).toContain('injected heading');
    expect(result).toContain('[REDACTED]');
  });

  it('terminal: no command prints a raw control, escape sequence, bidi or zero-width character, or a forged line', () => {
    expect(runs.length).toBeGreaterThan(15);
    for (const { name, run, tty } of runs) {
      for (const [stream, text] of [
        ['stdout', run.stdout],
        // On a terminal the progress bar redraws its line: the one control sequence snapaudit itself writes.
        ['stderr', tty ? run.stderr.replaceAll('\r\u001b[K', '') : run.stderr],
      ] as const) {
        const bad = RAW_TERMINAL_CONTROL.exec(text);
        expect(
          bad,
          `${name} ${stream}: ${JSON.stringify(text.slice(Math.max(0, (bad?.index ?? 0) - 60), (bad?.index ?? 0) + 20))}`,
        ).toBeNull();
        expect(text, `${name} ${stream}`).not.toMatch(FORGED_LINE);
      }
    }
    // The diff names the hostile principals, their escapes visible: an OSC 8 link (GCP, JSON wire), a C1 CSI colour
    // and a right-to-left override (AWS, XML wire).
    const diff = runs.find((r) => r.name === 'diff')!.run.stdout;
    expect(diff).toContain('\\u001B]8;;https://evil.example/\\u0007click');
    expect(diff).toContain('user/evil\\u009B[31mred\\u009B[0m\\u202Egnp.exe');
  });

  it('Markdown (summaries, framework views) rendered by cmark-gfm: no link, image, list, heading or markup from cloud text', () => {
    const mds = files.filter((f) => f.endsWith('.md') && !f.includes('out-clean'));
    expect(mds.length).toBeGreaterThan(5);
    const ours = new Set(FRAMEWORKS.split(',').map((id) => findFramework(id)!.source));
    for (const file of mds) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(RAW_TERMINAL_CONTROL);
      expect(text, file).not.toMatch(FORGED_LINE);
      const html = renderGfm(text);
      for (const m of html.matchAll(/<a href="([^"]*)"/g)) expect(ours.has(m[1]!), `${file}: link ${m[1]}`).toBe(true);
      expect(html, file).not.toMatch(/<(img|script|iframe|svg|details|del|input)\b/);
      expect(html, file).not.toMatch(/<(li|h[1-6]|blockquote)>\s*injected|<strong>bold|<em>it<\/em>|<code>(code|fence)/);
    }
  });

  it('HTML: the same elements and attributes as a clean report; no raw control or bidi character', () => {
    const clean = markup(readFileSync(join(cwd, 'out-clean', 'report.html'), 'utf8'));
    for (const file of files.filter((f) => f.endsWith('.html') && !f.includes('out-clean'))) {
      const html = readFileSync(file, 'utf8');
      const dirty = markup(html);
      expect(
        [...dirty.tags.keys()].filter((t) => !clean.tags.has(t)),
        file,
      ).toEqual([]);
      expect(
        [...dirty.attributes].filter((a) => !clean.attributes.has(a)),
        file,
      ).toEqual([]);
      expect(html, file).not.toMatch(RAW_DOCUMENT_CONTROL);
      expect(html, file).not.toMatch(/href="[^"]*evil/);
    }
  });

  it('CSV: every file parses with fixed width and no cell can run as a formula', () => {
    const csvs = files.filter((f) => f.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThan(5);
    let guarded = 0;
    for (const file of csvs) {
      const rows = parseCsv(readFileSync(file, 'utf8'));
      for (const [i, row] of rows.entries()) {
        expect(row.length, `${file} row ${i}`).toBe(rows[0]!.length);
        for (const cell of row) {
          expect(cell, `${file} row ${i}`).not.toMatch(FORMULA);
          expect(cell, `${file} row ${i}`).not.toMatch(RAW_DOCUMENT_CONTROL);
          if (/^'[\s;]*[=＝+]/.test(cell)) guarded++;
        }
      }
    }
    expect(guarded).toBeGreaterThan(0);
  });

  it('JSON, SARIF, OCSF and JUnit: valid UTF-8 and well-formed strings (lone surrogates became U+FFFD); XML well-formed', () => {
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    let surrogateSeen = false;
    for (const file of files.filter((f) => /\.(json|sarif|xml|md|csv|html)$/.test(f))) {
      const text = utf8.decode(readFileSync(file));
      if (/\.(json|sarif)$/.test(file)) {
        for (const s of strings(JSON.parse(text))) expect(s.isWellFormed(), `${file}: ${JSON.stringify(s.slice(0, 60))}`).toBe(true);
        surrogateSeen ||= text.includes('lone\uFFFDhigh') || text.includes('lone\\ufffdhigh');
      }
      if (file.endsWith('.xml')) assertWellFormedXml(text);
      if (file.endsWith('.sarif')) {
        // SARIF 2.1.0 §3.11.6: an unescaped `[text](target)` in a message is an embedded link.
        const messages = [...text.matchAll(/"text": "((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
        for (const msg of messages) expect(msg, file).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
      }
    }
    expect(surrogateSeen).toBe(true);
  });

  it('tickets: every notation keeps cloud text as plain, defanged, one-line text', () => {
    const LINKY = /(https?|ftp):\/\/|www\.|mailto:|javascript:/i;
    for (const s of sent) {
      for (const t of s.titles) {
        expect(t, s.sink).not.toMatch(/[\r\n]/);
        expect(t, s.sink).not.toMatch(RAW_TERMINAL_CONTROL);
        expect(t, s.sink).not.toMatch(LINKY);
      }
      for (const md of s.markdown) {
        const html = renderGfm(md);
        expect(html, s.sink).not.toMatch(/<a |<img|<script|<del|<(li|h[1-6])>\s*injected|<strong>bold|<em>it<\/em>/);
        expect(md, s.sink).not.toMatch(FORGED_LINE);
        expect(md, s.sink).not.toMatch(RAW_TERMINAL_CONTROL);
      }
      for (const w of s.wiki) {
        const prose = w.replace(/\{noformat\}[\s\S]*?\{noformat\}/g, '');
        for (const line of prose.split('\n')) {
          // Block markup only where snapaudit wrote it: its own headings and list items.
          if (/^\s*(h[1-6]|bq)\./.test(line)) expect(line, s.sink).toMatch(/^h3\. (Why it matters|Remediation|Evidence|Findings)$/);
          expect(line, s.sink).not.toMatch(/^\s*(#|\||-|\* injected|\* #)/);
        }
        expect(prose, s.sink).not.toMatch(/(^|[^\\])(\[~|\{code|\{html|![^\s!]+!)/);
        expect(prose, s.sink).not.toMatch(LINKY);
        expect(w, s.sink).not.toMatch(RAW_TERMINAL_CONTROL);
      }
      for (const doc of s.adf) {
        const walk = (n: Record<string, unknown>, inCode: boolean) => {
          expect(n.marks, s.sink).toBeUndefined();
          if (n.type === 'text' && !inCode) {
            expect(String(n.text)).not.toMatch(/[\r\n]/);
            expect(String(n.text)).not.toMatch(LINKY);
          }
          for (const c of (n.content as Record<string, unknown>[] | undefined) ?? []) walk(c, inCode || n.type === 'codeBlock');
        };
        walk(doc as Record<string, unknown>, false);
      }
      for (const p of s.plain) {
        expect(p, s.sink).not.toMatch(/\[\/?code\]/i);
        expect(p, s.sink).not.toMatch(FORGED_LINE);
        expect(p.split('\n\n').slice(0, 1).join(''), s.sink).not.toMatch(LINKY);
      }
    }
    expect(sent.find((s) => s.sink === 'jira-dc')!.wiki.length).toBeGreaterThan(0);
    expect(sent.find((s) => s.sink === 'jira-cloud')!.adf.length).toBeGreaterThan(0);
  });

  it('secrets: no canary credential, whole or in part, in any output, log line, ticket request or the state files', () => {
    const outputs: Array<[string, string]> = [
      ...runs.flatMap(
        ({ name, run }) =>
          [
            [`${name} stdout`, run.stdout],
            [`${name} stderr`, run.stderr],
          ] as Array<[string, string]>,
      ),
      ...files.map((f) => [f, readFileSync(f).toString('latin1')] as [string, string]),
      ...sent.flatMap((s) => s.raw.map((r) => [`${s.sink} request`, r] as [string, string])),
    ];
    expect(files.some((f) => f.endsWith('state.sqlite'))).toBe(true);
    expect(statSync(join(cwd, 'state.sqlite')).size).toBeGreaterThan(0);
    for (const c of CANARIES) {
      for (const [where, text] of outputs) expect(leaks(text, c.secret), `${c.shape} in ${where}`).toBeNull();
    }
    const signIn = readFileSync(join(cwd, 'out-sign-in', 'result.json'), 'utf8');
    expect(signIn).toMatch(/Microsoft Entra ID sign-in|AADSTS/);
    expect(signIn).toContain('[REDACTED]');
  });
});
