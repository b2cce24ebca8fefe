/**
 * The contract between ticket sync and a ticket system. A sink knows how to find a ticket by its marker, create one,
 * comment, refresh its body, close and reopen it; sync decides when. Every ticket carries a marker derived from the
 * finding's fingerprint (or the check × scope group), so a ticket can be found again even when the local ledger is
 * lost.
 */
import type { Finding, Severity } from '../core/model/result.ts';
import type { TicketSinkKind } from '../core/config/tickets.ts';

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'checklist'; items: Array<{ text: string; done: boolean }> }
  | { kind: 'code'; text: string; language?: string };

export type TicketDoc = Block[];

export interface TicketDraft {
  /** Ledger key: the fingerprint, or `check|provider|scope` when grouped. */
  key: string;
  /** Written on the ticket (label / correlation id) to find it again: `snapaudit-<24 hex>`. */
  marker: string;
  title: string;
  doc: TicketDoc;
  severity: Severity;
  labels: string[];
  assignee: string | null;
  /** Jira project key, GitHub `owner/repo`, ServiceNow assignment group — from the owner route, else the sink's default. */
  project: string | null;
  /** The open findings the ticket is about (for the webhook payload). */
  findings: Finding[];
}

export interface RemoteTicket {
  /** Sink-specific id: Jira issue id, `owner/repo#number`, ServiceNow sys_id, webhook marker. */
  id: string;
  /** Human key: PROJ-12, #12, INC0010001. */
  key: string;
  url: string | null;
  state: 'open' | 'closed';
}

/** A ticket found by listing the ticket system, with the marker it carries. */
export interface ListedTicket extends RemoteTicket {
  marker: string;
  title: string;
  /** Where it was listed (Jira project key, GitHub `owner/repo`), to search for its marker there. */
  project: string | null;
}

/**
 * Identifies one operation (hash of marker, operation and scan id). Comments carry it as a tag (`snapaudit op <id>`),
 * so when an earlier attempt may have acted (`resume`: a crash, or a failure that does not say whether the server
 * acted) the sink looks for the tag before commenting again. State changes are checked against the ticket's current
 * state, never repeated blindly.
 */
export interface OpRef {
  id: string;
  resume: boolean;
}

export type CloseReason = 'resolved' | 'suppressed' | 'duplicate' | 'untracked';

/** The state every ticket should be in after the latest scan (the webhook reconcile event, `tickets export`). */
export interface DesiredTicket {
  key: string;
  marker: string;
  state: 'open' | 'closed';
  title: string;
  severity: Severity;
  /** The ticket the ledger links, when there is one. */
  remoteKey: string | null;
}

export interface TicketSink {
  readonly kind: TicketSinkKind;
  /** Whether the ticket system can be searched and read back (everything but the webhook). */
  readonly searchable: boolean;
  /**
   * Every ticket carrying the marker, in any state, oldest first, as the system's search index shows it: the index
   * may lag behind writes (Jira's JQL search is eventually consistent), so states found here are confirmed with get.
   */
  search(marker: string, project: string | null): Promise<RemoteTicket[]>;
  /** The ticket as the system holds it now (not through a search index); null when it no longer exists. */
  get(ticket: RemoteTicket): Promise<RemoteTicket | null>;
  /** Open tickets carrying a snapaudit marker in these projects (null: the sink's default), oldest first. */
  listOpen(projects: ReadonlyArray<string | null>): Promise<ListedTicket[]>;
  create(draft: TicketDraft): Promise<RemoteTicket>;
  /** Adds the comment (unless null) and brings title and body up to date. */
  refresh(ticket: RemoteTicket, draft: TicketDraft, comment: TicketDoc | null, op: OpRef): Promise<void>;
  /** Adds the comment, then resolves the ticket unless it already is. */
  close(ticket: RemoteTicket, draft: TicketDraft, comment: TicketDoc, reason: CloseReason, op: OpRef): Promise<void>;
  /** Adds the comment, brings title and body up to date, then reopens the ticket unless it already is open. */
  reopen(ticket: RemoteTicket, draft: TicketDraft, comment: TicketDoc, op: OpRef): Promise<void>;
  /** Sinks without remote state (the webhook): tells the receiver the whole desired ticket list. */
  reconcile?(tickets: readonly DesiredTicket[], scan: { id: string; complete: boolean }): Promise<void>;
}
