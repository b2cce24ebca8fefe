// Preloaded (node --import) into every process of the startup and small-org benches (bench/startup.ts,
// bench/small-org.ts): records when the process made its first outgoing HTTP request (absolute ms), its peak RSS up to
// that request and, at exit, its peak RSS, as one JSON line appended to the file STARTUP_PROBE names. The CLI may
// relaunch itself under its heap policy: each process writes its own line. With STARTUP_PROBE_STOP=1 a process ends
// (exit 0) at its first request: the start-up alone is measured.
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';

const file = process.env.STARTUP_PROBE;
const stop = process.env.STARTUP_PROBE_STOP === '1';
let firstRequestAt: number | null = null;
let firstRequestRss: number | null = null;
const first = () => {
  if (firstRequestAt !== null) return;
  firstRequestAt = performance.timeOrigin + performance.now();
  firstRequestRss = process.resourceUsage().maxRSS * 1024;
  if (stop) process.exit(0);
};
subscribe('http.client.request.created', first);
subscribe('undici:request:create', first);
process.on('exit', () => {
  if (!file) return;
  const line = {
    pid: process.pid,
    startedAt: performance.timeOrigin,
    firstRequestAt,
    firstRequestRss,
    peakRss: process.resourceUsage().maxRSS * 1024,
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
});
