import type { TrustedNetworks } from '../src/core/config/schema.ts';
import type { ActivityEvent } from '../src/core/model/activity.ts';
import { cidrMatcher, isAddress } from '../src/core/network.ts';
import { defineCheck } from './define-check.ts';
import { activityOf, byIdentity, eventList, type IdentityEvidence, identityEvidence, identityRef } from './activity-support.ts';

type Untrusted = IdentityEvidence & { addresses: string[] };

/**
 * Can the event's source be judged, and is it trusted? Calls a cloud service made itself (its name instead of an
 * address) are not judged; nor are sources that are no address (CloudTrail's `AWS Internal`).
 */
function untrusted(e: ActivityEvent, nets: TrustedNetworks, inCidrs: (ip: string) => boolean): boolean {
  if (e.source.agent === 'cloud-service') return false;
  if (e.source.vpcEndpointId && nets.vpcEndpoints.includes(e.source.vpcEndpointId)) return false;
  const ip = e.source.ip;
  if (!ip || !isAddress(ip)) return false;
  return !inCidrs(ip);
}

export default defineCheck({
  id: 'activity.untrusted-source',
  title: 'Snapshot activity comes from trusted networks',
  severity: 'high',
  needs: ['activity'],
  rationale:
    'DET0423 asks to flag snapshot creation from unexpected source locations. Administrative snapshot work comes from the organisation’s networks or VPC endpoints (`policy.trustedNetworks`); a call from any other address used credentials outside them, the pattern of stolen keys.',
  remediation:
    'Find out who holds the credentials behind each address; if the address is legitimate (a new office, a CI runner), add its CIDR to `policy.trustedNetworks`; otherwise revoke the credentials and review what the copies exposed. Consider an `aws:SourceIp` / `aws:SourceVpce` condition on snapshot permissions.',
  references: { urls: ['https://attack.mitre.org/detectionstrategies/DET0423/'] },
  messages: {
    untrusted: (e: Untrusted) =>
      `${e.identity} made ${e.count} snapshot-family call(s) from outside the trusted networks (${e.addresses.join(', ')}): ${eventList(e.events, e.count)}.`,
  },
  scope(input, ctx) {
    const nets = ctx.policy?.trustedNetworks;
    if (!nets || (nets.cidrs.length === 0 && nets.vpcEndpoints.length === 0)) return [];
    const inCidrs = cidrMatcher(nets.cidrs);
    const events = activityOf(input).filter((e) => untrusted(e, nets, inCidrs));
    return byIdentity(events).map(([identity, list]) => ({
      resource: identityRef(identity),
      message: 'untrusted' as const,
      evidence: { ...identityEvidence(identity, list), addresses: [...new Set(list.map((e) => e.source.ip ?? ''))].sort() },
    }));
  },
});
