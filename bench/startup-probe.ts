// Preloaded (node --import) into every process of the startup bench (bench/startup.ts): records when the process
// made its first outgoing HTTP request (absolute ms) and, at exit, its peak RSS, as one JSON line appended to the file
// STARTUP_PROBE names. The CLI may relaunch itself under its heap policy: each process writes its own line.
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';

const file = process.env.STARTUP_PROBE;
let firstRequestAt: number | null = null;
const first = () => {
  firstRequestAt ??= performance.timeOrigin + performance.now();
};
subscribe('http.client.request.created', first);
subscribe('undici:request:create', first);
process.on('exit', () => {
  if (!file) return;
  const line = { pid: process.pid, startedAt: performance.timeOrigin, firstRequestAt, peakRss: process.resourceUsage().maxRSS * 1024 };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
});
