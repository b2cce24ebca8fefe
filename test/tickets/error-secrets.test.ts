/**
 * Regression (issue #13): ticket-system error bodies used to be cut (200 / 300 characters) before the sink's
 * credentials were redacted, so a credential the server echoed across the cut leaked its prefix — 30 of 32
 * characters of a password inside a Basic header, 28 of 39 of a GitHub token. Now every error text is redacted
 * (the sink's own secrets, then every credential shape) before it is cut, wherever the cut falls.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaks } from '../support/canaries.ts';
import { startLoopback } from './servers/harness.ts';
import { publicSnap, TicketWorld } from './support.ts';

const password = 'CanaryServiceNowPassword0123456789';
const basic = Buffer.from(`snapaudit:${password}`).toString('base64');
const githubToken = 'ghp_CanaryGithubTokenForEchoTest0123456';

/** A ticket system that refuses every request and echoes the caller's Authorization header at a given offset. */
async function echoingServer(offset: number, as: 'servicenow' | 'github') {
  return startLoopback((req) => {
    const echo = `${'x'.repeat(offset)} you sent Authorization: ${String(req.headers.authorization)} and that is wrong`;
    return as === 'github' ? { status: 401, body: { message: echo } } : { status: 401, body: { error: { message: echo } } };
  });
}

function everythingPrinted(world: TicketWorld, report: { failed: Array<{ message: string }> }): string {
  return [...report.failed.map((f) => f.message), ...world.log.lines.map((l) => JSON.stringify(l.fields))].join('\n');
}

describe('ticket error texts never leak the sink credentials, wherever the message is cut', () => {
  for (const offset of [150, 165, 180, 195, 210, 230, 260, 275, 290]) {
    it(`ServiceNow Basic credentials echoed after ${offset} characters`, async () => {
      const server = await echoingServer(offset, 'servicenow');
      const world = new TicketWorld(
        { sink: 'servicenow', minSeverity: 'high', retry: { maxAttempts: 1 }, servicenow: { instanceUrl: server.url } },
        { kind: 'servicenow-basic', user: 'snapaudit', password },
      );
      try {
        await world.scan([publicSnap('snap-1')]);
        const report = await world.sync();
        expect(report.failed.length).toBeGreaterThan(0);
        const text = everythingPrinted(world, report);
        expect(text).toMatch(/HTTP 401/);
        expect(leaks(text, password)).toBeNull();
        expect(leaks(text, basic)).toBeNull();
        for (const f of report.failed) expect(f.message.length).toBeLessThanOrEqual(300);
      } finally {
        world.close();
        rmSync(dirname(world.store.path), { recursive: true, force: true });
        await server.close();
      }
    });

    it(`GitHub token echoed after ${offset} characters`, async () => {
      const server = await echoingServer(offset, 'github');
      const world = new TicketWorld(
        { sink: 'github', minSeverity: 'high', retry: { maxAttempts: 1 }, github: { repo: 'acme/sec', apiUrl: server.url } },
        { kind: 'github', token: githubToken },
      );
      try {
        await world.scan([publicSnap('snap-1')]);
        const report = await world.sync();
        expect(report.failed.length).toBeGreaterThan(0);
        const text = everythingPrinted(world, report);
        expect(leaks(text, githubToken)).toBeNull();
      } finally {
        world.close();
        rmSync(dirname(world.store.path), { recursive: true, force: true });
        await server.close();
      }
    });
  }
});
