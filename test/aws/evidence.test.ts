/**
 * Authoritative sources, through the lab and the real SDK: an AWS-compatible endpoint whose
 * `DescribeSnapshots RestorableByUserIds=all` listing returns every snapshot, while the per-snapshot
 * createVolumePermission reads say which ones are public. The attribute decides (only the truly public ones are
 * critical); the listing is read only where an attribute was not (shareLookup off, or a read failed), and then every
 * disagreement is a conflict note on the snapshot; no text the scanner writes quotes a value that no response held.
 */
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../lab/core.ts';
import type { EstateInput } from '../../lab/estate.ts';
import { ATTRIBUTE, PUBLIC_LISTING } from '../../providers/aws/normalise/snapshots.ts';
import { allFindings } from '../../src/core/model/order.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { scanAws } from './support.ts';

const ACCOUNT = '111111111111';
const PUBLIC = new Set([2, 5, 11]);
const id = (n: number) => `snap-0e0000000000000${n.toString(16)}`;

function estate(): EstateInput {
  return {
    estateVersion: 1,
    aws: {
      publicListingIgnoresFilter: true,
      accounts: [
        {
          id: ACCOUNT,
          name: 'lying-endpoint',
          regions: ['us-east-1'],
          snapshots: Array.from({ length: 12 }, (_, i) => ({
            id: id(i),
            region: 'us-east-1',
            startTime: '2026-11-01T00:00:00.000Z',
            encrypted: i % 2 === 0,
            public: PUBLIC.has(i),
            sharedWith: i === 3 ? ['999999999999'] : [],
          })),
        },
      ],
    },
  };
}

/** Every `Key=Value` token the scanner wrote into findings, notes, facts and conflicts. */
function quotedTokens(result: ScanResult): string[] {
  const texts = [
    ...allFindings(result).flatMap((f) => [f.message, JSON.stringify(f.evidence)]),
    ...result.scopes.flatMap((s) =>
      s.snapshots.flatMap((x) => [...x.sharing.notes, ...x.facts.map((f) => f.value), ...x.conflicts.map((c) => c.note)]),
    ),
  ];
  return [...new Set(texts.flatMap((t) => t.match(/\b(?:Group|UserId|KmsKeyId)=[\w:/.-]+/g) ?? []))].sort();
}

/** Does any response body carry the value under that field (EC2 XML `<group>all</group>`, JSON `"Group":"all"`)? */
function received(log: readonly RequestLogEntry[], token: string): boolean {
  const [key, value] = token.split('=') as [string, string];
  const xml = `<${key[0]?.toLowerCase()}${key.slice(1)}>${value}</${key[0]?.toLowerCase()}${key.slice(1)}>`;
  return log.some((e) => e.bodies?.response.includes(xml) || e.bodies?.response.includes(`"${key}":"${value}"`));
}

/** The response bodies of one operation that mention one snapshot. */
function responsesAbout(log: readonly RequestLogEntry[], operation: string, snapshotId: string, requestHas = ''): string[] {
  return log
    .filter((e) => e.operation === operation && e.bodies?.request.includes(requestHas) && e.bodies.response.includes(`>${snapshotId}<`))
    .map((e) => e.bodies?.response ?? '');
}

