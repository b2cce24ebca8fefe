/**
 * IAM principals as GCP spells them — allow-policy members (`user:`, `group:`, `serviceAccount:`, `domain:`,
 * `allUsers`, `allAuthenticatedUsers`, `principal://`, `principalSet://`, `deleted:`) and the v2 identifiers deny
 * policies use — classified into the model's principal types, with "external" decided against the organisation's
 * domains and projects.
 */
import type { Principal, Tri } from '../../src/core/model/result.ts';

/** Consumer Google accounts: outside any organisation whatever the config says. */
const consumerDomains = new Set(['gmail.com', 'googlemail.com']);

export interface Membership {
  /** The organisation's domains (lower case). Empty: unknown, only consumer accounts count as external. */
  domains: readonly string[];
  /** Project ids inside the organisation, when discovery saw the whole organisation. */
  orgProjects: ReadonlySet<string> | null;
  /** Project numbers inside the organisation, when discovery saw the whole organisation (for service agents). */
  orgProjectNumbers?: ReadonlySet<string> | null;
  /** The organisation's Cloud Identity / Workspace customer ids (`principalSet://goog/cloudIdentityCustomerId/C…`). */
  customerIds?: readonly string[];
}

export interface MemberInfo {
  type: Principal['type'];
  name: string;
  external: boolean;
  /** Is it inside the organisation (for snapshot shares): yes / no / unknown. */
  inOrganization: Tri;
  /** The v2 (deny policy) identifier for the member, when it has one. */
  v2: string | null;
}

function domainOf(email: string): string {
  return (email.split('@')[1] ?? '').toLowerCase();
}

function byDomain(domain: string, m: Membership): Tri {
  if (consumerDomains.has(domain)) return 'no';
  if (m.domains.length === 0) return 'unknown';
  return m.domains.some((d) => domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`)) ? 'yes' : 'no';
}

function serviceAccountIn(email: string, m: Membership): Tri {
  const domain = domainOf(email);
  // A Google-managed service agent (`service-NUMBER@SERVICE.iam.gserviceaccount.com`, `NUMBER@cloudservices…`) acts
  // for the project with that number: inside the organisation when that project is.
  const agent = /^service-(\d+)@[a-z0-9-]+\.iam\.gserviceaccount\.com$|^(\d+)@cloudservices\.gserviceaccount\.com$/.exec(
    email.toLowerCase(),
  );
  if (agent) {
    const number = (agent[1] ?? agent[2]) as string;
    if (m.orgProjectNumbers?.has(number)) return 'yes';
    return m.orgProjectNumbers ? 'no' : 'unknown';
  }
  const own = /^([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(domain);
  if (own) {
    const project = own[1] as string;
    if (m.orgProjects === null) return 'unknown';
    return m.orgProjects.has(project) ? 'yes' : 'no';
  }
  // Google-managed service agents and default service accounts (…@cloudservices / developer / *-system…).
  if (domain.endsWith('gserviceaccount.com')) return 'yes';
  return 'unknown';
}

export function classifyMember(member: string, m: Membership): MemberInfo {
  let raw = member;
  let deleted = false;
  if (raw.startsWith('deleted:')) {
    deleted = true;
    raw = raw.slice('deleted:'.length).replace(/\?uid=.*$/, '');
  }
  const suffix = deleted ? ' (deleted)' : '';
  const colon = raw.indexOf(':');
  const kind =
    raw.startsWith('principal://') || raw.startsWith('principalSet://') ? raw.split('://')[0] : colon < 0 ? raw : raw.slice(0, colon);
  const value = colon < 0 ? raw : raw.slice(colon + 1);
  const tri = (t: Tri) => ({ inOrganization: t, external: t === 'no' });
  switch (kind) {
    case 'allUsers':
      return {
        type: 'public',
        name: 'allUsers (anyone on the internet)',
        external: true,
        inOrganization: 'no',
        v2: 'principalSet://goog/public:all',
      };
    case 'allAuthenticatedUsers':
      return {
        type: 'public',
        name: 'allAuthenticatedUsers (any Google account)',
        external: true,
        inOrganization: 'no',
        v2: 'principalSet://goog/public:all',
      };
    case 'user':
      return { type: 'user', name: value + suffix, ...tri(byDomain(domainOf(value), m)), v2: `principal://goog/subject/${value}` };
    case 'group':
      return { type: 'group', name: value + suffix, ...tri(byDomain(domainOf(value), m)), v2: `principalSet://goog/group/${value}` };
    case 'serviceAccount':
      return {
        type: 'service-account',
        name: value + suffix,
        ...tri(serviceAccountIn(value, m)),
        v2: `principal://iam.googleapis.com/projects/-/serviceAccounts/${value}`,
      };
    case 'domain':
      return { type: 'domain', name: `everyone in ${value}`, ...tri(byDomain(value.toLowerCase(), m)), v2: null };
    case 'principal': {
      const subject = /^principal:\/\/goog\/subject\/(.+)$/.exec(raw);
      if (subject) return { type: 'user', name: subject[1] as string, ...tri(byDomain(domainOf(subject[1] as string), m)), v2: raw };
      const sa = /^principal:\/\/iam\.googleapis\.com\/projects\/-\/serviceAccounts\/(.+)$/.exec(raw);
      if (sa) return { type: 'service-account', name: sa[1] as string, ...tri(serviceAccountIn(sa[1] as string, m)), v2: raw };
      // Workforce / workload identity pool subjects: identities from an external identity provider.
      return { type: 'federated', name: raw, external: true, inOrganization: 'no', v2: raw };
    }
    case 'principalSet': {
      if (raw === 'principalSet://goog/public:all')
        return { type: 'public', name: 'anyone on the internet', external: true, inOrganization: 'no', v2: raw };
      const customer = /^principalSet:\/\/goog\/cloudIdentityCustomerId\/(.+)$/.exec(raw);
      if (customer) {
        const own = (m.customerIds ?? []).includes(customer[1] as string);
        return {
          type: 'principal-set',
          name: `every account of customer ${customer[1]}`,
          external: !own,
          inOrganization: own ? 'yes' : 'no',
          v2: raw,
        };
      }
      const group = /^principalSet:\/\/goog\/group\/(.+)$/.exec(raw);
      if (group) return { type: 'group', name: group[1] as string, ...tri(byDomain(domainOf(group[1] as string), m)), v2: raw };
      return { type: 'principal-set', name: raw, external: true, inOrganization: 'no', v2: raw };
    }
    default:
      return { type: 'unknown', name: member, external: false, inOrganization: 'unknown', v2: null };
  }
}
