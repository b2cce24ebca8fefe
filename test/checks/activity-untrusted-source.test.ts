import check from '../../checks/activity-untrusted-source.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeActivity, makeScopeInput } from '../support/factories.ts';

const policy = {
  ...defaultConfig().policy,
  trustedNetworks: { cidrs: ['198.51.100.0/24', '2001:db8::/32'], vpcEndpoints: ['vpce-0123456789abcdef0'] },
};

runCheckCases(check, {
  pass: [
    { name: 'trusted networks not configured', input: makeScopeInput({ activity: [makeActivity({ source: { ip: '203.0.113.9' } })] }) },
    { name: 'an address inside a trusted CIDR', input: makeScopeInput({ activity: [makeActivity()] }), ctx: { policy } },
    {
      name: 'an IPv6 address inside a trusted CIDR',
      input: makeScopeInput({ activity: [makeActivity({ source: { ip: '2001:db8::5' } })] }),
      ctx: { policy },
    },
    {
      name: 'through a trusted VPC endpoint (the logged address is private)',
      input: makeScopeInput({ activity: [makeActivity({ source: { ip: '10.0.0.5', vpcEndpointId: 'vpce-0123456789abcdef0' } })] }),
      ctx: { policy },
    },
    {
      name: 'a cloud service calling on its own, and a source that is no address',
      input: makeScopeInput({
        activity: [
          makeActivity({ source: { ip: 'backup.amazonaws.com', agent: 'cloud-service' } }),
          makeActivity({ id: 'ev-2', source: { ip: 'AWS Internal', agent: 'console' } }),
        ],
      }),
      ctx: { policy },
    },
  ],
  fail: [
    {
      name: 'addresses outside every trusted network, failed attempts included',
      input: makeScopeInput({
        activity: [
          makeActivity({ source: { ip: '203.0.113.9' } }),
          makeActivity({
            id: 'ev-2',
            source: { ip: '10.0.0.5', vpcEndpointId: 'vpce-0fedcba9876543210' },
            outcome: 'failure',
            errorCode: 'AccessDenied',
          }),
        ],
      }),
      ctx: { policy },
      expect: [{ messageId: 'untrusted', evidence: { count: 2, addresses: ['10.0.0.5', '203.0.113.9'] } }],
    },
  ],
});