describe('a listing that claims every snapshot is public, attributes that say otherwise', () => {
  it('reads every attribute and not the listing: the attribute alone decides, nothing to overrule', async () => {
    const { result, lab } = await scanAws(estate(), { aws: { mode: 'account' }, keepBodies: true });
    const snapshots = result.scopes[0]?.snapshots ?? [];
    expect(snapshots).toHaveLength(12);
    const log = lab.log.entries;
    expect(log.filter((e) => e.operation === 'DescribeSnapshotAttribute')).toHaveLength(12);
    expect(log.filter((e) => e.operation === 'DescribeSnapshots' && e.bodies?.request.includes('RestorableBy'))).toEqual([]);
    const critical = allFindings(result).filter((f) => f.checkId === 'snapshots.public');
    expect(critical.map((f) => f.resource?.id.split('/').pop()).sort()).toEqual([...PUBLIC].map(id).sort());
    expect(snapshots.flatMap((s) => s.conflicts)).toEqual([]);
    expect(snapshots.flatMap((s) => s.facts).filter((f) => f.source === PUBLIC_LISTING)).toEqual([]);
  });

  it('when an attribute read fails, reads the listing, takes the attribute verdict where read, notes each disagreement, and quotes nothing it did not receive', async () => {
    const { result, lab } = await scanAws(estate(), {
      aws: { mode: 'account' },
      keepBodies: true,
      faults: [{ provider: 'aws', operation: 'ec2:DescribeSnapshotAttribute', kind: 'access_denied', times: 1, after: 0, rate: 1, ms: 0 }],
    });
    const snapshots = result.scopes[0]?.snapshots ?? [];
    expect(snapshots).toHaveLength(12);
    const log = lab.log.entries;
    // The one snapshot whose attribute could not be read: the listing is the only word on it, a hint, said so.
    const unread = snapshots.filter((s) => !s.facts.some((f) => f.source === ATTRIBUTE));
    expect(unread).toHaveLength(1);
    expect(unread[0]?.facts.filter((f) => f.fact === 'public')).toEqual([
      { fact: 'public', source: PUBLIC_LISTING, value: 'listed', authoritative: false },
    ]);
    expect(unread[0]?.conflicts).toEqual([]);

    // The other eleven: the attribute decides; where it says not public, one conflict note quoting both reads.
    for (const s of snapshots.filter((x) => x !== unread[0])) {
      const n = Number.parseInt(s.id.slice(-1), 16);
      expect(s.sharing.public, s.id).toBe(PUBLIC.has(n) ? 'yes' : 'no');
      if (PUBLIC.has(n)) {
        expect(s.conflicts, s.id).toEqual([]);
        continue;
      }
      expect(s.conflicts, s.id).toEqual([
        {
          fact: 'public',
          kept: { source: ATTRIBUTE, value: s.id === id(3) ? 'UserId=999999999999' : 'empty' },
          overruled: { source: PUBLIC_LISTING, value: 'listed' },
          note: `public: ${PUBLIC_LISTING} returned listed, but ${ATTRIBUTE} returned ${s.id === id(3) ? 'UserId=999999999999' : 'empty'}; ${ATTRIBUTE} decides`,
        },
      ]);
    }

    // Every quoted value was in a response: Group=all only because an attribute said so.
    const tokens = quotedTokens(result);
    expect(tokens).toContain('Group=all');
    expect(tokens.filter((t) => !received(log, t))).toEqual([]);
    for (const s of snapshots) {
      const attribute = responsesAbout(log, 'DescribeSnapshotAttribute', s.id);
      const saysAll = attribute[0]?.includes('<group>all</group>') ?? false;
      expect(
        s.facts.some((f) => f.source === ATTRIBUTE && f.value.includes('Group=all')),
        s.id,
      ).toBe(saysAll);
      // "listed" is quoted only where the filtered listing's response held the snapshot.
      if (s.facts.some((f) => f.source === PUBLIC_LISTING && f.value === 'listed'))
        expect(responsesAbout(log, 'DescribeSnapshots', s.id, 'RestorableBy.1=all'), s.id).not.toEqual([]);
    }
  });

  it('without the attribute reads the listing decides, and says so: no note names an attribute it never read', async () => {
    const { result } = await scanAws(estate(), { aws: { mode: 'account', shareLookup: { enabled: false } } });
    const snapshots = result.scopes[0]?.snapshots ?? [];
    expect(snapshots.every((s) => s.sharing.public === 'yes')).toBe(true);
    expect(snapshots.every((s) => s.conflicts.length === 0)).toBe(true);
    for (const s of snapshots) {
      expect(s.facts.filter((f) => f.fact === 'public')).toEqual([
        { fact: 'public', source: PUBLIC_LISTING, value: 'listed', authoritative: false },
      ]);
      expect(s.sharing.notes).toEqual([`${PUBLIC_LISTING}: listed`, 'shares with specific accounts not looked up (shareLookup disabled)']);
    }
    const texts = allFindings(result).map((f) => `${f.message} ${JSON.stringify(f.evidence)}`);
    expect(texts.filter((t) => /createVolumePermission|Group=all/.test(t))).toEqual([]);
  });
});
