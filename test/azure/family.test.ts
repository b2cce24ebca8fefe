/**
 * The rest of the snapshot family on Azure: gallery sharing and live exports case by case against the Compute
 * documentation (test/azure/cases/family-*.json), then a demo scan over the lab's ARM wire that inventories every
 * kind — managed images, gallery image versions, restore points, disk restore points, disks with a live SAS — with
 * its creator from the activity log and Azure Backup recognised by the identity that acted.
 */
import type { Disk, DiskRestorePoint, Gallery, Image, RestorePoint, RestorePointCollection } from '@azure/arm-compute';
import { describe, expect, it } from 'vitest';
import {
  type FamilyContext,
  gallerySharing,
  liveExport,
  normaliseDiskExport,
  normaliseDiskRestorePoint,
  normaliseImage,
} from '../../providers/azure/normalise/family.ts';
import { resolveOwner } from '../../src/core/model/owner.ts';
import type { Snapshot } from '../../src/core/model/result.ts';
import { describeCases } from '../support/cases.ts';
import { scanEstate } from '../support/lab.ts';
import { azureEstate, DEMO, demoAzure, scopeNamed } from './support.ts';

const cases = new URL('./cases/', import.meta.url);

const context: FamilyContext = {
  creators: new Map(),
  exports: new Map(),
  disks: new Map(),
  diskAccesses: { byId: null },
  organisation: { tenantId: DEMO.tenant, subscriptions: new Set([DEMO.prod, DEMO.dev]) },
  resolveOwner: (i) => resolveOwner({ ...i, ownerTagKeys: ['owner'], caseInsensitiveKeys: true }),
};

describe('gallery sharing', () => {
  describeCases<
    { sharingProfile?: Gallery['sharingProfile']; groups?: NonNullable<Gallery['sharingProfile']>['groups'] | null; groupsGap?: string },
    Pick<Snapshot['sharing'], 'public' | 'sharesKnown' | 'sharedWith' | 'notes'>
  >(cases, /^family-gallery-sharing\.json$/, (c) => {
    const gallery = { name: 'gal', ...(c.input.sharingProfile ? { sharingProfile: c.input.sharingProfile } : {}) } as Gallery;
    const { sharing } = gallerySharing(
      { gallery, groups: c.input.groups ?? null, groupsGap: c.input.groupsGap ?? null },
      context.organisation,
    );
    expect(sharing).toEqual({ ...c.expect });
  });
});

