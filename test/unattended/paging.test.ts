/**
 * Issue #11 case 2: every paged listing ends. The lab answers a listing with the page token it was just given
 * (`repeat_page_token`) or goes round a cycle of tokens (`cycle_page_tokens`) on the snapshot listing of each cloud;
 * the scanner stops that listing after a handful of calls with a gap naming the operation ("the service repeated a
 * page token"), never reports the scope complete, and never duplicates a snapshot. A listing that reaches the page
 * ceiling (`scan.maxPagesPerListing`) ends the same way, as a `limit_reached` gap.
 */
import { describe, expect, it } from 'vitest';
import type { FaultKind } from '../../lab/core.ts';
import type { Estate } from '../../lab/estate.ts';
import { DEFAULT_MAX_PAGES, PagingError, readPages } from '../../providers/paging.ts';
import type { Provider, ScanResult } from '../../src/core/model/result.ts';
import { demoEstate, demoProviders, fault } from '../resilience/support.ts';
import { scanEstate } from '../support/lab.ts';

/** The demo estate with one page per item, and five snapshots in each listing the faults hit (five pages). */
function pagedEstate(): Estate {
  const e = structuredClone(demoEstate());
  const more = <T>(list: T[], pick: (x: T) => boolean, copy: (x: T, i: number) => T) => {
    const first = list.find(pick);
    if (first) for (let i = list.filter(pick).length; i < 5; i++) list.push(copy(first, i));
  };
  if (e.aws) {
    e.aws.pageLimits = { 'ec2:DescribeSnapshots': 1 };
    const member = e.aws.accounts.find((a) => a.id === '222222222222');
    if (member)
      more(
        member.snapshots,
        (s) => s.region === 'us-east-1',
        (s, i) => ({ ...s, id: `snap-0b1b2c3d4e5f6fff${i}` }),
      );
  }
  if (e.azure) {
    e.azure.pageSize = 1;
    const sub = e.azure.subscriptions.find((x) => x.id.endsWith('9c01'));
    if (sub)
      more(
        sub.snapshots,
        () => true,
        (s, i) => ({ ...s, name: `${s.name}-copy-${i}` }),
      );
  }
  if (e.gcp) {
    e.gcp.pageSize = 1;
    const project = e.gcp.projects.find((x) => x.id === 'prod-web');
    if (project)
      more(
        project.snapshots,
        () => true,
        (s, i) => ({ ...s, name: `${s.name}-copy-${i}` }),
      );
  }
  return e;
}

const targets: Array<{ provider: Provider; scope: string; operation: string; region?: string }> = [
  { provider: 'aws', scope: '222222222222', operation: 'ec2:DescribeSnapshots', region: 'us-east-1' },
  { provider: 'azure', scope: '6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c01', operation: 'Microsoft.Compute:ListSnapshots' },
  { provider: 'gcp', scope: 'prod-web', operation: 'compute:snapshots.list' },
];

/** Each item per scope that lists it (an RDS snapshot shared in is listed by its owner and by the account it is shared with). */
function snapshotIds(result: ScanResult): string[] {
  return result.scopes.flatMap((s) => s.snapshots.map((x) => `${s.scope.provider}:${s.scope.id}:${x.resourceId}`));
}

