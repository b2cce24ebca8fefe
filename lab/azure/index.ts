/** The azure part of the lab. Placeholder until the azure provider lands: every request answers 501. */
import type { LabModuleFactory } from '../modules.ts';

export const azureLab: LabModuleFactory = {
  tls: true,
  create() {
    return {
      provider: 'azure',
      tls: true,
      credentials: {},
      identify: (req) => ({ service: 'azure', operation: `${req.method} ${req.url.pathname}`, scope: null, region: null }),
      handle: () => ({
        status: 501,
        headers: { 'content-type': 'application/json' },
        body: '{"error":{"code":"NotImplemented","message":"not served by this lab yet"}}',
      }),
      fault: () => ({ status: 500, body: '' }),
    };
  },
};
