/**
 * Tickets for the creation-activity review (issue #18), grouped by identity: every `activity.*` finding about one
 * identity in one scope (unapproved, first time, off hours, untrusted source, sensitive source, denied attempts) is a
 * member of one ticket, whatever `tickets.grouping` says — a reviewer asks one question per identity ("was this
 * you, and was it approved?"), not one per check or per event. The ledger key is `activity|provider|scope|identity`,
 * its marker a hash of it; the ticket closes when every member finding is gone or suppressed, like a grouped ticket.
 */
import { findCheck } from '../../checks/index.ts';
import type { Finding, Severity } from '../core/model/result.ts';
import type { Block, TicketDoc } from './model.ts';
import { truncate } from './render.ts';

export const ACTIVITY_GROUP = 'activity';
const PREFIX = `${ACTIVITY_GROUP}|`;

/** Is this finding one of the activity review's, about an identity? */
export function isActivityFinding(f: { checkId: string; resource?: { kind: string; id: string } | null }): boolean {
  return f.checkId.startsWith('activity.') && f.resource?.kind === 'identity';
}

/** The ledger key of an identity's activity ticket. */
export function activityKey(f: { provider: string; scopeId: string; resource: { id: string } }): string {
  return `${PREFIX}${f.provider}|${f.scopeId}|${f.resource.id}`;
}

export function isActivityKey(key: string): boolean {
  return key.startsWith(PREFIX);
}

/** Provider, scope and identity of an activity key (the identity may itself hold `|`). */
export function parseActivityKey(key: string): { provider: string; scopeId: string; identity: string } {
  const [, provider = '', scopeId = '', ...rest] = key.split('|');
  return { provider, scopeId, identity: rest.join('|') };
}

/** A member's line in the checklist: which check, and what it says. */
export function activityMemberLabel(f: Finding): string {
  return truncate(`${f.title}: ${f.message}`, 240);
}

interface QuotedEvent {
  id: string;
  at: string;
  operation: string;
  outcome: string;
  errorCode: string | null;
  ip: string | null;
  agent: string;
}

/** The events the open findings quote, each once, in time order (at most `max`), as one line each. */
function eventLines(open: readonly Finding[], max = 20): string[] {
  const seen = new Map<string, QuotedEvent>();
  for (const f of open) {
    const events = (f.evidence as { events?: QuotedEvent[] } | null)?.events;
    for (const e of Array.isArray(events) ? events : []) if (e && typeof e.id === 'string') seen.set(e.id, e);
  }
  const sorted = [...seen.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
  const lines = sorted
    .slice(0, max)
    .map(
      (e) =>
        `${e.at} ${e.operation} ${e.outcome === 'success' ? 'succeeded' : `failed (${e.errorCode ?? 'no error code'})`} from ${e.ip ?? 'unknown'} (${e.agent}) [event ${e.id}]`,
    );
  return sorted.length > max ? [...lines, `… and ${sorted.length - max} more (activity.csv)`] : lines;
}

/** Why each check that has an open member matters, and what to do: one short section per check. */
function checkSections(checkIds: readonly string[]): Block[] {
  return [...new Set(checkIds)].sort().flatMap((id): Block[] => {
    const meta = findCheck(id)?.meta;
    return meta
      ? [
          { kind: 'heading', text: `${meta.title} (${id})` },
          { kind: 'paragraph', text: meta.rationale },
          { kind: 'paragraph', text: `Remediation: ${meta.remediation}` },
        ]
      : [];
  });
}

export interface ActivityTicketInput {
  key: string;
  /** Members as the plan holds them: label, state, the finding when the latest scan has it. */
  members: ReadonlyArray<[fingerprint: string, { label: string; state: string; finding: Finding | null }]>;
  severity: Severity;
  scan: { id: string; startedAt: string };
  footer: Block;
  previousTitle: string | null;
}

/** The title and body of an identity's activity ticket. */
export function activityTicket(input: ActivityTicketInput): { title: string; doc: TicketDoc } {
  const { provider, scopeId, identity } = parseActivityKey(input.key);
  const open = input.members.filter(([, m]) => m.state === 'open' && m.finding).map(([, m]) => m.finding!);
  const where = `${provider} ${scopeId}`;
  const title =
    open.length === 0 && input.previousTitle
      ? input.previousTitle
      : `[snapaudit] ${input.severity.toUpperCase()} snapshot activity by ${identity} in ${where}: ${open.length} open finding(s)`;
  const members = [...input.members].sort(([, a], [, b]) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const events = eventLines(open);
  const doc: TicketDoc = [
    {
      kind: 'paragraph',
      text: `${identity} made, copied, shared or exported snapshots in ${where} in a way ${open.length} activity check(s) flag. Confirm with the identity's owner that the activity was expected and approved.`,
    },
    {
      kind: 'list',
      items: [
        `Identity: ${identity}`,
        `Where: ${where}`,
        `Highest severity: ${input.severity}`,
        `Last scan: ${input.scan.id} at ${input.scan.startedAt}`,
      ],
    },
    { kind: 'heading', text: 'Findings' },
    {
      kind: 'checklist',
      items: members.map(([fp, m]) => ({
        text: `${m.label}${m.state === 'resolved' ? ' — resolved' : m.state === 'suppressed' ? ' — suppressed' : ''} [${fp}]`,
        done: m.state !== 'open',
      })),
    },
    ...(events.length ? [{ kind: 'heading', text: 'Events quoted' } as Block, { kind: 'list', items: events } as Block] : []),
    ...checkSections(open.map((f) => f.checkId)),
    input.footer,
  ];
  return { title, doc };
}
