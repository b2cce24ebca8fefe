/**
 * Ticket policy: grouping per check × scope with a checklist, routing by owner, suppressions closing and expired
 * suppressions reopening, severity/check selection, webhook signatures, and credentials that never leak.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/load.ts';
import { resolveCredentials } from '../../src/tickets/credentials.ts';
import { toAdf, toJiraWiki, toMarkdown } from '../../src/tickets/render.ts';
import { signWebhook, verifyWebhook } from '../../src/tickets/sinks/webhook.ts';
import type { Loopback } from './servers/harness.ts';
import { startGithub } from './servers/github.ts';
import { startJira } from './servers/jira.ts';
import { startServiceNow } from './servers/servicenow.ts';
import { startWebhookReceiver } from './servers/webhook.ts';
import { makePrincipal } from '../support/factories.ts';
import { A, outcomes, publicSnap, TicketWorld } from './support.ts';

const servers: Loopback[] = [];
const worlds: TicketWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) w.close();
  for (const s of servers.splice(0)) await s.close();
});

async function github(tickets: Record<string, unknown>, users: string[] = []) {
  const server = await startGithub({ token: 'ghp_policytoken', repos: ['acme/security', 'acme/dba'], users });
  servers.push(server);
  const world = new TicketWorld(
    { sink: 'github', github: { repo: 'acme/security', apiUrl: server.url }, ...tickets },
    { kind: 'github', token: 'ghp_policytoken' },
  );
  worlds.push(world);
  return { server, world, issues: (repo = 'acme/security') => server.issues.get(repo) ?? [] };
}

describe('grouping per check × scope', () => {
  it('keeps one ticket with a checklist, comments as members come and go, closes when all are fixed', async () => {
    const { world, issues } = await github({ minSeverity: 'critical', grouping: 'check-scope' });
    await world.scan([publicSnap('snap-000000a1'), publicSnap('snap-000000a2')]);
    expect(outcomes(await world.sync())).toEqual(['created']);
    expect(issues()).toHaveLength(1);
    const issue = issues()[0]!;
    expect(issue.title).toBe(`[snapaudit] CRITICAL snapshots.public in aws ${A}: 2 open finding(s)`);
    expect(issue.body).toMatch(/- \[ \] snap-000000a1 \(us-east-1\): Snapshot snap-000000a1 in us-east-1 is public\./);

    await world.scan([publicSnap('snap-000000a1'), publicSnap('snap-000000a3')]);
    expect(outcomes(await world.sync())).toEqual(['commented']);
    expect(issue.comments.at(-1)).toMatch(/New:\n\n- snap-000000a3[\s\S]*Resolved:\n\n- snap-000000a2/);
    expect(issue.body).toMatch(/- \[x\] snap-000000a2 .* — resolved/);
    expect(issue.title).toMatch(/: 2 open finding\(s\)$/);

    await world.scan([]);
    expect(outcomes(await world.sync())).toEqual(['closed']);
    expect(issue.state).toBe('closed');
    expect(issues()).toHaveLength(1);
  });
});

describe('routing and selection', () => {
  it('takes project, labels and assignee from the finding owner, and only opens tickets for the selected severities and checks', async () => {
    const { world, issues } = await github(
      {
        minSeverity: 'high',
        checks: { include: ['snapshots.*'], exclude: ['snapshots.unencrypted'] },
        labels: ['snapaudit'],
        assignee: 'secops-lead',
        owners: [{ owner: 'dba-*', project: 'acme/dba', assignee: 'dba-oncall', labels: ['team:dba'] }],
      },
      ['secops-lead', 'dba-oncall'],
    );
    await world.scan([
      publicSnap('snap-000000a1', { owner: 'dba-team', encryption: 'unencrypted' }),
      publicSnap('snap-000000a2', { owner: 'web-team' }),
    ]);
    await world.sync();
    const dba = issues('acme/dba');
    expect(dba).toHaveLength(1);
    expect(dba[0]!.assignees).toEqual(['dba-oncall']);
    expect(dba[0]!.labels).toEqual(expect.arrayContaining(['snapaudit', 'team:dba']));
    const sec = issues('acme/security');
    expect(sec).toHaveLength(1);
    expect(sec[0]!.assignees).toEqual(['secops-lead']);
    // medium findings (unencrypted, no-owner…) and excluded checks open nothing
    expect([...dba, ...sec].every((i) => i.title.includes('snapshots.public'))).toBe(true);
  });
});

describe('owners by name (issue #17)', () => {
  const PRIYA = '5e0c1a2b-7d3f-4e61-9a8b-0c1d2e3f4a51';
  const EVE = '5e0c1a2b-7d3f-4e61-9a8b-0c1d2e3f4a59';
  const member = (id: string, name: string, login: string) => ({
    id,
    type: 'user' as const,
    name,
    identity: {
      source: 'identity-center' as const,
      kind: 'member' as const,
      displayName: name,
      login,
      enabled: 'yes' as const,
      appId: null,
    },
  });
  // The directory named the snapshots' creators as members of a role's assignees.
  const role = makePrincipal({
    id: 'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_SnapshotAdmin_0123456789abcdef',
    type: 'role',
    name: 'AWSReservedSSO_SnapshotAdmin_0123456789abcdef',
    members: [member(PRIYA, 'Priya Raman', 'priya@dba.example.com'), member(EVE, 'dba-lead', 'eve@example.com')],
  });
  const created = (id: string, owner: string) => ({
    ...publicSnap(id),
    owner: { value: owner, source: 'audit-event' as const, detail: null },
  });

  it('shows the owner by name with the id beside, and routes by its id or sign-in name, never by its display name', async () => {
    const { world, issues } = await github(
      {
        minSeverity: 'critical',
        assignee: 'secops-lead',
        owners: [
          { owner: '*@dba.example.com', project: 'acme/dba', assignee: 'dba-oncall' },
          // A display name is free text its holder sets: it must not steer the ticket.
          { owner: 'dba-*', project: 'acme/dba', assignee: 'dba-oncall' },
        ],
      },
      ['secops-lead', 'dba-oncall'],
    );
    await world.scan([created('snap-000000a1', PRIYA), created('snap-000000a2', EVE)], [], { principals: [role] });
    await world.sync();
    const dba = issues('acme/dba');
    expect(dba).toHaveLength(1);
    expect(dba[0]!.assignees).toEqual(['dba-oncall']);
    // Hostile-text rules still apply: the sign-in name is defanged (no mailto link, no mention).
    expect(dba[0]!.body).toContain(`Owner: Priya Raman (priya@dba\\[.\\]example\\[.\\]com, ${PRIYA})`);
    const sec = issues('acme/security');
    expect(sec).toHaveLength(1);
    expect(sec[0]!.assignees).toEqual(['secops-lead']);
    expect(sec[0]!.body).toContain(`Owner: dba-lead (eve@example\\[.\\]com, ${EVE})`);
    // Names first for the resource too, the id beside.
    expect(sec[0]!.body).toContain('Resource: disk-snapshot snap-000000a2 (arn:aws:ec2:us-east-1::snapshot/snap-000000a2)');
  });
});

describe('suppressions and tickets', () => {
  it('closes the ticket of a suppressed finding as not planned, and reopens it when the suppression expires', async () => {
    const { world, issues } = await github({ minSeverity: 'critical' });
    const snap = publicSnap('snap-000000a1');
    await world.scan([snap]);
    await world.sync();
    const rule = {
      check: 'snapshots.public',
      resource: '*snap-000000a1',
      reason: 'public AMI for the marketplace',
      owner: 'alice',
      expires: '2026-11-03',
    };
    await world.scan([snap], [rule]); // day 2: suppressed
    expect(outcomes(await world.sync())).toEqual(['closed']);
    expect(issues()[0]).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(issues()[0]!.comments.at(-1)).toMatch(/suppressed by alice until 2026-11-03/);
    await world.scan([snap], [rule]); // day 3: still within the expiry date
    expect((await world.sync()).planned).toEqual([]);
    await world.scan([snap], [rule]); // day 4: expired
    expect(outcomes(await world.sync())).toEqual(['reopened']);
    expect(issues()[0]!.state).toBe('open');
    expect(issues()[0]!.comments.at(-1)).toMatch(/suppression by alice expired on 2026-11-03/);
  });
});

describe('webhook signatures', () => {
  it('signs every delivery so the receiver verifies it; tampering, other secrets and replays are rejected', async () => {
    const server = await startWebhookReceiver({ secret: 's3cret-shared' });
    servers.push(server);
    const world = new TicketWorld(
      { sink: 'webhook', minSeverity: 'critical', webhook: { url: server.url } },
      { kind: 'webhook', secret: 's3cret-shared' },
    );
    worlds.push(world);
    await world.scan([publicSnap('snap-000000a1')]);
    await world.sync();
    expect(server.rejected).toEqual([]);
    expect(server.accepted.map((e) => e.event)).toEqual(['ticket.opened']);
    const req = server.requests[0]!;
    expect(req.headers['x-snapaudit-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const ts = String(req.headers['x-snapaudit-timestamp']);
    const sig = String(req.headers['x-snapaudit-signature']);
    expect(verifyWebhook({ secret: 's3cret-shared', body: req.body, timestamp: ts, signature: sig })).toEqual({ ok: true });
    expect(verifyWebhook({ secret: 's3cret-shared', body: `${req.body} `, timestamp: ts, signature: sig })).toMatchObject({ ok: false });
    expect(verifyWebhook({ secret: 'other', body: req.body, timestamp: ts, signature: sig })).toMatchObject({ ok: false });
    const later = (Number(ts) + 3600) * 1000;
    expect(verifyWebhook({ secret: 's3cret-shared', body: req.body, timestamp: ts, signature: sig, now: later })).toEqual({
      ok: false,
      reason: 'timestamp outside the allowed window (replay?)',
    });
    // a replay with a fresh timestamp needs a new signature, which needs the secret
    const forged = await fetch(server.url, {
      method: 'POST',
      headers: { 'x-snapaudit-timestamp': String(Number(ts) + 1), 'x-snapaudit-signature': sig, 'x-snapaudit-delivery': 'x' },
      body: req.body,
    });
    expect(forged.status).toBe(401);
    expect(signWebhook('k', 1, 'b')).toBe(signWebhook('k', 1, 'b'));
    const payload = server.accepted[0]!.payload as { ticket: { marker: string }; findings: Array<{ checkId: string }> };
    expect(payload.ticket.marker).toMatch(/^snapaudit-[0-9a-f]{24}$/);
    expect(payload.findings.map((f) => f.checkId)).toEqual(['snapshots.public']);
  });
});

describe('credentials', () => {
  it('come only from the environment, and a missing one is a config error naming the variable', () => {
    const cfg = parseConfig({ version: 1, tickets: { sink: 'jira', jira: { url: 'https://acme.atlassian.net', project: 'SEC' } } });
    expect(() => resolveCredentials(cfg.tickets!, {})).toThrow(/SNAPAUDIT_JIRA_EMAIL is not set/);
    expect(() => resolveCredentials(cfg.tickets!, { SNAPAUDIT_JIRA_EMAIL: 'bot@acme.com' })).toThrow(/SNAPAUDIT_JIRA_API_TOKEN is not set/);
    expect(resolveCredentials(cfg.tickets!, { SNAPAUDIT_JIRA_EMAIL: 'bot@acme.com', SNAPAUDIT_JIRA_API_TOKEN: 't0k' })).toEqual({
      kind: 'jira-basic',
      email: 'bot@acme.com',
      apiToken: 't0k',
    });
  });

  it('never appear in logs, reports or the state file, even when the ticket system rejects them', async () => {
    const server = await startServiceNow({ user: 'snapaudit', password: 'the-right-password' });
    servers.push(server);
    const world = new TicketWorld(
      {
        sink: 'servicenow',
        minSeverity: 'critical',
        servicenow: { instanceUrl: server.url },
        retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
      },
      { kind: 'servicenow-basic', user: 'snapaudit', password: 'wrong-password-9f8e7d' },
    );
    worlds.push(world);
    await world.scan([publicSnap('snap-000000a1')]);
    const report = await world.sync();
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.message).toMatch(/HTTP 401/);
    const everything = JSON.stringify([report.failed, world.log.lines]);
    expect(everything).not.toContain('wrong-password-9f8e7d');
    expect(everything).not.toContain(Buffer.from('snapaudit:wrong-password-9f8e7d').toString('base64'));
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(world.store.path).includes('wrong-password-9f8e7d')).toBe(false);
  });
});

describe('Jira specifics', () => {
  it('uses the configured transitions and priorities, and says which transitions exist when one is missing', async () => {
    const server = await startJira({ deployment: 'cloud', email: 'bot@acme.com', token: 'tok' });
    servers.push(server);
    const world = new TicketWorld(
      {
        sink: 'jira',
        minSeverity: 'critical',
        jira: { url: server.url, project: 'SEC', resolveTransition: 'Closed', priorities: { critical: 'Highest' } },
        retry: { maxAttempts: 1 },
      },
      { kind: 'jira-basic', email: 'bot@acme.com', apiToken: 'tok' },
    );
    worlds.push(world);
    await world.scan([publicSnap('snap-000000a1')]);
    await world.sync();
    expect(server.issues[0]!.priority).toEqual({ name: 'Highest' });
    await world.scan([]);
    const report = await world.sync();
    expect(report.failed[0]!.message).toMatch(
      /no transition named "Closed" is available \(have: In Progress, Done\)\. Fix: set tickets\.jira\.resolveTransition/,
    );
  });
});

describe('ticket bodies', () => {
  it('escape cloud-supplied text in every notation', () => {
    const doc = [{ kind: 'paragraph' as const, text: 'Snapshot <img src=x onerror=alert(1)> by @mallory [link](http://evil) {code}' }];
    expect(toMarkdown(doc)).toBe('Snapshot &lt;img src=x onerror=alert(1)&gt; by \\[@\\]mallory \\[link\\](hxxp://evil) {code}\n');
    expect(toJiraWiki(doc)).toBe('Snapshot <img src=x onerror=alert\\(1\\)> by \\[\\@\\]mallory \\[link\\]\\(hxxp://evil\\) \\{code\\}');
    expect(toAdf(doc).content[0]).toEqual({
      type: 'paragraph',
      content: [{ type: 'text', text: 'Snapshot <img src=x onerror=alert(1)> by [@]mallory [link](hxxp://evil) {code}' }],
    });
  });
});
