/**
 * Serves the official Azure example payloads (../shared/fixtures/azure) over HTTPS on loopback, so the normalisers
 * are tested on what the real SDK clients make of them. The examples' placeholder nextLinks ("...",
 * "https://management.azure.com/####…") are not URLs anyone can follow: they are dropped.
 */
import { loopbackCertificate } from '../support/tls.ts';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/identity';
import { sharedFixture } from '../support/shared-fixtures.ts';

/** The official examples, found like the other shared fixtures (test/support/shared-fixtures.ts). */
export const FIXTURES = pathToFileURL(`${sharedFixture('azure')}/`);

export interface FixtureFile {
  parameters: Record<string, string>;
  responses: { '200': { body: Record<string, unknown> } };
}

export function fixture(name: string): FixtureFile {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as FixtureFile;
}

export function fixtureBody(name: string): Record<string, unknown> {
  const body = structuredClone(fixture(name).responses['200'].body);
  if (typeof body.nextLink === 'string' && !/^https:\/\/[\w.-]+(:\d+)?\/[\w/.-]*(\?[\w=&%.-]*)?$/.test(body.nextLink)) delete body.nextLink;
  if (body.nextLink === null) delete body.nextLink;
  return body;
}

/** A credential that hands out a fixed token: the fixture server does not check it. */
export const staticCredential: TokenCredential = {
  getToken: async () => ({ token: 'fixture-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export interface FixtureServer {
  endpoint: string;
  ca: string;
  requests: string[];
  close(): Promise<void>;
}

/** Routes: lower-case path → fixture file name; anything else is a 404 in ARM's error shape. */
export async function serveFixtures(routes: Record<string, string>): Promise<FixtureServer> {
  const pems = await loopbackCertificate('fixtures');
  const requests: string[] = [];
  const server = https.createServer({ cert: pems.cert, key: pems.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}`);
    const name = routes[url.pathname.toLowerCase()];
    res.setHeader('content-type', 'application/json');
    if (!name) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { code: 'NotFound', message: `no fixture for ${url.pathname}` } }));
      return;
    }
    res.end(JSON.stringify(fixtureBody(name)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca: pems.cert,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
