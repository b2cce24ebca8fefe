/**
 * The request context conditions and policy variables read from. Keys are case-insensitive. A *complete* context
 * (what AWS has when it evaluates a real request) says a missing key is absent; a *partial* one (what an offline
 * scanner knows) says a missing key is unknown, and the answer that depends on it becomes conditional. In a partial
 * context a key set to `null` is known to be absent.
 */

/** Three-valued truth: known true, known false, or depends on what the request context would hold. */
export type Truth = 'yes' | 'no' | 'maybe';

export type ContextScalar = string | number | boolean;
export type ContextValue = ContextScalar | readonly ContextScalar[] | null;
export type ContextInput = Readonly<Record<string, ContextValue | undefined>>;

export type Lookup = { state: 'present'; values: string[]; multi: boolean } | { state: 'absent' } | { state: 'unknown' };

export interface RequestContext {
  readonly complete: boolean;
  lookup(key: string): Lookup;
  /** The keys it holds (lower case), for explanations. */
  keys(): string[];
}

function build(input: ContextInput, complete: boolean, completePrefixes: readonly string[] = []): RequestContext {
  const map = new Map<string, Lookup>();
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    if (v === null) map.set(key, { state: 'absent' });
    else if (Array.isArray(v)) map.set(key, { state: 'present', values: v.map(String), multi: true });
    else map.set(key, { state: 'present', values: [String(v)], multi: false });
  }
  const missing: Lookup = complete ? { state: 'absent' } : { state: 'unknown' };
  const prefixes = completePrefixes.map((p) => p.toLowerCase());
  const absent: Lookup = { state: 'absent' };
  return {
    complete,
    lookup: (key) => {
      const k = key.toLowerCase();
      return map.get(k) ?? (prefixes.some((p) => k.startsWith(p)) ? absent : missing);
    },
    keys: () => [...map.keys()].sort(),
  };
}

/** Everything the request carries: a key not given is absent. */
export function completeContext(input: ContextInput = {}): RequestContext {
  return build(input, true);
}

/**
 * What is known offline: a key not given is unknown; a key given as `null` is known to be absent. Keys under a
 * `completePrefixes` entry (e.g. `aws:PrincipalTag/` when every tag of the principal is given) are all given: one
 * missing there is absent.
 */
export function partialContext(input: ContextInput = {}, completePrefixes: readonly string[] = []): RequestContext {
  return build(input, false, completePrefixes);
}

export function and(a: Truth, b: Truth): Truth {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'yes';
}

export function or(a: Truth, b: Truth): Truth {
  if (a === 'yes' || b === 'yes') return 'yes';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'no';
}

export function not(a: Truth): Truth {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'maybe';
}

export function truth(b: boolean): Truth {
  return b ? 'yes' : 'no';
}
