/** The gcp part of the lab. Placeholder until the gcp provider lands: every request answers 501. */
import type { LabModuleFactory } from '../modules.ts';

export const gcpLab: LabModuleFactory = {
  tls: false,
  create() {
    return {
      provider: 'gcp',
      tls: false,
      credentials: {},
      identify: (req) => ({ service: 'gcp', operation: `${req.method} ${req.url.pathname}`, scope: null, region: null }),
      handle: () => ({
        status: 501,
        headers: { 'content-type': 'application/json' },
        body: '{"error":{"code":"NotImplemented","message":"not served by this lab yet"}}',
      }),
      fault: () => ({ status: 500, body: '' }),
    };
  },
};
