/** The per-operation coverage every provider builds its matrix with (src/core/model/logging.ts). */
import { describe, expect, it } from 'vitest';
import { operationCoverage } from '../../src/core/model/logging.ts';
import type { AlertRoute, RegionLogging } from '../../src/core/model/result.ts';

const row: RegionLogging = {
  region: 'eu-west-1',
  recorded: 'yes',
  sourceIds: ['trail'],
  central: 'yes',
  protected: 'yes',
  retentionDays: null,
  alerted: 'exact',
  alertIds: [],
  reasons: [],
};
const family = [
  { operation: 'CreateImage', effect: 'create' as const },
  { operation: 'ModifyImageAttribute', effect: 'share' as const },
  { operation: 'ExportImage', effect: 'export' as const },
];
const routeOf = (id: string, region: string, enabled: boolean, operations: AlertRoute['operations']): AlertRoute => ({
  id,
  kind: 'eventbridge-rule',
  name: id,
  region,
  enabled,
  match: 'none',
  reasons: [],
  operations,
});

describe('operation coverage', () => {
  it('takes the best enabled route of the region per operation and names it', () => {
    const alerts = [
      routeOf('broad-all', 'eu-west-1', true, [
        { operation: 'CreateImage', match: 'broad' },
        { operation: 'ModifyImageAttribute', match: 'broad' },
      ]),
      routeOf('named', 'eu-west-1', true, [{ operation: 'ModifyImageAttribute', match: 'exact' }]),
      routeOf('off', 'eu-west-1', false, [{ operation: 'ExportImage', match: 'exact' }]),
      routeOf('elsewhere', 'us-east-1', true, [{ operation: 'ExportImage', match: 'exact' }]),
    ];
    expect(operationCoverage(row, alerts, family, { read: 'events:ListRules' })).toEqual([
      { operation: 'CreateImage', effect: 'create', recorded: 'yes', alerted: 'broad', alertIds: ['broad-all'], source: 'broad-all' },
      {
        operation: 'ModifyImageAttribute',
        effect: 'share',
        recorded: 'yes',
        alerted: 'exact',
        alertIds: ['named', 'broad-all'],
        source: 'named',
      },
      { operation: 'ExportImage', effect: 'export', recorded: 'yes', alerted: 'none', alertIds: [], source: 'events:ListRules' },
    ]);
  });

  it('keeps "could not read" apart from "no route": unread routes and undecided filters are unknown', () => {
    expect(operationCoverage(row, null, family, { read: 'events:ListRules' }).map((o) => o.alerted)).toEqual([
      'unknown',
      'unknown',
      'unknown',
    ]);
    expect(operationCoverage(row, [], family, { read: 'events:ListRules', unread: true }).map((o) => o.alerted)).toEqual([
      'unknown',
      'unknown',
      'unknown',
    ]);
    const undecided = operationCoverage(row, [], family, { read: 'm', undecided: (op) => op === 'ExportImage' });
    expect(undecided.map((o) => o.alerted)).toEqual(['none', 'none', 'unknown']);
  });

  it('recording follows the region unless the provider judges it per operation', () => {
    const r = operationCoverage({ ...row, recorded: 'no' }, [], family, {
      read: 'x',
      recorded: (op) => (op.effect === 'share' ? 'unknown' : 'no'),
    });
    expect(r.map((o) => o.recorded)).toEqual(['no', 'unknown', 'no']);
  });
});
