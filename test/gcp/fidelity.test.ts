/**
 * Fidelity: every answer the GCP lab gives to a demo scan conforms to Google's published schema for that method —
 * the protobuf definitions the client libraries ship (Compute Engine's generated from its discovery document), plus
 * the few newer fields and methods the REST reference defines beyond them (fidelity/supplement.json, each with its
 * reference page). A route that drifts (a field the real service does not have, a wrong type, an enum value it never
 * sends, a request no method serves) fails here.
 */
import { describe, expect, it } from 'vitest';
import { scanEstate } from '../support/lab.ts';
import { ProtoSchemas } from './fidelity/proto-schema.ts';
import supplement from './fidelity/supplement.json' with { type: 'json' };
import { demoGcpEstate, ORG } from './support.ts';

const schemas = new ProtoSchemas([
  '@google-cloud/compute',
  '@google-cloud/logging-api',
  '@google-cloud/monitoring',
  '@google-cloud/resource-manager',
  '@google-cloud/iam',
]).supplement(supplement as never);

describe('GCP lab fidelity to the published schemas', () => {
  it('every answer of a demo scan matches its method’s response message', async () => {
    const { lab, result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: { providers: { gcp: { organizationId: ORG } } },
      keepOpen: true,
      lab: { keepBodies: true },
    });
    await lab.close();
    const exchanges = lab.log.entries.filter((e) => e.provider === 'gcp');
    expect(exchanges.length).toBeGreaterThan(50);
    const unmatched: string[] = [];
    const problems: string[] = [];
    const methods = new Set<string>();
    for (const e of exchanges) {
      const binding = schemas.match(e.method, e.path);
      if (!binding) {
        unmatched.push(`${e.method} ${e.path}`);
        continue;
      }
      methods.add(binding.rpc);
      if (e.status !== 200) continue;
      const body = JSON.parse(e.bodies?.response ?? 'null') as unknown;
      for (const p of schemas.validate(body, binding.response)) problems.push(`${e.method} ${e.path}: ${p}`);
    }
    expect(unmatched).toEqual([]);
    expect(problems).toEqual([]);
    // Evidence is built from received values only: every value a snapshot fact or conflict quotes is in an answer the
    // lab gave (words the scanner uses for "nothing there" aside).
    const received = exchanges.map((e) => e.bodies?.response ?? '').join('\n');
    const quoted = result.scopes.flatMap((x) =>
      x.snapshots.flatMap((snap) => [
        ...snap.facts.map((f) => f.value),
        ...snap.conflicts.flatMap((c) => [c.kept.value, c.overruled.value]),
      ]),
    );
    expect(quoted.length).toBeGreaterThan(10);
    const absent = quoted
      .flatMap((v) => v.replace(/^(kmsKeyName|sha256) /, '').split(', '))
      .filter((v) => !['absent', 'none', 'no allUsers / allAuthenticatedUsers', 'true', 'false'].includes(v))
      .filter((v) => !received.includes(v));
    expect(absent).toEqual([]);
    // Every family the scanner reads was exercised.
    expect([...methods].map((m) => m.split('.').slice(-2, -1)[0]).sort()).toEqual(
      expect.arrayContaining([
        'AlertPolicyService',
        'ConfigServiceV2',
        'Folders',
        'IAM',
        'LoggingServiceV2',
        'MetricsServiceV2',
        'Policies',
        'Projects',
        'RegionSnapshots',
        'Regions',
        'Snapshots',
        'Disks',
        'NotificationChannelService',
        'Organizations',
        'Images',
        'MachineImages',
        'InstantSnapshots',
        'RegionInstantSnapshots',
      ]),
    );
  });

  it('catches drift: an unknown field, a wrong type and a bad enum value', () => {
    expect(schemas.validate({ name: 's', destination: 'd', retention: 5 }, 'google.logging.v2.LogSink')).toEqual([
      '$.retention: google.logging.v2.LogSink has no field retention',
    ]);
    expect(schemas.validate({ id: 7 }, 'google.cloud.compute.v1.Snapshot')).toEqual(['$.id: 7 is not a uint64']);
    expect(schemas.validate({ state: 'SLEEPING' }, 'google.cloud.resourcemanager.v3.Project')[0]).toMatch(/is not a value of/);
  });
});
