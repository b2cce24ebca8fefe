import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../checks/index.ts';
import { renderJson, streamJson } from '../../reports/json.ts';
import { collect } from '../../reports/source.ts';
import { writeOutputs } from '../../src/cli/output.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { compareFindings, compareFindingsByCheck, compareStrings, scopeKey, unscopedFindings } from '../../src/core/model/order.ts';
import { runScan } from '../../src/engine/scan.ts';
import { diskStore } from '../../src/engine/deferred.ts';
import { LineReader, LineWriter, readValue, writeValue } from '../../src/engine/line-file.ts';
import { SpoolSink, writeSpooledResult, writeStreamed } from '../../src/engine/spool.ts';
import type { ProviderAdapter } from '../../providers/types.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { tempDir } from '../support/cli.ts';
import { makePrincipal, makeScope, makeSnapshot } from '../support/factories.ts';
import { NOW } from '../support/lab.ts';

const adapter: ProviderAdapter = {
  provider: 'aws',
  classifyError: () => ({ code: 'error', retryable: false, throttle: false, retryAfterMs: null, status: null, message: 'x' }),
  discover: async () => ({
    root: null,
    found: 3,
    scopes: ['333333333333', '111111111111', '222222222222'].map((id) => ({ scope: makeScope({ id, name: `n-${id}` }), blockedBy: null })),
    gaps: [],
  }),
  collect: async (scope) => ({
    logging: { sources: [], alerts: [], regions: [] },
    guards: [],
    principals: [],
    snapshots: [
      makeSnapshot({ id: `snap-${scope.id}`, resourceId: `arn:aws:ec2:us-east-1::snapshot/snap-${scope.id}`, sharing: { public: 'yes' } }),
    ],
    gaps: [],
    failedRegions: [],
  }),
};

describe('spooled results', () => {
  it('writes byte-for-byte the same JSON as the in-memory result, without keeping scopes in memory', async () => {
    const config = defaultConfig();
    const inMemory = await runScan({ adapters: [adapter], checks, config, clock: fixedClock(NOW) });
    const spool = new SpoolSink();
    const header = await runScan({ adapters: [adapter], checks, config, clock: fixedClock(NOW), sink: spool });
    expect(header.scopes).toEqual([]);
    expect(header.stats).toEqual(inMemory.stats);
    const path = join(tempDir(), 'result.json');
    await writeSpooledResult(path, header, spool);
    spool.close();
    expect(readFileSync(path, 'utf8')).toBe(renderJson(inMemory));
  });
});

