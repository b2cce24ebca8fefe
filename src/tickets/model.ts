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

export interface TicketSink {
  readonly kind: TicketSinkKind;
  /** The ticket carrying this marker, in any state, or null. */
  find(draft: TicketDraft): Promise<RemoteTicket | null>;
  create(draft: TicketDraft): Promise<RemoteTicket>;
  /** Adds a comment and brings title and body up to date. */
  refresh(ticket: RemoteTicket, draft: TicketDraft, comment: TicketDoc): Promise<void>;
  close(ticket: RemoteTicket, draft: TicketDraft, comment: TicketDoc, reason: 'resolved' | 'suppressed'): Promise<void>;
  reopen(ticket: RemoteTicket, draft: TicketDraft, comment: TicketDoc): Promise<void>;
}