describe('a service that repeats or cycles its page tokens', () => {
  it.each<FaultKind>(['repeat_page_token', 'cycle_page_tokens'])(
    '%s on the snapshot listing of every cloud: a gap, not a loop',
    async (kind) => {
      const { result, lab } = await scanEstate(pagedEstate(), {
        config: { providers: demoProviders },
        faults: targets.map((t) => fault({ ...t, kind })),
      });
      expect(lab.log.entries.some((e) => e.fault === kind)).toBe(true);
      for (const t of targets) {
        const scope = result.scopes.find((s) => s.scope.provider === t.provider && s.scope.id === t.scope);
        expect(scope?.coverage.status, `${t.provider} ${t.scope}`).toBe('partial');
        const gaps = scope?.coverage.gaps.filter((g) => g.operation === t.operation) ?? [];
        expect(gaps.length).toBeGreaterThan(0);
        for (const g of gaps) {
          expect(g).toMatchObject({ code: 'invalid_response', part: 'snapshots' });
          expect(g.message).toMatch(new RegExp(`^${t.operation.replace('.', '\\.')}.*the service repeated a page token`));
        }
        // The listing ended after a few calls, not 120,000.
        const calls = lab.log.entries.filter(
          (e) => e.provider === t.provider && e.scope === t.scope && `${e.service}:${e.operation}` === t.operation && e.fault === kind,
        );
        expect(calls.length).toBeGreaterThan(0);
        // One answer with a repeated token, and the listing stopped: the token was never asked for again.
        expect(calls.length).toBeLessThanOrEqual(t.provider === 'aws' ? 2 : 1);
      }
      expect(result.scan.complete).toBe(false);
      const ids = snapshotIds(result);
      expect(new Set(ids).size).toBe(ids.length);
      // Nothing else was hurt: every other scope is complete.
      const others = result.scopes.filter((s) => !targets.some((t) => t.provider === s.scope.provider && t.scope === s.scope.id));
      for (const s of others) expect(s.coverage.status, `${s.scope.provider} ${s.scope.id}`).toBe('complete');
    },
  );

  it('the page ceiling ends a listing as a limit_reached gap, never "complete"', async () => {
    const { result } = await scanEstate(pagedEstate(), { config: { providers: demoProviders, scan: { maxPagesPerListing: 4 } } });
    for (const t of targets) {
      const scope = result.scopes.find((s) => s.scope.provider === t.provider && s.scope.id === t.scope);
      expect(scope?.coverage.status).toBe('partial');
      const gap = scope?.coverage.gaps.find((g) => g.operation === t.operation);
      expect(gap).toMatchObject({ code: 'limit_reached', part: 'snapshots' });
      expect(gap?.message).toMatch(/page ceiling of 4 page\(s\).*scan\.maxPagesPerListing/);
    }
    expect(result.scan.complete).toBe(false);
  });
});

describe('readPages', () => {
  const pages = (list: Array<{ items: Array<{ id: string }>; next?: string }>) => {
    const byToken = new Map(list.map((p, i) => [i === 0 ? undefined : (list[i - 1]?.next ?? ''), p]));
    let calls = 0;
    return {
      calls: () => calls,
      fetch: async (token: string | undefined) => {
        calls++;
        const p = byToken.get(token);
        return { items: p?.items ?? [], next: p?.next };
      },
    };
  };

  it('de-duplicates items a service returns on two pages, by id', async () => {
    const src = pages([{ items: [{ id: 'a' }, { id: 'b' }], next: 't1' }, { items: [{ id: 'b' }, { id: 'c' }] }]);
    expect(await readPages({ operation: 'x:List' }, src.fetch)).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
  });

  it('stops at a repeated token, at a cycle, and at the ceiling', async () => {
    const repeat = async (token: string | undefined) => ({ items: [{ id: token ?? 'first' }], next: 'same' });
    await expect(readPages({ operation: 'ec2:DescribeSnapshots', purpose: 'OwnerIds=self' }, repeat)).rejects.toThrow(
      /^ec2:DescribeSnapshots \(OwnerIds=self\): the service repeated a page token after 2 page\(s\)/,
    );
    let n = 0;
    const cycle = async () => ({ items: [], next: ['A', 'B', 'C'][n++ % 3] });
    const err = await readPages({ operation: 'x:List' }, cycle).catch((e) => e);
    expect(err).toBeInstanceOf(PagingError);
    expect((err as PagingError).pages).toBe(4);
    let m = 0;
    const endless = async () => ({ items: [{ id: String(m) }], next: `t${m++}` });
    const ceiling = await readPages({ operation: 'x:List', maxPages: 5 }, endless).catch((e) => e);
    expect(ceiling).toMatchObject({ problem: 'page_limit', code: 'limit_reached', pages: 5 });
    expect(DEFAULT_MAX_PAGES).toBe(10_000);
  });
});