describe('a spool that lays result.json out as the scopes come', () => {
  // A scan that writes result.json lays each scope out for it when the scope is added (while the scan still waits for
  // the cloud), and writing result.json then copies those bytes; a scope larger than layOutAheadBytes is laid out when
  // result.json is written, as without it. Either way the file is byte for byte what the in-memory renderer writes.
  function bigScope(): ScanResult['scopes'][number] {
    const fixture: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
    const base = fixture.scopes[0]!;
    // some 600 KB of text, most characters two or three bytes (→, 日本): the 256 KiB blocks it is copied in end inside characters
    const snapshots = Array.from({ length: 900 }, (_, i) =>
      makeSnapshot({ id: `snap-${String(i).padStart(5, '0')}`, name: `→ 日本 ${'é'.repeat(i % 300)}`, tags: { owner: `→ team ${i % 7}` } }),
    );
    return { ...base, scope: { ...base.scope, id: 'zz-big', name: 'big → 日本' }, snapshots, findings: [] };
  }

  it('writes byte for byte what the in-memory result gives, the small scopes from their bytes, the large one laid out at the end', async () => {
    const fixture: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
    // in canonical order, as a scan hands its scopes to the renderers
    const scopes = [...fixture.scopes, bigScope()].sort((a, b) => compareStrings(scopeKey(a), scopeKey(b)));
    const result: ScanResult = { ...fixture, scopes };
    const header: ScanResult = { ...result, scopes: [], findings: unscopedFindings(result) };
    const expected = renderJson(result);
    for (const layOutAheadBytes of [64 << 10, 4 << 20]) {
      const spool = new SpoolSink(tempDir(), { layOutJson: true, layOutAheadBytes });
      try {
        for (const s of [...result.scopes].reverse()) spool.add(s);
        const [file] = streamJson(spool.source(header));
        // the scopes laid out as they came come as bytes: all of them under a 4 MiB limit, all but the big one under 64 KiB
        let bytes = 0;
        for (const c of file!.chunks()) if (typeof c !== 'string') bytes += c.length;
        const whole = Buffer.byteLength(
          collect({ name: 'big', chunks: () => streamJson({ ...spool.source(header), jsonScopes: undefined })[0]!.chunks() }),
        );
        expect(bytes).toBeGreaterThan(0);
        if (layOutAheadBytes === 4 << 20) expect(bytes).toBeGreaterThan(600_000);
        else expect(bytes).toBeLessThan(whole - 600_000);
        expect(collect(file!)).toBe(expected);
        const path = join(tempDir(), 'result.json');
        await writeSpooledResult(path, header, spool);
        expect(readFileSync(path, 'utf8')).toBe(expected);
      } finally {
        spool.close();
      }
    }
  });

  it('a scan with no scope at all writes the same result.json as the in-memory renderer', async () => {
    const fixture: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
    const empty: ScanResult = { ...fixture, scopes: [], findings: [] };
    const spool = new SpoolSink(tempDir(), { layOutJson: true });
    try {
      const path = join(tempDir(), 'result.json');
      await writeSpooledResult(path, empty, spool);
      expect(readFileSync(path, 'utf8')).toBe(renderJson(empty));
      expect(readFileSync(path, 'utf8')).toContain('"scopes": []');
    } finally {
      spool.close();
    }
  });

  it('a streamed file of text and bytes (a block reused, ending inside a character) is written and read whole', async () => {
    const block = Buffer.alloc(3);
    const text = Buffer.from('→é', 'utf8'); // 3 + 2 bytes: blocks of 3 end inside é
    const file = {
      name: 'mixed.json',
      *chunks() {
        yield '[';
        for (let i = 0; i < text.length; i += 3) {
          const n = text.copy(block, 0, i, Math.min(text.length, i + 3));
          yield block.subarray(0, n);
        }
        yield ']';
      },
    };
    expect(collect(file)).toBe('[→é]');
    const path = join(tempDir(), 'mixed.json');
    await writeStreamed(path, file);
    expect(readFileSync(path, 'utf8')).toBe('[→é]');
    // and through the CLI's synchronous writer (the formats written inside the state store's final transaction)
    const dir = tempDir();
    writeOutputs(dir, [{ name: 'mixed.json', content: file.chunks() }]);
    expect(readFileSync(join(dir, 'mixed.json'), 'utf8')).toBe('[→é]');
  });
});

