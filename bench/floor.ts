// `npm run bench -- --floor`: what the lab and the machine allow at best, measured before the scanners run. A plain
// client (node:https over one keep-alive pool, `JSON.parse` of each answer, nothing else) reads the Azure lab's
// snapshot listing of each subscription in turn, `concurrency` requests in flight, and reports the time per request.
// Above the latency it is the lab's own time (a timer's lateness, serving, TLS) and the machine's: the part of a
// scanner's time efficiency that no scanner could remove against this lab.
import https from 'node:https';
import type { LabAddress } from './estate.ts';

interface Answer {
  status: number;
  body: string;
}

export interface Floor {
  requests: number;
  /** Wall time per request at `concurrency` in flight (ms): wall × in flight ÷ requests. */
  msPerRequest: number;
  /** The client's own CPU (ms) over all the requests. */
  clientCpuMs: number;
}

export async function measureFloor(lab: LabAddress, concurrency: number, requests: number): Promise<Floor> {
  const endpoint = lab.endpoints.azure;
  const cred = lab.credentials.azure as { tenantId: string; clientId: string; clientSecret: string } | undefined;
  if (!endpoint || !cred) throw new Error('--floor reads the Azure lab: add azure to --providers');
  const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ...(lab.ca ? { ca: lab.ca } : {}) });
  const send = (method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = https.request(new URL(path, endpoint), { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: cred.clientId,
      client_secret: cred.clientSecret,
      scope: `${endpoint}/.default`,
    }).toString();
    const signIn = await send('POST', `/${cred.tenantId}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded' }, form);
    const token = (JSON.parse(signIn.body) as { access_token?: string }).access_token;
    if (!token) throw new Error(`--floor: the lab refused the sign-in (${signIn.status})`);
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const listed = JSON.parse((await send('GET', '/subscriptions?api-version=2022-12-01', headers)).body) as {
      value?: Array<{ subscriptionId: string }>;
    };
    const subscriptions = (listed.value ?? []).map((s) => s.subscriptionId);
    if (subscriptions.length === 0) throw new Error('--floor: the lab lists no subscription');
    let next = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          const sub = subscriptions[next++ % subscriptions.length] as string;
          const answer = await send('GET', `/subscriptions/${sub}/providers/Microsoft.Compute/snapshots?api-version=2026-03-02`, headers);
          if (answer.status !== 200) throw new Error(`--floor: the lab answered ${answer.status}`);
          JSON.parse(answer.body);
        }
      }),
    );
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return { requests, msPerRequest: (wall * concurrency) / requests, clientCpuMs: (used.user + used.system) / 1000 };
  } finally {
    agent.destroy();
  }
}
