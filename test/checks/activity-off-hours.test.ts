import check from '../../checks/activity-off-hours.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import type { BusinessHours } from '../../src/core/config/schema.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeActivity, makeScopeInput } from '../support/factories.ts';

const berlin: BusinessHours = { timeZone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' };
const policy = { ...defaultConfig().policy, businessHours: berlin };
// 2026-11-25 is a Wednesday; Berlin is UTC+1 in November (CET).
const at = (iso: string, id = 'ev-1') => makeActivity({ id, at: iso });

runCheckCases(check, {
  pass: [
    { name: 'business hours not configured', input: makeScopeInput({ activity: [at('2026-11-25T02:00:00.000Z')] }) },
    { name: 'Wednesday 15:00 in Berlin', input: makeScopeInput({ activity: [at('2026-11-25T14:00:00.000Z')] }), ctx: { policy } },
    { name: 'start is inside (08:00 local)', input: makeScopeInput({ activity: [at('2026-11-25T07:00:00.000Z')] }), ctx: { policy } },
    {
      name: 'recognised automation runs on its schedule',
      input: makeScopeInput({
        activity: [
          makeActivity({
            at: '2026-11-25T01:00:00.000Z',
            identity: { automation: { by: 'dlm', basis: 'userIdentity.invokedBy dlm.amazonaws.com' } },
          }),
        ],
      }),
      ctx: { policy },
    },
  ],
  fail: [
    {
      name: 'end is outside (18:00 local), night and weekend are outside',
      input: makeScopeInput({
        activity: [
          at('2026-11-25T17:00:00.000Z', 'ev-end'),
          at('2026-11-25T02:30:00.000Z', 'ev-night'),
          at('2026-11-28T11:00:00.000Z', 'ev-saturday'),
          at('2026-11-25T12:00:00.000Z', 'ev-noon'),
        ],
      }),
      ctx: { policy },
      expect: [
        {
          messageId: 'offHours',
          evidence: {
            count: 3,
            timeZone: 'Europe/Berlin',
            events: [{ id: 'ev-night' }, { id: 'ev-end' }, { id: 'ev-saturday' }],
            localTimes: [
              '2026-11-25 Wed 03:30 (Europe/Berlin)',
              '2026-11-25 Wed 18:00 (Europe/Berlin)',
              '2026-11-28 Sat 12:00 (Europe/Berlin)',
            ],
          },
        },
      ],
    },
    {
      name: 'daylight saving time moves the local hour (New York, July: UTC-4)',
      input: makeScopeInput({ activity: [at('2026-07-15T12:30:00.000Z')] }),
      ctx: { policy: { ...policy, businessHours: { ...berlin, timeZone: 'America/New_York', start: '09:00' } } },
      expect: [{ messageId: 'offHours', evidence: { localTimes: ['2026-07-15 Wed 08:30 (America/New_York)'] } }],
    },
  ],
});
