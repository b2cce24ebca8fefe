// node bench/replicate-result.ts --from result.json --times N --out result-xN.json
//
// A larger result for measuring `report --from` (and `merge`) at a scale no scan in a session can reach: every scope of
// --from written N times, the first as read and each other copy under an id of its own — the scope's id replaced
// wherever the scope's JSON holds it by another of the same form (an AWS account's 12 digits, an Azure subscription's
// GUID, a GCP project id with a suffix), each finding's fingerprint derived anew from it — and the header's scope and
// call counters multiplied. So a ×0.1 bench result written 100 times has the ×10 estate's scopes (2,000 accounts, 500
// subscriptions, 1,000 projects), each as large as a scanned one, though the copies are equal apart from their ids.
// Read scope by scope and written through the scan's spool, like `report --from` itself: the copy is never held whole.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScanResultInto } from '../src/cli/report-command.ts';
import type { ScanResult, ScopeResult } from '../src/core/model/result.ts';
import { SpoolSink, writeSpooledResult } from '../src/engine/spool.ts';

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    times: { type: 'string', default: '10' },
    out: { type: 'string' },
  },
});
const times = Number(values.times);
if (!values.from || !values.out || !Number.isInteger(times) || times < 1) {
  throw new Error('usage: node bench/replicate-result.ts --from result.json --times N --out result-xN.json');
}

const hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Copy `k`'s id for a scope: the same form as the original (the schema and the renderers see a real-looking id). */
function replicaId(provider: string, id: string, k: number): string {
  if (k === 0) return id;
  const h = hex(`${id}\u001f${k}`);
  if (provider === 'aws')
    return BigInt(`0x${h.slice(0, 15)}`)
      .toString()
      .padStart(12, '0')
      .slice(-12);
  if (provider === 'azure') return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return `${id}-r${k}`;
}

function replica(scope: ScopeResult, k: number): ScopeResult {
  if (k === 0) return scope;
  const id = scope.scope.id;
  const copy = JSON.parse(
    JSON.stringify(scope)
      .split(id)
      .join(replicaId(scope.scope.provider, id, k)),
  ) as ScopeResult;
  for (const f of copy.findings) f.fingerprint = hex(`${f.fingerprint}\u001f${copy.scope.id}`).slice(0, 24);
  return copy;
}

const spool = new SpoolSink();
try {
  const header: ScanResult = await loadScanResultInto(resolve(values.from), {
    add(scope) {
      for (let k = 0; k < times; k++) spool.add(replica(scope, k));
    },
  });
  const s = header.stats.scopes;
  const scaled: ScanResult = {
    ...header,
    stats: {
      ...header.stats,
      scopes: {
        total: s.total * times,
        complete: s.complete * times,
        partial: s.partial * times,
        failed: s.failed * times,
        interrupted: s.interrupted * times,
      },
      apiCalls: header.stats.apiCalls * times,
    },
    discovery: header.discovery.map((d) => ({ ...d, scopesFound: d.scopesFound * times, scopesSelected: d.scopesSelected * times })),
  };
  await writeSpooledResult(resolve(values.out), scaled, spool);
  console.log(`wrote ${values.out}: ${spool.size} scopes (${times} × ${spool.size / times})`);
} finally {
  spool.close();
}
