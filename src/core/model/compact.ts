/**
 * Compact results (schema 3): the structures a scope repeats — a grant path's steps, a snapshot's readings and its
 * sharing / owner / source / encryption, a region's per-operation matrix, a finding's evidence — are written once in
 * the scope's `shared` table and referenced by id where they recur, so a result grows with its findings and
 * inventory, not with repetition. The table belongs to its scope: every scope of result.json and every line of
 * result.ndjson stays self-contained (read, merged and streamed one at a time), and nothing is held across scopes.
 *
 * A reference is the id (a content hash of the value's JSON) written in the value's place, a string where the value
 * is never a string (an object or an array), so a reader tells the two apart by type alone. Only values that recur
 * in the scope are shared; one that occurs once stays where it is. In memory results are always expanded: compaction
 * is done by the writers of result.json and result.ndjson, expansion by their readers (before validation).
 */
import { hash } from 'node:crypto';

/**
 * Where shared values may stand, as paths in a scope (`*`: every element of an array). Each names a value that is an
 * object or an array, never a string.
 */
export const sharedSlots: readonly string[] = [
  'principals.*.grants.*.path.*',
  'snapshots.*.facts.*',
  'snapshots.*.encryption',
  'snapshots.*.sharing',
  'snapshots.*.owner',
  'snapshots.*.source',
  'snapshots.*.automation',
  'snapshots.*.tags',
  'logging.regions.*.operations',
  'findings.*.evidence',
];

const SLOTS = sharedSlots.map((s) => s.split('.'));

/** Characters of a shared id: 12 hex digits of the value's SHA-256 (a clash with another value leaves it inline). */
const ID_CHARS = 12;
export const SHARED_ID = /^[0-9a-f]{12}$/;

/** Values shorter than this stay inline: their reference would save next to nothing. */
const MIN_SHARED_CHARS = 32;

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object';
}

/**
 * Calls `visit` with each value at `path` under `node` and puts back what it returns. With `own`, each container on
 * the way is first replaced by what `own` gives for it (a copy), so the values put back never land in the original.
 * (`at`: how much of the path is walked already; no key lists or path copies are made on the way.)
 */
function rewrite(
  node: Container,
  path: readonly string[],
  visit: (value: unknown) => unknown,
  own?: <C extends Container>(c: C) => C,
  at = 0,
): void {
  const head = path[at];
  if (head === undefined) return;
  if (head === '*') {
    if (Array.isArray(node)) for (let i = 0; i < node.length; i++) rewriteAt(node, i, path, visit, own, at);
  } else if (!Array.isArray(node)) rewriteAt(node, head, path, visit, own, at);
}

function rewriteAt(
  node: Container,
  key: string | number,
  path: readonly string[],
  visit: (value: unknown) => unknown,
  own: (<C extends Container>(c: C) => C) | undefined,
  at: number,
): void {
  const record = node as Record<string | number, unknown>;
  const child = record[key];
  if (child === undefined) return;
  if (at === path.length - 1) {
    const next = visit(child);
    if (next !== child) record[key] = next;
  } else if (isContainer(child)) {
    const mine = own ? own(child) : child;
    if (mine !== child) record[key] = mine;
    rewrite(mine, path, visit, own, at + 1);
  }
}

/**
 * A copier that copies each container once (shallow) and hands back the copy from then on: what rewriting a scope's
 * slots copies is the containers on the way to them (the scope, its arrays, each snapshot, principal, grant and
 * finding), never the values themselves, which the compact scope shares with the original.
 */
function copyOnce(): <C extends Container>(c: C) => C {
  const copies = new Set<Container>();
  return <C extends Container>(c: C): C => {
    if (copies.has(c)) return c;
    const copy = (Array.isArray(c) ? [...c] : { ...c }) as C;
    copies.add(copy);
    return copy;
  };
}

function sharedId(text: string): string {
  return hash('sha256', text, 'hex').slice(0, ID_CHARS);
}

/**
 * A scope as written to disk: a copy of `scope` with its recurring structures moved to a `shared` table (first, so a
 * streaming reader meets the table before the references) and referenced by id. The scope itself is left as it was;
 * the copy shares with it the values that stay in place and those its table holds (copied are only the containers that
 * lead to the slots): a value for writing as JSON, not for changing.
 */
export function compactScope<T extends object>(scope: T): Record<string, unknown> {
  const own = copyOnce();
  const copy = own(scope as Record<string, unknown>);
  const counts = new Map<string, number>();
  // each value's text, written once: the second pass meets the same values (only the containers on the way are copied)
  const texts = new Map<Container, string>();
  for (const slot of SLOTS)
    rewrite(copy, slot, (v) => {
      if (isContainer(v)) {
        const text = JSON.stringify(v);
        if (text.length >= MIN_SHARED_CHARS) {
          counts.set(text, (counts.get(text) ?? 0) + 1);
          texts.set(v, text);
        }
      }
      return v;
    });
  const table = new Map<string, string>();
  // the value each shared id stands for: its first occurrence (what JSON.parse of its text would give, for JSON data)
  const values = new Map<string, unknown>();
  // each recurring text hashed once, not once per occurrence (a grant path's step recurs hundreds of times)
  const ids = new Map<string, string>();
  for (const slot of SLOTS)
    rewrite(
      copy,
      slot,
      (v) => {
        const text = isContainer(v) ? texts.get(v) : undefined;
        if (text === undefined || (counts.get(text) ?? 0) < 2) return v;
        let id = ids.get(text);
        if (id === undefined) ids.set(text, (id = sharedId(text)));
        const held = table.get(id);
        if (held !== undefined && held !== text) return v;
        if (held === undefined) {
          table.set(id, text);
          values.set(id, v);
        }
        return id;
      },
      own,
    );
  if (table.size === 0) return copy;
  const shared = Object.fromEntries([...table.keys()].sort().map((id) => [id, values.get(id)]));
  return { shared, ...copy };
}

/** A shared reference that is not in its scope's table, or a table that is not one. */
export class SharedReferenceError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = 'SharedReferenceError';
  }
}

/**
 * A scope as read from disk (not yet validated) with its references replaced by the values of its `shared` table and
 * the table dropped. A scope without a table (schema 2, or nothing recurred) is returned as it is.
 */
export function expandScope(raw: unknown, where = 'scope'): unknown {
  if (!isContainer(raw) || Array.isArray(raw) || !('shared' in raw)) return raw;
  const { shared, ...scope } = raw as Record<string, unknown>;
  if (!isContainer(shared) || Array.isArray(shared)) throw new SharedReferenceError(`${where}.shared: not an object of shared values`);
  const table = new Map(Object.entries(shared));
  for (const slot of SLOTS)
    rewrite(scope, slot, (v) => {
      if (typeof v !== 'string') return v;
      const value = table.get(v);
      if (value === undefined)
        throw new SharedReferenceError(`${where}.${slot.join('.')}: "${v.slice(0, 40)}" is not an id of the scope's shared table`);
      return value;
    });
  return scope;
}

/** A result document as read from disk (not yet validated) with every scope expanded; the rest is left as it is. */
export function expandResult(raw: unknown): unknown {
  const doc = raw as { scopes?: unknown } | null;
  if (!isContainer(doc) || !Array.isArray(doc.scopes)) return raw;
  return { ...doc, scopes: doc.scopes.map((scope, i) => expandScope(scope, `scopes.${i}`)) };
}
