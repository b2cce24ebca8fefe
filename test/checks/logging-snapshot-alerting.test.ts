import check from '../../checks/logging-snapshot-alerting.ts';
import type { OperationCoverage } from '../../src/core/model/result.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeAlert, makeRegionLogging, makeScopeInput } from '../support/factories.ts';

const regions = (...r: Array<Parameters<typeof makeRegionLogging>[0]>) =>
  makeScopeInput({ logging: { sources: [], alerts: [], regions: r.map(makeRegionLogging) } });

const op = (operation: string, effect: OperationCoverage['effect'], alerted: OperationCoverage['alerted'], alertIds: string[] = []) => ({
  operation,
  effect,
  recorded: 'yes' as const,
  alerted,
  alertIds,
  source: alertIds[0] ?? 'events:ListRules',
});

runCheckCases(check, {
  pass: [
    { name: 'exact alert', input: regions({ alerted: 'exact' }) },
    { name: 'alerting not collected', input: regions({ alerted: 'unknown' }) },
    {
      name: 'every operation of the family alerted by name',
      input: regions({
        alerted: 'exact',
        operations: [op('CreateSnapshot', 'create', 'exact', ['r']), op('ModifyImageAttribute', 'share', 'exact', ['r'])],
      }),
    },
    {
      // Could not read is a coverage gap, not a finding.
      name: 'operations whose alerting could not be read or judged',
      input: regions({ alerted: 'unknown', operations: [op('ModifyImageAttribute', 'share', 'unknown')] }),
    },
  ],
  fail: [
    {
      name: 'no alert',
      input: regions({ alerted: 'none' }, { region: 'eu-west-1', alerted: 'exact' }),
      expect: [{ severity: 'medium', messageId: 'noAlert', evidence: { scope: 'test-account', regions: ['us-east-1'] } }],
    },
    {
      name: 'only a broad alert is weaker',
      input: makeScopeInput({
        logging: {
          sources: [],
          alerts: [makeAlert({ id: 'admin-ops', match: 'broad' }), makeAlert({ id: 'other', match: 'none' })],
          regions: [makeRegionLogging({ alerted: 'broad' })],
        },
      }),
      expect: [
        {
          severity: 'low',
          resourceId: 'broad-match-only',
          messageId: 'broadAlertOnly',
          evidence: { regions: ['us-east-1'], alerts: ['admin-ops'] },
        },
      ],
    },
    {
      name: 'both, in different regions',
      input: regions({ alerted: 'none' }, { region: 'eu-west-1', alerted: 'broad' }),
      expect: [
        { messageId: 'noAlert', evidence: { regions: ['us-east-1'] } },
        { messageId: 'broadAlertOnly', evidence: { regions: ['eu-west-1'] } },
      ],
    },
    {
      // An alert on snapshot creation alone leaves the share and export of an AMI or a DB snapshot unseen
      // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
      name: 'creation alerted, sharing and exporting not: severity by effect, sharing first',
      input: regions(
        {
          alerted: 'exact',
          operations: [
            op('CreateSnapshot', 'create', 'exact', ['rule/snap']),
            op('CreateImage', 'create', 'none'),
            op('ModifyImageAttribute', 'share', 'none'),
            op('ModifyDBSnapshotAttribute', 'share', 'none'),
            op('StartExportTask', 'export', 'none'),
          ],
        },
        {
          region: 'eu-west-1',
          alerted: 'exact',
          operations: [op('CreateSnapshot', 'create', 'exact', ['rule/snap-eu']), op('ModifyImageAttribute', 'share', 'none')],
        },
      ),
      expect: [
        {
          severity: 'high',
          resourceId: 'operations-share-not-alerted',
          messageId: 'operationsNotAlerted',
          evidence: {
            effect: 'share',
            operations: [
              { operation: 'ModifyImageAttribute', regions: ['us-east-1', 'eu-west-1'], evidence: ['events:ListRules'] },
              { operation: 'ModifyDBSnapshotAttribute', regions: ['us-east-1'] },
            ],
          },
        },
        {
          severity: 'high',
          resourceId: 'operations-export-not-alerted',
          messageId: 'operationsNotAlerted',
          evidence: { effect: 'export', operations: [{ operation: 'StartExportTask' }] },
        },
        {
          severity: 'medium',
          resourceId: 'operations-create-not-alerted',
          messageId: 'operationsNotAlerted',
          evidence: { effect: 'create', operations: [{ operation: 'CreateImage', regions: ['us-east-1'] }] },
        },
      ],
    },
    {
      name: 'a region where nothing alerts on creation: its creating operations are left to noAlert, sharing is not',
      input: regions({
        alerted: 'none',
        operations: [op('CreateSnapshot', 'create', 'none'), op('galleries/share/action', 'share', 'none')],
      }),
      expect: [
        { messageId: 'noAlert', evidence: { regions: ['us-east-1'] } },
        {
          severity: 'high',
          messageId: 'operationsNotAlerted',
          evidence: { effect: 'share', operations: [{ operation: 'galleries/share/action' }] },
        },
      ],
    },
    {
      name: 'operations only broadly matched name the routes that catch them',
      input: regions({
        alerted: 'exact',
        operations: [
          op('CreateSnapshot', 'create', 'exact', ['rule/snap']),
          op('ModifyImageAttribute', 'share', 'broad', ['rule/ec2-all']),
        ],
      }),
      expect: [
        {
          severity: 'low',
          resourceId: 'operations-broad-match-only',
          messageId: 'operationsBroadOnly',
          evidence: {
            operations: [{ operation: 'ModifyImageAttribute', effect: 'share', regions: ['us-east-1'], evidence: ['rule/ec2-all'] }],
          },
        },
      ],
    },
  ],
});
