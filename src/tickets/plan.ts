/**
 * Ticket planning, a pure function of the latest recorded scan, the finding lifecycle and the ticket ledger:
 * open a ticket for a new finding, comment (and refresh the body) when its evidence changes, close it when the
 * finding is resolved or suppressed, reopen it when the finding regresses or its suppression expires. A finding
 * the latest scan could not assess (its scope was unreadable) leaves its ticket alone. Running the plan twice
 * against the same scan yields nothing the second time. Tickets adopted from the ticket system (reconciliation)
 * get their body brought up to date without a comment; tickets whose remote state is unknown (a webhook operation
 * cut short) get the desired state asserted again.
 */
import { createHash } from 'node:crypto';
import { terminalField } from '../core/terminal-text.ts';
import { findCheck } from '../../checks/index.ts';
import { globMatch } from '../core/glob.ts';
import { severityRank } from '../core/model/order.ts';
import type { Finding, Severity } from '../core/model/result.ts';
import { evidenceHash } from '../store/summary.ts';
import type { Lifecycle, ScanRecord, StoredFinding, TicketLink, TicketMember } from '../store/state-store.ts';
import type { TicketsConfig } from '../core/config/tickets.ts';
import { ACTIVITY_GROUP, activityKey, activityMemberLabel, activityTicket, isActivityFinding, isActivityKey } from './activity-group.ts';
import type { Block, DesiredTicket, TicketDoc, TicketDraft } from './model.ts';
import { ownerText, resourceText, routableOwner } from './names.ts';
import { truncate } from './render.ts';

export interface PlanInput {
  scan: ScanRecord;
  /**
   * The latest scan's findings (those at or above tickets.minSeverity, at least), read once: the plan keeps of each
   * only what decides its ticket (state, evidence hash, label), and reads a finding again through `finding` only to
   * draft a ticket it changes — so planning holds no scan's worth of findings.
   */
  findings: Iterable<StoredFinding>;
  /** A finding of the latest scan by fingerprint (null when that scan has none). */
  finding: (fingerprint: string) => Finding | null;
  /** The lifecycle of a fingerprint (a Map, or a lookup in the store). */
  lifecycles: Pick<ReadonlyMap<string, Lifecycle>, 'get'>;
  links: readonly TicketLink[];
  tickets: TicketsConfig;
  /** Ledger keys just adopted from the ticket system: refresh the body silently, no comment. */
  adopted?: ReadonlySet<string>;
  /** Ledger keys whose remote state is unknown: send the desired state again even if the ledger says it is there. */
  unsure?: ReadonlySet<string>;
}

interface OpBase {
  key: string;
  draft: TicketDraft;
  members: Record<string, TicketMember>;
  evidenceHash: string;
  reason: string;
}
export type TicketOp =
  | (OpBase & { kind: 'create' })
  | (OpBase & { kind: 'refresh'; link: TicketLink; comment: TicketDoc | null })
  | (OpBase & { kind: 'close'; link: TicketLink; comment: TicketDoc })
  | (OpBase & { kind: 'reopen'; link: TicketLink; comment: TicketDoc });

/** A member as planning keeps it: what decides the ticket, the finding itself left in the store. */
interface LightMember extends TicketMember {
  severity: Severity | null;
  /** The latest scan has this finding (`PlanInput.finding` reads it). */
  inScan: boolean;
}

/** A member with its finding read back, for drafting. */
interface Member extends TicketMember {
  finding: Finding | null;
  severity: Severity | null;
}

interface GroupOf<M> {
  key: string;
  marker: string;
  checkId: string;
  members: Map<string, M>;
}
type LightGroup = GroupOf<LightMember>;
type Group = GroupOf<Member>;

/** The group with its members' findings read back from the latest scan. */
function expand(g: LightGroup, input: PlanInput): Group {
  const members = new Map<string, Member>();
  for (const [fp, m] of g.members) {
    members.set(fp, {
      state: m.state,
      evidenceHash: m.evidenceHash,
      label: m.label,
      severity: m.severity,
      finding: m.inScan ? input.finding(fp) : null,
    });
  }
  return { ...g, members };
}