describe('the after-all-scopes step of a spooled scan', () => {
  // A spooled scan keeps each scope's part for the step (AWS: the account's role-chain snapshot) on disk until every
  // scope is in, not in memory; the step must still get every part as the scope gave it, and the result must be the
  // in-memory scan's byte for byte.
  function crossAdapter(received: Array<Array<{ scopeId: string; data: unknown }>>): ProviderAdapter {
    return {
      ...adapter,
      collect: async (scope, rt) => ({
        ...(await adapter.collect(scope, rt)),
        crossScope: {
          data: { accountId: scope.id, trusts: [{ from: '*', actions: ['sts:AssumeRole'] }], dropped: undefined },
          mayChange: scope.id !== '222222222222',
        },
      }),
      combineScopes(parts) {
        received.push(parts.map((p) => ({ ...p })));
        const ids = parts.map((p) => (p.data as { accountId: string }).accountId).join(',');
        return {
          principals: (scopeId, current) => [
            ...current,
            makePrincipal({ id: `arn:aws:iam::${scopeId}:role/r`, name: `reached from ${ids}` }),
          ],
          gaps: [],
        };
      },
    };
  }

  it('gives the step every scope part, as collected and in scope order, and writes what the in-memory scan writes', async () => {
    const config = defaultConfig();
    const inMemoryParts: Array<Array<{ scopeId: string; data: unknown }>> = [];
    const inMemory = await runScan({ adapters: [crossAdapter(inMemoryParts)], checks, config, clock: fixedClock(NOW) });
    const spooledParts: Array<Array<{ scopeId: string; data: unknown }>> = [];
    const spool = new SpoolSink();
    const header = await runScan({ adapters: [crossAdapter(spooledParts)], checks, config, clock: fixedClock(NOW), sink: spool });
    const path = join(tempDir(), 'result.json');
    await writeSpooledResult(path, header, spool);
    spool.close();
    const expected = ['111111111111', '222222222222', '333333333333'].map((id) => ({
      scopeId: id,
      data: { accountId: id, trusts: [{ from: '*', actions: ['sts:AssumeRole'] }] },
    }));
    expect(spooledParts).toEqual([expected]);
    expect(inMemoryParts).toEqual([expected]);
    // the held scopes came out amended by the step
    expect(inMemory.scopes.filter((s) => s.principals.length === 1).map((s) => s.scope.id)).toEqual(['111111111111', '333333333333']);
    expect(readFileSync(path, 'utf8')).toBe(renderJson(inMemory));
  });
});

describe('the findings of a spool in the orders renderers read them', () => {
  // a scan's scopes come with their findings in canonical order; a result.json read back (report --from, merge) may
  // hold a scope in another order: the spool gives each scope back as added and every order sorted either way
  it('merges the findings of the scopes in each order, whether a scope holds them sorted or not', () => {
    const fixture: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
    const sorted = fixture.scopes.filter((s) => s.findings.length > 1);
    expect(sorted.length).toBeGreaterThan(1);
    const base = sorted[0]!;
    const unsorted = { ...base, scope: { ...base.scope, id: `${base.scope.id}-reversed` } };
    unsorted.findings = [...base.findings].reverse().map((f) => ({ ...f, scopeId: unsorted.scope.id }));
    const scopes = [...sorted, unsorted];
    const spool = new SpoolSink(tempDir());
    try {
      for (const s of scopes) spool.add(s);
      const header = { ...fixture, scopes: [], findings: [] };
      const all = scopes.flatMap((s) => s.findings);
      expect([...spool.scopes()].find((s) => s.scope.id === unsorted.scope.id)).toEqual(unsorted);
      expect([...spool.findings(header, 'canonical')]).toEqual([...all].sort(compareFindings));
      expect([...spool.findings(header, 'by-check')]).toEqual([...all].sort(compareFindingsByCheck));
      // asked again (a second renderer): the same
      expect([...spool.findings(header, 'by-check')]).toEqual([...all].sort(compareFindingsByCheck));
    } finally {
      spool.close();
    }
  });
});

