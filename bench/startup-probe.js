// Preloaded (node --import) into every process of the startup and small-org benches (bench/startup.ts,
// bench/small-org.ts): records when the process made its first outgoing HTTP request (absolute ms), its peak RSS up to
// that request and, at exit, its peak RSS, as one JSON line appended to the file STARTUP_PROBE names. The CLI may
// relaunch itself under its heap policy: each process writes its own line. With STARTUP_PROBE_STOP=1 a process ends
// (exit 0) at its first request: the start-up alone is measured.
// Plain JavaScript, like bin/snapaudit.js: a TypeScript probe would load Node's type stripper into every process it
// measures, and a compiled CLI (dist/, as users run it) never loads it — some 250 M instructions and 17 MB of RSS per
// process that are the probe's, not the CLI's.
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';

const file = process.env.STARTUP_PROBE;
const stop = process.env.STARTUP_PROBE_STOP === '1';
/** @type {number | null} */
let firstRequestAt = null;
/** @type {number | null} */
let firstRequestRss = null;
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
