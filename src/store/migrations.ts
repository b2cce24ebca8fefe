/**
 * The state store's schema, as ordered migrations. Version N is `migrations[N - 1]`; a migration is never edited once
 * released — a change is a new entry at the end. Migration 1 creates the bookkeeping table the others record into.
 */
export interface Migration {
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    name: 'initial schema',
    sql: `
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
);

-- One row per recorded scan, oldest first by seq.
CREATE TABLE scans (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  complete INTEGER NOT NULL,
  interrupted INTEGER NOT NULL,
  providers TEXT NOT NULL,      -- JSON array of providers scanned
  discovered TEXT NOT NULL,     -- JSON array of providers whose discovery completed
  shard TEXT,                   -- "i/n", or NULL for a whole scan
  checks TEXT NOT NULL,         -- JSON array of the check ids that ran
  tool_version TEXT NOT NULL,
  summary TEXT NOT NULL,        -- JSON ScanSummary (counts the trend needs)
  recorded_at TEXT NOT NULL
);

-- What each scan could read, per scope: decides whether an absent finding is resolved or just not looked at.
CREATE TABLE scan_scopes (
  scan_seq INTEGER NOT NULL REFERENCES scans(seq) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,              -- coverage status
  regions TEXT NOT NULL,             -- JSON {region: status}
  principals_read INTEGER NOT NULL,  -- the who-can set of this scope is complete
  snapshot_regions TEXT NOT NULL,    -- JSON array of regions whose snapshot list was read
  PRIMARY KEY (scan_seq, provider, scope_id)
);

CREATE TABLE scan_findings (
  scan_seq INTEGER NOT NULL REFERENCES scans(seq) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  check_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,          -- open | suppressed
  origin TEXT NOT NULL,          -- scope | discovery
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  region TEXT,
  evidence_hash TEXT NOT NULL,
  finding TEXT NOT NULL,         -- JSON Finding as reported
  PRIMARY KEY (scan_seq, fingerprint)
);

-- The who-can set: principal x capability per scope.
CREATE TABLE scan_capabilities (
  scan_seq INTEGER NOT NULL REFERENCES scans(seq) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  principal_name TEXT NOT NULL,
  principal_type TEXT NOT NULL,
  capability TEXT NOT NULL,
  external INTEGER NOT NULL,
  PRIMARY KEY (scan_seq, provider, scope_id, principal_id, capability)
);

CREATE TABLE scan_snapshots (
  scan_seq INTEGER NOT NULL REFERENCES scans(seq) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  region TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  snapshot_id TEXT NOT NULL,
  name TEXT,
  created_at TEXT,
  public TEXT NOT NULL,
  shared_outside INTEGER NOT NULL,
  owner TEXT,
  PRIMARY KEY (scan_seq, provider, scope_id, resource_id)
);

-- Lifecycle of every finding ever seen (survives retention until it is resolved and older than every kept scan).
CREATE TABLE findings (
  fingerprint TEXT PRIMARY KEY,
  check_id TEXT NOT NULL,
  origin TEXT NOT NULL,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  region TEXT,
  state TEXT NOT NULL,           -- open | resolved
  first_seen_seq INTEGER NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_seq INTEGER NOT NULL,
  last_seen_at TEXT NOT NULL,
  resolved_seq INTEGER,
  resolved_at TEXT,
  regressions INTEGER NOT NULL DEFAULT 0,
  last_regressed_at TEXT
);
CREATE INDEX findings_state ON findings (state);

-- The ticket ledger: which remote ticket tracks which finding (or check x scope group), and what it last said.
CREATE TABLE ticket_links (
  sink TEXT NOT NULL,
  key TEXT NOT NULL,             -- fingerprint, or the group key
  marker TEXT NOT NULL,          -- what is written on the ticket to find it again
  remote_id TEXT NOT NULL,
  remote_key TEXT NOT NULL,
  url TEXT,
  title TEXT NOT NULL,           -- the ticket's title when last written
  state TEXT NOT NULL,           -- open | closed
  evidence_hash TEXT NOT NULL,
  members TEXT NOT NULL,         -- JSON {fingerprint: {state, evidenceHash, label}}
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_scan_id TEXT,
  PRIMARY KEY (sink, key)
);

-- At most one writer: a lease with the holder's pid, host and heartbeat.
CREATE TABLE writer_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  command TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);
`,
  },
  {
    name: 'ticket operations in flight',
    sql: `
-- Ticket operations begun and not yet recorded as done: written before the first remote call of an operation and
-- removed in the same transaction as the ledger entry that completes it. A crash, or a create that failed without
-- saying whether the ticket was made, is settled by the next sync (search for the marker, resume by op_id).
CREATE TABLE ticket_ops (
  sink TEXT NOT NULL,
  key TEXT NOT NULL,             -- the ticket_links key the operation is about
  marker TEXT NOT NULL,
  kind TEXT NOT NULL,            -- create | refresh | close | reopen
  op_id TEXT NOT NULL,           -- hash of marker, kind and scan id, written on the ticket to recognise a repeat
  scan_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ambiguous_at TEXT,             -- when a create failed without saying whether the ticket was made
  target TEXT NOT NULL,          -- JSON {state, title, evidenceHash, members}: the ledger entry it writes when done
  PRIMARY KEY (sink, key)
);
`,
  },
  {
    name: 'creation activity: who has created in each scope',
    sql: `
-- Did the scan read the scope's creation activity completely (no activity gap)?
ALTER TABLE scan_scopes ADD COLUMN activity_read INTEGER NOT NULL DEFAULT 0;

-- The identities each scan saw creating or copying snapshots in a scope (successful calls within the lookback).
CREATE TABLE scan_creators (
  scan_seq INTEGER NOT NULL REFERENCES scans(seq) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  identity TEXT NOT NULL,
  first_at TEXT NOT NULL,        -- the earliest such event this scan saw
  events INTEGER NOT NULL,
  PRIMARY KEY (scan_seq, provider, scope_id, identity)
);

-- Every identity ever seen creating in a scope, kept past scan retention (activity.first-time-creator).
CREATE TABLE creators (
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  identity TEXT NOT NULL,
  first_seen_seq INTEGER NOT NULL,
  first_seen_at TEXT NOT NULL,
  PRIMARY KEY (provider, scope_id, identity)
);

-- Scopes whose creation activity a recorded scan has read: before that, no creator can be a first.
CREATE TABLE activity_scopes (
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  first_read_seq INTEGER NOT NULL,
  first_read_at TEXT NOT NULL,
  PRIMARY KEY (provider, scope_id)
);
`,
  },
];
