/**
 * Deciding a fact that can be read more than one way, the same for every provider: the authoritative reading wins
 * whenever it was read; a hint (a cheaper, less reliable read) decides only where the authority could not be read,
 * and can neither raise nor lower a verdict the authority contradicts. Every reading becomes a `Fact` quoting what
 * was received; a hint that disagrees with the authority becomes a `Conflict` whose note is built from the two quoted
 * values only.
 */
import type { Conflict, Fact, FactName, Reading, Tri } from './result.ts';

/** One read of a fact: what it returned (quoted) and the verdict that value means. */
export interface SourcedReading<T> extends Reading {
  verdict: T;
}

export interface Decision<T> {
  /** The verdict of the authority when read, else of the first hint, else the fallback. */
  verdict: T;
  /** The reading that decided, null when nothing was read. */
  decidedBy: Reading | null;
  facts: Fact[];
  conflicts: Conflict[];
}

export function conflictNote(fact: FactName, kept: Reading, overruled: Reading): string {
  return `${fact}: ${overruled.source} returned ${overruled.value}, but ${kept.source} returned ${kept.value}; ${kept.source} decides`;
}

/**
 * @param authority the authoritative reading, or null when it was not read (turned off, failed)
 * @param hints     other readings, in order of preference
 * @param fallback  the verdict when nothing was read (usually "unknown")
 * @param same      whether two verdicts agree
 */
export function decideFact<T>(
  fact: FactName,
  authority: SourcedReading<T> | null,
  hints: readonly SourcedReading<T>[],
  fallback: T,
  same: (a: T, b: T) => boolean = Object.is,
): Decision<T> {
  const reading = (r: SourcedReading<T>): Reading => ({ source: r.source, value: r.value });
  const facts: Fact[] = [
    ...(authority ? [{ fact, ...reading(authority), authoritative: true }] : []),
    ...hints.map((h) => ({ fact, ...reading(h), authoritative: false })),
  ];
  if (authority) {
    const conflicts = hints
      .filter((h) => !same(h.verdict, authority.verdict))
      .map((h) => ({ fact, kept: reading(authority), overruled: reading(h), note: conflictNote(fact, reading(authority), reading(h)) }));
    return { verdict: authority.verdict, decidedBy: reading(authority), facts, conflicts };
  }
  const first = hints[0];
  return first
    ? { verdict: first.verdict, decidedBy: reading(first), facts, conflicts: [] }
    : { verdict: fallback, decidedBy: null, facts, conflicts: [] };
}

/**
 * A non-authoritative reading of whether an item is public, made after its verdict (a detective control's finding,
 * e.g. Security Hub's RDS.1 or Security Command Center's PUBLIC_COMPUTE_IMAGE): kept as a fact; where the authority
 * found the item not public, the disagreement is a conflict the authority decides.
 */
export function withPublicHint<S extends { facts: Fact[]; conflicts: Conflict[]; sharing: { public: Tri } }>(item: S, hint: Reading): S {
  const facts: Fact[] = [...item.facts, { fact: 'public', source: hint.source, value: hint.value, authoritative: false }];
  const authority = item.facts.find((f) => f.fact === 'public' && f.authoritative);
  if (item.sharing.public !== 'no' || !authority) return { ...item, facts };
  const kept = { source: authority.source, value: authority.value };
  const conflict: Conflict = { fact: 'public', kept, overruled: hint, note: conflictNote('public', kept, hint) };
  return { ...item, facts, conflicts: [...item.conflicts, conflict] };
}
