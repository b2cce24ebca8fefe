/**
 * The ticket systems that can be read back (Jira, GitHub, ServiceNow) share one recipe for idempotent operations:
 * the comment comes first and carries the operation's tag (`snapaudit op <id>`, looked for before commenting again
 * when an earlier attempt may have acted), the state change comes last and only when the ticket's current state,
 * read directly rather than through search, differs. So "the ticket reached its state" implies "every earlier step
 * happened" — which is what the next sync checks after a crash — and a repeated operation never comments twice or
 * walks a workflow in a loop.
 */
import type { CloseReason, ListedTicket, OpRef, RemoteTicket, TicketDoc, TicketDraft, TicketSink } from '../model.ts';
import type { TicketSinkKind } from '../../core/config/tickets.ts';

/** The primitive operations of one ticket system. */
export interface TicketSystem {
  readonly kind: TicketSinkKind;
  search(marker: string, project: string | null): Promise<RemoteTicket[]>;
  get(ticket: RemoteTicket): Promise<RemoteTicket | null>;
  listOpen(projects: ReadonlyArray<string | null>): Promise<ListedTicket[]>;
  create(draft: TicketDraft): Promise<RemoteTicket>;
  /** Title and body. */
  update(ticket: RemoteTicket, draft: TicketDraft): Promise<void>;
  /** Whether a comment carrying this operation tag exists on the ticket. */
  hasComment(ticket: RemoteTicket, tag: string): Promise<boolean>;
  /** Adds the comment with the operation tag as its last line. */
  comment(ticket: RemoteTicket, doc: TicketDoc, tag: string): Promise<void>;
  /** Moves the ticket to the state (the caller has checked that it is not there yet). */
  transition(ticket: RemoteTicket, to: 'open' | 'closed', reason: CloseReason | null, comment: TicketDoc | null): Promise<void>;
}

/** The ticket the ledger links to no longer exists (deleted, or moved out of reach). */
export class TicketGoneError extends Error {
  readonly status = 404;
  constructor(key: string) {
    super(`ticket ${key} no longer exists (deleted, or moved where this account cannot see it)`);
    this.name = 'TicketGoneError';
  }
}

export const opTag = (id: string) => `snapaudit op ${id}`;

/**
 * The last line of a comment body: plain text or wiki markup (a string), or Atlassian Document Format (the text of
 * its last block). The operation tag is recognised only there, never inside quoted evidence.
 */
export function lastLine(body: unknown): string {
  if (typeof body === 'string') {
    const lines = body.split('\n').map((l) => l.trim());
    return lines.filter((l) => l !== '').at(-1) ?? '';
  }
  const content = (body as { content?: unknown } | null)?.content;
  if (!Array.isArray(content)) return '';
  const textOf = (node: unknown): string => {
    const n = node as { text?: unknown; content?: unknown } | null;
    if (typeof n?.text === 'string') return n.text;
    return Array.isArray(n?.content) ? n.content.map(textOf).join('') : '';
  };
  return textOf(content.at(-1)).trim();
}

export function composeSink(sys: TicketSystem): TicketSink {
  async function ensureComment(ticket: RemoteTicket, doc: TicketDoc, op: OpRef): Promise<void> {
    const tag = opTag(op.id);
    if (op.resume && (await sys.hasComment(ticket, tag))) return;
    await sys.comment(ticket, doc, tag);
  }
  async function ensureState(ticket: RemoteTicket, to: 'open' | 'closed', reason: CloseReason | null, comment: TicketDoc | null) {
    const now = await sys.get(ticket);
    if (!now) throw new TicketGoneError(ticket.key);
    if (now.state !== to) await sys.transition(ticket, to, reason, comment);
  }
  return {
    kind: sys.kind,
    searchable: true,
    search: (marker, project) => sys.search(marker, project),
    get: (ticket) => sys.get(ticket),
    listOpen: (projects) => sys.listOpen(projects),
    create: (draft) => sys.create(draft),
    async refresh(ticket, draft, comment, op) {
      if (comment) await ensureComment(ticket, comment, op);
      await sys.update(ticket, draft);
    },
    async close(ticket, _draft, comment, reason, op) {
      await ensureComment(ticket, comment, op);
      await ensureState(ticket, 'closed', reason, comment);
    },
    async reopen(ticket, draft, comment, op) {
      await ensureComment(ticket, comment, op);
      await sys.update(ticket, draft);
      await ensureState(ticket, 'open', null, null);
    },
  };
}

/** Bounds every listing: a ticket system that keeps returning pages cannot keep a sync busy forever. */
export const MAX_PAGES = 50;