describe('live exports and disk restore points', () => {
  describeCases<
    { disk?: Record<string, string>; diskRestorePoint?: Record<string, string> },
    { live?: boolean; public?: string; notes?: string[] }
  >(cases, /^family-exports\.json$/, (c) => {
    if (c.input.disk) {
      const disk = { id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/disks/d', name: 'd', ...c.input.disk } as Disk;
      expect(liveExport(disk)).toBe(c.expect.live);
      if (!c.expect.live) return;
      const s = normaliseDiskExport(disk, context);
      expect(s.kind).toBe('disk-export');
      expect(s.sharing.public).toBe(c.expect.public);
      expect(s.sharing.notes).toEqual(c.expect.notes);
    } else {
      const rp = {
        name: 'rp',
        id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/restorePointCollections/c/restorePoints/rp',
      };
      const d = { id: `${rp.id}/diskRestorePoints/d`, name: 'd', ...c.input.diskRestorePoint } as DiskRestorePoint;
      const s = normaliseDiskRestorePoint(d, { name: 'c', location: 'westeurope' } as RestorePointCollection, rp as RestorePoint, context);
      expect(s.kind).toBe('disk-restore-point');
      expect(s.sharing.public).toBe(c.expect.public);
      expect(s.sharing.notes).toEqual(c.expect.notes);
    }
  });
});

describe('authoritative sources for the creator', () => {
  const id = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/images/img';
  const image = (createdBy?: string) =>
    ({ id, name: 'img', location: 'westeurope', ...(createdBy ? { systemData: { createdBy } } : {}) }) as Image;
  const withCreator = (identity: string): FamilyContext => ({
    ...context,
    creators: new Map([[id.toLowerCase(), { identity, at: '2026-11-01T00:00:00.000Z', actingResource: null }]]),
  });

  it('the activity log decides; systemData.createdBy that disagrees is kept as a conflict note, quoting both', () => {
    const s = normaliseImage(image('someone-else@contoso.com'), withCreator('bob@contoso.com'));
    expect(s.creator).toMatchObject({ identity: 'bob@contoso.com', source: 'audit-event' });
    expect(s.facts.filter((f) => f.fact === 'creator')).toEqual([
      {
        fact: 'creator',
        source: 'Microsoft.Insights:ListActivityLogs caller (Microsoft.Compute/images/write)',
        value: 'bob@contoso.com',
        authoritative: true,
      },
      {
        fact: 'creator',
        source: 'Microsoft.Compute:ListImages systemData.createdBy',
        value: 'someone-else@contoso.com',
        authoritative: false,
      },
    ]);
    expect(s.conflicts.map((c) => c.note)).toEqual([
      'the activity log names bob@contoso.com as the creator; systemData.createdBy says someone-else@contoso.com',
    ]);
  });

  it('agreeing sources make no conflict; systemData alone is a hint that still names the creator', () => {
    expect(normaliseImage(image('Bob@contoso.com'), withCreator('bob@contoso.com')).conflicts).toEqual([]);
    const hinted = normaliseImage(image('carol@contoso.com'), context);
    expect(hinted.creator).toMatchObject({ identity: 'carol@contoso.com', source: 'system-data' });
    expect(hinted.facts).toEqual([
      { fact: 'creator', source: 'Microsoft.Compute:ListImages systemData.createdBy', value: 'carol@contoso.com', authoritative: false },
    ]);
  });
});

describe('the snapshot family over the lab', () => {
  it('inventories every kind the demo has, with exposure, creator and Azure Backup by identity', async () => {
    const { result } = await scanEstate(azureEstate(), { providers: ['azure'] });
    const all = result.scopes.flatMap((s) => s.snapshots);
    const byName = (name: string) => {
      const s = all.find((x) => x.name === name);
      if (!s) throw new Error(`no ${name} in ${all.map((x) => x.name).join(', ')}`);
      return s;
    };
    expect([...new Set(all.map((s) => s.kind))].sort()).toEqual([
      'disk-export',
      'disk-restore-point',
      'disk-snapshot',
      'gallery-image-version',
      'image',
      'restore-point',
    ]);
    // A community gallery version is public; a directly shared one names who it is shared with.
    const community = byName('gal_community/ubuntu-build-agent/1.0.0');
    expect(community).toMatchObject({
      kind: 'gallery-image-version',
      sharing: { public: 'yes' },
      creator: { identity: 'eve@contoso.com' },
    });
    expect(byName('gal_partners/win-app-server/2.1.0').sharing.sharedWith).toEqual([
      { id: DEMO.prod, kind: 'subscription', inOrganization: 'yes' },
      { id: '9e8d7c6b-0000-4000-8000-0000000000ff', kind: 'tenant', inOrganization: 'no' },
    ]);
    // A live SAS export: who started it is its creator.
    expect(byName('disk-build')).toMatchObject({
      kind: 'disk-export',
      state: 'ActiveSAS',
      sharing: { public: 'yes' },
      creator: { identity: 'mallory@contoso.com', source: 'audit-event' },
    });
    expect(byName('img-web-golden')).toMatchObject({
      kind: 'image',
      creator: { identity: 'bob@contoso.com' },
      owner: { value: 'web-team' },
    });
    // Restore points: the one Azure Backup made is recognised by the vault identity that acted, the other is not.
    expect(byName('rpc-vm-db/rp-backup-2026-11-25').automation).toEqual({
      by: 'azure-backup',
      basis: `/subscriptions/${DEMO.prod}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod`,
    });
    expect(byName('rpc-vm-db/rp-adhoc-2026-11-18')).toMatchObject({ creator: { identity: 'carol@contoso.com' }, automation: { by: null } });
    const disks = all.filter((s) => s.kind === 'disk-restore-point');
    expect(disks.map((d) => [(d.name ?? '').split('/')[1], d.sharing.public, d.creator?.identity ?? null])).toEqual([
      ['rp-adhoc-2026-11-18', 'yes', 'carol@contoso.com'],
      ['rp-backup-2026-11-25', 'no', 'bac0b000-0000-4000-8000-000000000005'],
    ]);
    // Findings name the kind and reach the family.
    const findings = scopeNamed(result, 'dev-sandbox').findings.filter((f) => f.checkId === 'snapshots.public');
    expect(findings.map((f) => f.resource?.kind).sort()).toEqual(['disk-export', 'disk-snapshot', 'gallery-image-version']);
    expect(scopeNamed(result, 'dev-sandbox').findings.some((f) => f.checkId === 'snapshots.shared-outside-org')).toBe(true);
  });

  it('judges recording and alerting for every operation of the family, one by one', async () => {
    const { result } = await scanEstate(azureEstate(), { providers: ['azure'] });
    const ops = (name: string) =>
      Object.fromEntries(
        (scopeNamed(result, name).logging.regions[0]?.operations ?? []).map((o) => [o.operation, `${o.recorded}/${o.alerted}`]),
      );
    // prod-payments: recorded (allLogs); its rule names snapshots/write only, so nothing else of the family alerts.
    const prod = ops('prod-payments');
    expect(prod['Microsoft.Compute/snapshots/write']).toBe('yes/exact');
    expect(prod['Microsoft.Compute/images/write']).toBe('yes/none');
    expect(prod['Microsoft.Compute/disks/beginGetAccess/action']).toBe('yes/none');
    expect(prod['Microsoft.Compute/galleries/share/action']).toBe('yes/none');
    // security: no export of the Administrative category, but the activity log itself records every operation (90
    // days); its Administrative-category rule fires broadly on every one.
    const security = ops('security');
    expect(new Set(Object.values(security))).toEqual(new Set(['yes/broad']));
    expect(Object.keys(security)).toEqual(expect.arrayContaining(['Microsoft.Compute/galleries/images/versions/write']));
    // Data actions are not in the activity log: not judged.
    expect(Object.keys(security).some((o) => o.endsWith('/download/action'))).toBe(false);
  });

  it('a finding names the operations of the family no rule alerts on, sharing and exporting first', async () => {
    const { result } = await scanEstate(azureEstate(), { providers: ['azure'] });
    const findings = scopeNamed(result, 'prod-payments').findings.filter((f) => f.messageId === 'operationsNotAlerted');
    const share = findings.find((f) => f.resource?.id === 'operations-share-not-alerted');
    expect(share?.severity).toBe('high');
    expect(
      ((share?.evidence as { operations?: Array<{ operation: string }> } | undefined)?.operations ?? []).map((o) => o.operation),
    ).toContain('Microsoft.Compute/galleries/share/action');
    expect(findings.find((f) => f.resource?.id === 'operations-export-not-alerted')?.message).toMatch(
      /Microsoft\.Compute\/disks\/beginGetAccess\/action/,
    );
  });

  it('a listing of the family that fails is a gap; the rest of the inventory stays', async () => {
    const azure = demoAzure();
    const { result } = await scanEstate(azureEstate(azure), {
      providers: ['azure'],
      faults: [
        {
          provider: 'azure',
          scope: DEMO.dev,
          operation: 'Microsoft.Compute:ListGalleries',
          kind: 'access_denied',
          rate: 1,
          after: 0,
          ms: 0,
        },
      ],
    });
    const dev = scopeNamed(result, 'dev-sandbox');
    expect(dev.coverage.gaps.map((g) => `${g.part}:${g.operation}:${g.code}`)).toContain(
      'snapshots:Microsoft.Compute:ListGalleries:access_denied',
    );
    expect(dev.snapshots.some((s) => s.kind === 'gallery-image-version')).toBe(false);
    expect(dev.snapshots.some((s) => s.kind === 'disk-export')).toBe(true);
  });
});