describe('scratch files leave nothing behind', () => {
  // A scan killed by a signal or the out-of-memory killer runs no cleanup: its spool must not outlive it in the
  // temporary folder (hundreds of such folders had piled up in /tmp from interrupted runs).
  it('an open spool and an open store of held scopes show nothing in the temporary folder, and still read back', async () => {
    const parent = tempDir();
    const spool = new SpoolSink(parent);
    const held = diskStore<{ n: number }>(parent);
    await runScan({ adapters: [adapter], checks, config: defaultConfig(), clock: fixedClock(NOW), sink: spool });
    held.add({ n: 1 });
    expect(readdirSync(parent)).toEqual([]);
    expect([...held.items()]).toEqual([{ n: 1 }]);
    expect([...spool.scopes()].map((s) => s.scope.id)).toEqual(['111111111111', '222222222222', '333333333333']);
    held.close();
    spool.close();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a process killed with SIGKILL while its spool is open leaves no folder', async () => {
    const parent = tempDir();
    const spoolModule = new URL('../../src/engine/spool.ts', import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { SpoolSink } = await import(${JSON.stringify(spoolModule)}); new SpoolSink(process.argv[1]); process.stdout.write('open\\n'); setInterval(() => {}, 1000);`,
        parent,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('values kept on disk a line at a time', () => {
  // what a scope holds, with what must survive the split: arrays two levels deep, empty arrays, nested arrays,
  // nulls, multi-byte text (split across read blocks below) and a value longer than a block
  const value = {
    scope: { provider: 'aws', id: '111111111111', name: 'prod — Zürich 日本' },
    coverage: { status: 'partial', regions: [{ region: 'eu-central-1', status: 'scanned' }], gaps: [] },
    logging: { sources: [], regions: [{ region: 'eu-central-1', operations: { a: [1, 2] } }] },
    snapshots: Array.from({ length: 40 }, (_, i) => ({ id: `snap-${i}`, tags: [['k', 'ü'.repeat(i)]], owner: null })),
    principals: [{ id: 'p', grants: [{ path: [{ step: 'x'.repeat(5000) }] }] }],
    findings: [],
    activity: { events: [null, 0, 'é'] },
  };

  it('reads back each value exactly as written, among others in the same file', () => {
    const path = join(tempDir(), 'values.ndjson');
    const fd = openSync(path, 'w+');
    try {
      const first = writeValue(fd, 0, value);
      const second = writeValue(fd, first.length, { held: { input: value, failedRegions: ['x'] }, n: 1 });
      expect(readValue(fd, second)).toEqual({ held: { input: value, failedRegions: ['x'] }, n: 1 });
      expect(readValue(fd, first)).toEqual(value);
      // and line by line through a buffer smaller than a line, multi-byte characters across its reads
      const lines: string[] = [];
      const reader = new LineReader(fd, { offset: 0, length: first.length + second.length }, 7);
      for (let line = reader.next(); line !== null; line = reader.next()) lines.push(line);
      expect(`${lines.join('\n')}\n`).toBe(readFileSync(path, 'utf8'));
    } finally {
      closeSync(fd);
    }
  });

  it('writes lines in batches to their byte range', () => {
    const path = join(tempDir(), 'lines.ndjson');
    const fd = openSync(path, 'w+');
    try {
      const out = new LineWriter(fd, 0);
      const texts = Array.from({ length: 5000 }, (_, i) => `"${'ß'.repeat(i % 50)}${i}"`);
      for (const t of texts) out.line(t);
      const range = out.end();
      expect(range).toEqual({ offset: 0, length: Buffer.byteLength(`${texts.join('\n')}\n`) });
      expect(readFileSync(path, 'utf8')).toBe(`${texts.join('\n')}\n`);
    } finally {
      closeSync(fd);
    }
  });

  it('writes lines longer than a batch in their place, and writers one after another each to their own range', () => {
    const path = join(tempDir(), 'long-lines.ndjson');
    const fd = openSync(path, 'w+');
    try {
      // short lines around lines of 30,000 characters (up to 90,000 bytes: longer than a 64 KiB batch), with
      // characters of one to four bytes (an emoji is two UTF-16 units, four bytes)
      const texts = ['"a"', `"${'x'.repeat(30_000)}"`, '"€😀"', `"${'日'.repeat(30_000)}"`, `"${'😀'.repeat(15_000)}"`, '"z"'];
      const first = new LineWriter(fd, 0);
      for (const t of texts) first.line(t);
      const a = first.end();
      const second = new LineWriter(fd, a.length);
      for (const t of [...texts].reverse()) second.line(t);
      const b = second.end();
      expect(a).toEqual({ offset: 0, length: Buffer.byteLength(`${texts.join('\n')}\n`) });
      expect(b).toEqual({ offset: a.length, length: a.length });
      expect(readFileSync(path, 'utf8')).toBe(`${texts.join('\n')}\n${[...texts].reverse().join('\n')}\n`);
    } finally {
      closeSync(fd);
    }
  });

  it('holds scopes back and gives them again in the order added', () => {
    const store = diskStore<typeof value>(tempDir());
    try {
      const other = { ...value, scope: { ...value.scope, id: '222222222222' } };
      store.add(value);
      store.add(other);
      expect([...store.items()]).toEqual([value, other]);
    } finally {
      store.close();
    }
  });
});
