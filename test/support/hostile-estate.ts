/**
 * The demo organisation as an attacker would leave it: every name, tag, label, description and principal a cloud
 * lets a user write holds hostile text of every class (test/support/hostile.ts), and the calls that fail answer with
 * an error that echoes credentials of every shape (test/support/canaries.ts) along with terminal sequences and
 * markup. `additions` adds snapshots and principals, so a diff against a clean scan lists hostile names as new.
 */
import type { Estate } from '../../lab/estate.ts';
import { demoEstate } from '../resilience/support.ts';
import { ALL_CANARIES } from './canaries.ts';
import { FORMULAS, INVISIBLE, MARKUP, SURROGATES, TERMINAL } from './hostile.ts';

const CLASSES = [TERMINAL, INVISIBLE, MARKUP, FORMULAS, SURROGATES];

/** What the failing calls answer with: every credential shape, an OSC 8 link, and lines that look like Markdown. */
export const ECHO = `request was: ${ALL_CANARIES} ${TERMINAL[1]} ${MARKUP[8]}`;

/**
 * XML 1.0 (AWS's query and EC2 wires) cannot carry C0 controls: there the terminal class is sent as its C1 and DEL
 * forms, which XML can carry and a terminal still acts on.
 */
const xml = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, (c) => (c === '\u001b' ? '\u009b' : '\u007f'));

/** Cycles through the classes, so every field gets a different class and every class lands in every cloud. */
function texts() {
  let i = 0;
  return () => {
    const cls = CLASSES[i % CLASSES.length]!;
    const text = cls[Math.floor(i / CLASSES.length) % cls.length]!;
    i++;
    return text;
  };
}

export function hostileEstate(opts: { additions: boolean; echo?: 'calls' | 'sign-in' }): Estate {
  const e = structuredClone(demoEstate());
  const next = texts();
  e.name = `hostile ${TERMINAL[2]}${INVISIBLE[0]}`;
  for (const a of e.aws?.accounts ?? []) {
    a.name = `${a.name} ${next()}`;
    for (const s of a.snapshots) {
      s.tags = { ...s.tags, Name: xml(next()), owner: xml(next()), team: xml(next()) };
      s.description = xml(next());
    }
    for (const r of a.eventRules) r.description = `${next()} ${next()}`;
    if (opts.additions) {
      const base = a.snapshots[0];
      if (base) {
        a.snapshots.push({
          ...structuredClone(base),
          id: `${base.id.slice(0, -4)}ffff`,
          tags: { Name: xml(`${MARKUP[8]} ${TERMINAL[0]}`), owner: xml(`${INVISIBLE[0]} ${MARKUP[6]}`) },
        });
      }
      a.iam.users.push({
        name: `evil${xml(TERMINAL[0]!)}${INVISIBLE[0]}`,
        path: '/',
        groups: [],
        inlinePolicies: [
          {
            name: 'snap',
            document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:CreateSnapshot', Resource: '*' }] },
          },
        ],
        managedPolicies: [],
        tags: { owner: xml(MARKUP[5]!) },
      } as never);
    }
  }
  for (const sub of e.azure?.subscriptions ?? []) {
    sub.name = `${sub.name} ${next()}`;
    for (const s of sub.snapshots) s.tags = { ...s.tags, owner: next(), note: next() };
    for (const al of sub.activityLogAlerts) al.description = next();
  }
  for (const p of e.gcp?.projects ?? []) {
    p.name = `${p.name ?? p.id} ${next()}`;
    for (const s of p.snapshots) {
      s.labels = { ...s.labels, owner: next(), note: next() };
      s.description = next();
    }
    for (const al of p.alertPolicies) al.displayName = `${al.displayName} ${next()}`;
    if (opts.additions) {
      p.iam.push({ role: 'roles/compute.storageAdmin', members: [`user:${MARKUP[6]}${TERMINAL[1]}@evil.example`] } as never);
    }
  }
  const deny = (provider: 'aws' | 'azure' | 'gcp', operation: string) => ({ provider, operation, kind: 'access_denied', message: ECHO });
  e.faults = (
    opts.echo === 'sign-in'
      ? [deny('azure', 'login:GetToken')]
      : [deny('aws', 'cloudtrail:LookupEvents'), deny('azure', 'Microsoft.Insights:ListActivityLogs'), deny('gcp', 'logging:entries.list')]
  ) as Estate['faults'];
  return e;
}