export const markerFor = (key: string, grouping: TicketsConfig['grouping']) =>
  `snapaudit-${grouping === 'finding' && !isActivityKey(key) ? key : createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

/**
 * The ledger key of a finding: its fingerprint, or `check|provider|scope` when tickets are grouped; an activity
 * finding about an identity (src/tickets/activity-group.ts) is always grouped by identity, `activity|provider|scope|identity`.
 * A lifecycle carries no resource: its activity findings are known by the ledger and the latest scan only.
 */
export const groupKeyOf = (
  grouping: TicketsConfig['grouping'],
  f: { fingerprint: string; checkId: string; provider: string; scopeId: string; finding?: Pick<Finding, 'resource'> },
) => {
  const resource = f.finding?.resource;
  if (resource && isActivityFinding({ checkId: f.checkId, resource })) return activityKey({ ...f, resource });
  return grouping === 'check-scope' ? `${f.checkId}|${f.provider}|${f.scopeId}` : f.fingerprint;
};

function selected(t: TicketsConfig, f: StoredFinding): boolean {
  if (severityRank(f.severity) > severityRank(t.minSeverity)) return false;
  const m = (patterns: readonly string[]) => patterns.some((p) => globMatch(p, f.checkId));
  return (t.checks.include.length === 0 || m(t.checks.include)) && !m(t.checks.exclude);
}

function memberLabel(f: Finding, grouped: boolean): string {
  if (!grouped) return truncate(f.message, 200);
  const where = f.resource ? (f.resource.name ?? f.resource.id) : f.scopeId;
  return truncate(`${where}${f.region ? ` (${f.region})` : ''}: ${f.message}`, 240);
}

function hashMembers(members: ReadonlyMap<string, TicketMember>): string {
  const parts = [...members.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([fp, m]) => `${fp}:${m.state}:${m.evidenceHash}`);
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/** The owner route for a finding: the first whose pattern matches its owner's id or sign-in name. */
function route(t: TicketsConfig, f: Finding | null) {
  const owners = routableOwner(f);
  const r = t.owners.find((o) => owners.some((x) => globMatch(o.owner, x)));
  return {
    assignee: r?.assignee ?? t.assignee ?? null,
    project: r?.project ?? null,
    // `snapaudit` always: reconciliation lists the ticket system's snapaudit tickets by it
    labels: [...new Set(['snapaudit', ...t.labels, ...(r?.labels ?? [])])],
  };
}

function footer(marker: string): Block {
  return {
    kind: 'paragraph',
    text: `Managed by snapaudit (marker ${marker}). Keep the ${marker} label: it links this ticket to the finding, so reruns update it instead of opening another.`,
  };
}

function checkBlocks(checkId: string): Block[] {
  const meta = findCheck(checkId)?.meta;
  if (!meta) return [];
  const refs = [
    ...meta.references.attack,
    ...meta.references.detection,
    ...meta.references.nist.map((n) => `NIST ${n}`),
    ...meta.references.cis,
  ];
  return [
    { kind: 'heading', text: 'Why it matters' },
    { kind: 'paragraph', text: meta.rationale },
    { kind: 'heading', text: 'Remediation' },
    { kind: 'paragraph', text: meta.remediation },
    { kind: 'paragraph', text: `References: ${refs.join(', ')}` },
  ];
}

function where(f: Pick<Finding, 'provider' | 'scopeId' | 'region'>): string {
  return `${f.provider} ${f.scopeId}${f.region ? ` / ${f.region}` : ''}`;
}

function draftFor(g: Group, input: PlanInput, link?: TicketLink): TicketDraft {
  const t = input.tickets;
  const open = [...g.members.values()].filter((m) => m.state === 'open' && m.finding).map((m) => m.finding!);
  const any = open[0] ?? [...g.members.values()].find((m) => m.finding)?.finding ?? null;
  const severity: Severity =
    [...g.members.values()]
      .filter((m) => m.state === 'open' && m.severity)
      .map((m) => m.severity!)
      .sort((a, b) => severityRank(a) - severityRank(b))[0] ??
    any?.severity ??
    'info';
  const r = route(t, any);
  const meta = findCheck(g.checkId)?.meta;
  const scan = input.scan;
  let title: string;
  let doc: TicketDoc;
  if (g.checkId === ACTIVITY_GROUP) {
    ({ title, doc } = activityTicket({
      key: g.key,
      members: [...g.members.entries()],
      severity,
      scan,
      footer: footer(g.marker),
      previousTitle: link?.title ?? null,
    }));
  } else if (t.grouping === 'finding') {
    const f = any;
    const life = input.lifecycles.get(g.key);
    title = f
      ? `[snapaudit] ${f.severity.toUpperCase()} ${f.checkId}: ${f.message}`
      : (link?.title ?? `[snapaudit] ${g.checkId} (${g.key})`);
    doc = f
      ? [
          { kind: 'paragraph', text: f.message },
          {
            kind: 'list',
            items: [
              `Check: ${f.checkId} — ${f.title}`,
              `Severity: ${f.severity}`,
              `Where: ${where(f)}`,
              ...(f.resource ? [`Resource: ${resourceText(f.resource)}`] : []),
              `Owner: ${ownerText(f)}`,
              ...(life
                ? [`First seen: ${life.firstSeenAt}${life.regressions ? ` (came back ${life.regressions} time(s) after being fixed)` : ''}`]
                : []),
              `Last scan: ${scan.id} at ${scan.startedAt}`,
              `Fingerprint: ${f.fingerprint}`,
            ],
          },
          { kind: 'heading', text: 'Evidence' },
          { kind: 'code', language: 'json', text: JSON.stringify(f.evidence, null, 2) },
          ...checkBlocks(f.checkId),
          footer(g.marker),
        ]
      : [footer(g.marker)];
  } else {
    const scopeId = any?.scopeId ?? g.key.split('|')[2] ?? '';
    const provider = any?.provider ?? g.key.split('|')[1] ?? '';
    title =
      open.length === 0 && link
        ? link.title
        : `[snapaudit] ${severity.toUpperCase()} ${g.checkId} in ${provider} ${scopeId}: ${open.length} open finding(s)`;
    const members = [...g.members.entries()].sort(([, a], [, b]) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    doc = [
      {
        kind: 'paragraph',
        text: `${open.length} open finding(s) of ${g.checkId}${meta ? ` (${meta.title})` : ''} in ${provider} ${scopeId}.`,
      },
      {
        kind: 'list',
        items: [
          `Highest severity: ${severity}`,
          `Owner: ${any ? ownerText(any) : 'unknown'}`,
          `Last scan: ${scan.id} at ${scan.startedAt}`,
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
      ...checkBlocks(g.checkId),
      footer(g.marker),
    ];
  }
  return {
    key: g.key,
    marker: g.marker,
    title: truncate(title, 240),
    doc,
    severity,
    labels: r.labels,
    assignee: r.assignee,
    project: r.project,
    findings: open,
  };
}

function changeComment(g: Group, link: TicketLink, input: PlanInput): TicketDoc {
  const scan = input.scan;
  const was = link.members;
  const added: string[] = [];
  const fixed: string[] = [];
  const muted: string[] = [];
  const changed: string[] = [];
  for (const [fp, m] of g.members) {
    const before = was[fp];
    if (m.state === 'open' && before?.state !== 'open') added.push(m.label);
    else if (m.state === 'resolved' && before?.state === 'open') fixed.push(m.label);
    else if (m.state === 'suppressed' && before?.state === 'open') muted.push(m.label);
    else if (m.state === 'open' && before && before.evidenceHash !== m.evidenceHash) changed.push(m.label);
  }
  const doc: TicketDoc = [{ kind: 'paragraph', text: `snapaudit scan ${scan.id} (${scan.startedAt}) found changes.` }];
  if (input.tickets.grouping === 'finding' && g.checkId !== ACTIVITY_GROUP) {
    const f = [...g.members.values()][0]?.finding;
    if (f)
      doc.push(
        { kind: 'paragraph', text: `Evidence changed: ${f.message}` },
        { kind: 'code', language: 'json', text: JSON.stringify(f.evidence, null, 2) },
      );
    return doc;
  }
  const section = (title: string, items: string[]) => {
    if (items.length) doc.push({ kind: 'paragraph', text: title }, { kind: 'list', items });
  };
  section('New:', added);
  section('Resolved:', fixed);
  section('Suppressed:', muted);
  section('Evidence changed:', changed);
  return doc;
}

/** Builds the groups the latest scan asks for, merged with what the ledger remembers. */
function groupsOf(input: PlanInput): LightGroup[] {
  const t = input.tickets;
  const grouped = t.grouping === 'check-scope';
  const groups = new Map<string, LightGroup>();
  const groupOf = (key: string, checkId: string, marker?: string): LightGroup => {
    let g = groups.get(key);
    if (!g) {
      g = { key, marker: marker ?? markerFor(key, t.grouping), checkId, members: new Map() };
      groups.set(key, g);
    }
    return g;
  };
  for (const f of input.findings) {
    if (!selected(t, f)) continue;
    const key = groupKeyOf(t.grouping, f);
    const activity = isActivityKey(key);
    groupOf(key, activity ? ACTIVITY_GROUP : f.checkId).members.set(f.fingerprint, {
      state: f.status === 'open' ? 'open' : 'suppressed',
      evidenceHash: evidenceHash(f.finding),
      label: activity ? activityMemberLabel(f.finding) : memberLabel(f.finding, grouped),
      severity: f.severity,
      inScan: true,
    });
  }
  for (const link of input.links) {
    const checkId = isActivityKey(link.key)
      ? ACTIVITY_GROUP
      : grouped
        ? (link.key.split('|')[0] ?? '')
        : (input.lifecycles.get(link.key)?.checkId ?? '');
    const g = groupOf(link.key, checkId, link.marker);
    for (const [fp, m] of Object.entries(link.members)) {
      if (g.members.has(fp)) continue;
      const life = input.lifecycles.get(fp);
      // gone and assessed (or forgotten by retention): resolved; gone but not assessed: as the ledger last knew it
      const state = !life || life.state === 'resolved' ? 'resolved' : m.state;
      g.members.set(fp, { state, evidenceHash: m.evidenceHash, label: m.label, severity: null, inScan: false });
    }
  }
  return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

interface Decision {
  group: LightGroup;
  members: Record<string, TicketMember>;
  evidenceHash: string;
  wantOpen: boolean;
}

/** Each group's decision, one at a time (the groups are light; a decision and its draft are made when asked for). */
function* decide(input: PlanInput): Generator<Decision> {
  for (const g of groupsOf(input)) {
    yield {
      group: g,
      members: Object.fromEntries(
        [...g.members.entries()].map(([fp, m]) => [fp, { state: m.state, evidenceHash: m.evidenceHash, label: m.label }]),
      ),
      evidenceHash: hashMembers(g.members),
      wantOpen: [...g.members.values()].some((m) => m.state === 'open'),
    };
  }
}

function reopenOp(d: Decision, group: Group, link: TicketLink, input: PlanInput): TicketOp {
  const scan = input.scan;
  const expired = [...group.members.values()].find((m) => m.state === 'open' && m.finding?.suppression?.expired);
  const reason = expired ? 'suppression expired' : 'regressed';
  const text = expired
    ? `Reopened: the suppression by ${expired.finding!.suppression!.owner} expired on ${expired.finding!.suppression!.expires} ("${expired.finding!.suppression!.reason}"); snapaudit scan ${scan.id} finds this open again.`
    : `Reopened: snapaudit scan ${scan.id} (${scan.startedAt}) finds this again after it had been resolved.`;
  const base = { key: d.group.key, members: d.members, evidenceHash: d.evidenceHash };
  return { ...base, kind: 'reopen', link, draft: draftFor(group, input), reason, comment: [{ kind: 'paragraph', text }] };
}

function closeOp(d: Decision, group: Group, link: TicketLink, input: PlanInput): TicketOp {
  const scan = input.scan;
  const values = [...group.members.values()];
  const suppressed = values.filter((m) => m.state === 'suppressed');
  const s = suppressed.find((m) => m.finding?.suppression)?.finding?.suppression;
  const onlySuppressed = suppressed.length > 0 && values.every((m) => m.state === 'suppressed');
  const text =
    onlySuppressed && s
      ? `Closed: suppressed by ${s.owner} until ${s.expires} ("${s.reason}"). snapaudit reopens this ticket if the suppression expires while the finding is still there.`
      : `Resolved: snapaudit scan ${scan.id} (${scan.startedAt}) no longer finds this.`;
  return {
    key: d.group.key,
    members: d.members,
    evidenceHash: d.evidenceHash,
    kind: 'close',
    link,
    draft: draftFor(group, input, link),
    reason: onlySuppressed ? 'suppressed' : 'resolved',
    comment: [{ kind: 'paragraph', text }],
  };
}

/**
 * The operations that bring the tickets in line with the latest scan, one at a time: each is drafted (its findings
 * read back) only when it is reached, so a sync or a dry run holds one draft at a time, not one per ticket.
 */
export function* planOps(input: PlanInput): Generator<TicketOp> {
  const ledger = new Map(input.links.map((l) => [l.key, l]));
  for (const d of decide(input)) {
    const light = d.group;
    const link = ledger.get(light.key);
    const base = { key: light.key, members: d.members, evidenceHash: d.evidenceHash };
    const unsure = input.unsure?.has(light.key) === true;
    if (d.wantOpen) {
      if (!link) {
        const life = input.lifecycles.get(light.key);
        const reason = life && life.regressions > 0 ? 'regressed finding' : 'new finding';
        yield { ...base, kind: 'create', draft: draftFor(expand(light, input), input), reason };
      } else if (link.state === 'closed') {
        yield reopenOp(d, expand(light, input), link, input);
      } else if (input.adopted?.has(light.key)) {
        yield { ...base, kind: 'refresh', link, draft: draftFor(expand(light, input), input), reason: 'adopted', comment: null };
      } else if (link.evidenceHash !== d.evidenceHash) {
        const g = expand(light, input);
        yield {
          ...base,
          kind: 'refresh',
          link,
          draft: draftFor(g, input),
          reason: 'evidence changed',
          comment: changeComment(g, link, input),
        };
      } else if (unsure) {
        yield { ...base, kind: 'refresh', link, draft: draftFor(expand(light, input), input), reason: 'state unknown', comment: null };
      }
    } else if (link && (link.state === 'open' || unsure)) {
      yield closeOp(d, expand(light, input), link, input);
    }
  }
}

/** What a sync report keeps of an operation: enough to count and describe it, not its draft. */
export interface PlannedOp {
  kind: TicketOp['kind'];
  key: string;
  reason: string;
  /** The ticket it acts on: the marker a create searches for, else the ticket's key. */
  target: string;
  title: string;
}

export function plannedOf(op: TicketOp): PlannedOp {
  return {
    kind: op.kind,
    key: op.key,
    reason: op.reason,
    target: op.kind === 'create' ? op.draft.marker : op.link.remoteKey,
    title: op.draft.title,
  };
}

/** The state every ticket should be in after the latest scan, for receivers that diff (webhook, `tickets export`). */
export function desiredTickets(input: PlanInput): DesiredTicket[] {
  const ledger = new Map(input.links.map((l) => [l.key, l]));
  const desired: DesiredTicket[] = [];
  for (const d of decide(input)) {
    const link = ledger.get(d.group.key);
    const draft = draftFor(expand(d.group, input), input, link);
    desired.push({
      key: d.group.key,
      marker: d.group.marker,
      state: d.wantOpen ? 'open' : 'closed',
      title: draft.title,
      severity: draft.severity,
      remoteKey: link?.remoteKey ?? null,
    });
  }
  return desired;
}

export function describeOp(op: PlannedOp): string {
  const verb = { create: 'create ', refresh: 'comment', close: 'close  ', reopen: 'reopen ' }[op.kind];
  return `${verb}  ${terminalField(op.target)}  ${op.reason}: ${terminalField(op.title)}`;
}
