/** The Logging query language evaluator, table-driven: filter → verdict for a snapshot-creation audit entry. */
import { describe, expect, it } from 'vitest';
import { auditEntry, metricVerdict, sinkExportVerdict } from '../../providers/gcp/audit.ts';
import { describeCases } from '../support/cases.ts';
import { evaluateFilter } from '../../providers/gcp/filter.ts';

const insert = auditEntry('prod-1', 'v1.compute.snapshots.insert', 'gce_snapshot');
const createSnapshot = auditEntry('prod-1', 'v1.compute.disks.createSnapshot', 'gce_disk');

const cases: Array<[string, string, 'yes' | 'no' | 'unknown', 'yes' | 'no' | 'unknown']> = [
  // [name, filter, verdict for snapshots.insert, verdict for disks.createSnapshot]
  ['empty filter matches everything', '', 'yes', 'yes'],
  ['exact methodName', 'protoPayload.methodName="v1.compute.snapshots.insert"', 'yes', 'no'],
  ['has operator is a substring match', 'protoPayload.methodName:"snapshots.insert"', 'yes', 'no'],
  ['has is case-insensitive', 'protoPayload.methodName:"CREATESNAPSHOT"', 'no', 'yes'],
  ['equality is case-insensitive', 'resource.type="GCE_DISK"', 'no', 'yes'],
  [
    'OR of methods',
    'protoPayload.methodName="v1.compute.snapshots.insert" OR protoPayload.methodName="v1.compute.disks.createSnapshot"',
    'yes',
    'yes',
  ],
  ['value list', 'protoPayload.methodName=("v1.compute.snapshots.insert" OR "v1.compute.disks.createSnapshot")', 'yes', 'yes'],
  ['activity log by name', 'logName="projects/prod-1/logs/cloudaudit.googleapis.com%2Factivity"', 'yes', 'yes'],
  ['another project log name', 'logName="projects/other/logs/cloudaudit.googleapis.com%2Factivity"', 'no', 'no'],
  ['has on log name', 'logName:"cloudaudit.googleapis.com"', 'yes', 'yes'],
  ['LOG_ID()', 'LOG_ID("cloudaudit.googleapis.com/activity")', 'yes', 'yes'],
  [
    '_Default sink excludes activity',
    'NOT LOG_ID("cloudaudit.googleapis.com/activity") AND NOT LOG_ID("externalaudit.googleapis.com/activity")',
    'no',
    'no',
  ],
  ['NOT a resource type', 'NOT resource.type="gce_disk"', 'yes', 'no'],
  ['minus negation', '-resource.type="gce_snapshot"', 'no', 'yes'],
  ['!= is NOT =', 'resource.type!="gce_snapshot"', 'no', 'yes'],
  ['severity at least WARNING drops NOTICE', 'severity>=WARNING', 'no', 'no'],
  ['severity at least NOTICE', 'severity>=NOTICE', 'yes', 'yes'],
  ['numeric severity', 'severity>=300', 'yes', 'yes'],
  ['OR binds tighter than AND', 'resource.type="gce_instance" AND resource.type="gce_disk" OR resource.type="gce_snapshot"', 'no', 'no'],
  ['parentheses', '(resource.type="gce_instance" AND resource.type="gce_disk") OR resource.type="gce_snapshot"', 'yes', 'no'],
  ['implicit AND', 'protoPayload.serviceName="compute.googleapis.com" resource.type="gce_disk"', 'no', 'yes'],
  ['regular expression', 'protoPayload.methodName=~"compute\\.(snapshots\\.insert|disks\\.createSnapshot)$"', 'yes', 'yes'],
  ['negated regular expression', 'protoPayload.methodName!~"snapshots"', 'no', 'yes'],
  ['field exists', 'protoPayload.methodName:*', 'yes', 'yes'],
  ['absent payload', 'textPayload:"snapshot"', 'no', 'no'],
  ['NOT absent payload', 'NOT jsonPayload.message:"x"', 'yes', 'yes'],
  ['snake_case field names', 'proto_payload.method_name="v1.compute.disks.createSnapshot"', 'no', 'yes'],
  ['quoted @type field', 'protoPayload."@type"="type.googleapis.com/google.cloud.audit.AuditLog"', 'yes', 'yes'],
  ['principal varies: unknown', 'protoPayload.authenticationInfo.principalEmail="alice@example.com"', 'unknown', 'unknown'],
  ['unknown AND false is false', 'protoPayload.authenticationInfo.principalEmail:"x" AND resource.type="gce_instance"', 'no', 'no'],
  ['unknown OR true is true', 'protoPayload.authenticationInfo.principalEmail:"x" OR resource.type="gce_disk"', 'unknown', 'yes'],
  ['SEARCH() is unknown', 'SEARCH("snapshot")', 'unknown', 'unknown'],
  ['timestamps are unknown', 'timestamp>="2026-01-01T00:00:00Z"', 'unknown', 'unknown'],
  ['free text found in a known field', '"createSnapshot"', 'unknown', 'yes'],
  ['syntax error is unknown', 'resource.type=("gce_disk"', 'unknown', 'unknown'],
  ['hyphen inside a word is not negation', 'resource.labels.project_id=prod-1', 'yes', 'yes'],
  ['service name and severity', 'protoPayload.serviceName="compute.googleapis.com" AND severity=NOTICE', 'yes', 'yes'],
];

describe('Logging query language evaluator', () => {
  it.each(cases)('%s', (_name, filter, a, b) => {
    expect(evaluateFilter(filter, insert).matches).toBe(a);
    expect(evaluateFilter(filter, createSnapshot).matches).toBe(b);
  });

  it('explains why a verdict is unknown', () => {
    expect(evaluateFilter('SEARCH("x")', insert).reasons).toEqual(['function SEARCH() cannot be evaluated offline']);
    expect(evaluateFilter('a=(', insert).reasons[0]).toMatch(/could not be parsed/);
  });
});

interface AuditInput {
  kind: 'sink' | 'metric';
  filter: string;
  exclusions?: Array<{ name: string; filter: string; disabled: boolean }>;
}
interface AuditExpect {
  verdict: string;
  reasons?: string[];
  relevant?: boolean;
  /** Per call of the family (metrics): the calls it counts, exact, broad or unknown. */
  calls?: Record<string, string>;
}

describe('snapshot-creation coverage of sinks and log-based metrics (documented cases)', () => {
  describeCases<AuditInput, AuditExpect>(new URL('./cases/', import.meta.url), /^audit-/, (c) => {
    if (c.input.kind === 'sink') {
      const v = sinkExportVerdict('s', c.input.filter, c.input.exclusions ?? [], 'p');
      expect(v.records).toBe(c.expect.verdict);
      if (c.expect.reasons) expect(v.reasons).toEqual(c.expect.reasons);
    } else {
      const v = metricVerdict('m', c.input.filter, 'p');
      expect(v.match).toBe(c.expect.verdict);
      if (c.expect.reasons) expect(v.reasons).toEqual(c.expect.reasons);
      if (c.expect.relevant !== undefined) expect(v.relevant).toBe(c.expect.relevant);
      if (c.expect.calls) expect(Object.fromEntries(v.calls.map((x) => [x.call, x.match]))).toEqual(c.expect.calls);
    }
  });
});
