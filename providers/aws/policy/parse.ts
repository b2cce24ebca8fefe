/**
 * Policy documents in, normalised statements out. Accepts an object, a JSON string, or a URL-encoded JSON string
 * (what IAM's GetAccountAuthorizationDetails and GetPolicyVersion return). Every single-or-array element becomes an
 * array; condition blocks become a flat list of (operator, key, values) entries.
 */

export type Effect = 'Allow' | 'Deny';

export interface ConditionEntry {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  key: string;
  values: string[];
}

export interface PrincipalElement {
  /** `"*"` as the whole element. */
  wildcard: boolean;
  /** Values by principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`); keys as written. */
  byType: Record<string, string[]>;
}

export interface Statement {
  index: number;
  sid: string | null;
  effect: Effect;
  /** `null` when the statement has neither Action nor NotAction (never matches). */
  action: { element: 'Action' | 'NotAction'; patterns: string[] } | null;
  /** `null` when the statement has neither Resource nor NotResource (trust policies): matches any resource. */
  resource: { element: 'Resource' | 'NotResource'; patterns: string[] } | null;
  principal: { element: 'Principal' | 'NotPrincipal'; value: PrincipalElement } | null;
  conditions: ConditionEntry[];
}

export interface PolicyDocument {
  /** `2012-10-17` enables policy variables; `2008-10-17` (or none) treats `${…}` literally. */
  version: string | null;
  id: string | null;
  statements: Statement[];
}

export class PolicyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyParseError';
  }
}

/** Decodes a document given as an object, JSON, or URL-encoded JSON. */
export function decodeDocument(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  const text = input.trim();
  if (text.startsWith('{') || text.startsWith('[')) return JSON.parse(text);
  let decoded: string;
  try {
    decoded = decodeURIComponent(text); // RFC 3986: spaces are %20, a literal + stays +
  } catch {
    throw new PolicyParseError('policy document is neither JSON nor URL-encoded JSON');
  }
  try {
    return JSON.parse(decoded);
  } catch {
    throw new PolicyParseError('policy document is neither JSON nor URL-encoded JSON');
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Looks a key up case-insensitively (IAM element names are case-sensitive, but hand-written fixtures vary). */
function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(o)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function scalarText(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new PolicyParseError(`${what}: expected a string, got ${JSON.stringify(v)}`);
}

function stringList(v: unknown, what: string): string[] {
  if (Array.isArray(v)) return v.map((x) => scalarText(x, what));
  return [scalarText(v, what)];
}

function parsePrincipal(v: unknown, what: string): PrincipalElement {
  if (v === '*') return { wildcard: true, byType: {} };
  if (!isRecord(v)) throw new PolicyParseError(`${what}: expected "*" or an object`);
  const byType: Record<string, string[]> = {};
  for (const [type, values] of Object.entries(v)) byType[type] = stringList(values, `${what}.${type}`);
  return { wildcard: false, byType };
}

function parseConditions(v: unknown, what: string): ConditionEntry[] {
  if (v === undefined || v === null) return [];
  if (!isRecord(v)) throw new PolicyParseError(`${what}: expected an object`);
  const out: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(v)) {
    if (!isRecord(block)) throw new PolicyParseError(`${what}.${operator}: expected an object of keys`);
    for (const [key, values] of Object.entries(block))
      out.push({ operator, key, values: stringList(values, `${what}.${operator}.${key}`) });
  }
  return out;
}

function parseStatement(raw: unknown, index: number): Statement {
  const what = `Statement[${index}]`;
  if (!isRecord(raw)) throw new PolicyParseError(`${what}: expected an object`);
  const effectRaw = field(raw, 'Effect');
  if (effectRaw !== 'Allow' && effectRaw !== 'Deny') throw new PolicyParseError(`${what}.Effect must be "Allow" or "Deny"`);
  const sid = field(raw, 'Sid');
  const action = field(raw, 'Action');
  const notAction = field(raw, 'NotAction');
  const resource = field(raw, 'Resource');
  const notResource = field(raw, 'NotResource');
  const principal = field(raw, 'Principal');
  const notPrincipal = field(raw, 'NotPrincipal');
  return {
    index,
    sid: typeof sid === 'string' && sid !== '' ? sid : null,
    effect: effectRaw,
    action:
      action !== undefined
        ? { element: 'Action', patterns: stringList(action, `${what}.Action`) }
        : notAction !== undefined
          ? { element: 'NotAction', patterns: stringList(notAction, `${what}.NotAction`) }
          : null,
    resource:
      resource !== undefined
        ? { element: 'Resource', patterns: stringList(resource, `${what}.Resource`) }
        : notResource !== undefined
          ? { element: 'NotResource', patterns: stringList(notResource, `${what}.NotResource`) }
          : null,
    principal:
      principal !== undefined
        ? { element: 'Principal', value: parsePrincipal(principal, `${what}.Principal`) }
        : notPrincipal !== undefined
          ? { element: 'NotPrincipal', value: parsePrincipal(notPrincipal, `${what}.NotPrincipal`) }
          : null,
    conditions: parseConditions(field(raw, 'Condition'), `${what}.Condition`),
  };
}

const parsed = new WeakMap<object, PolicyDocument>();
const parsedText = new Map<string, PolicyDocument>();

/** Parses and normalises a policy document. Throws PolicyParseError on a malformed one. */
export function parsePolicy(input: unknown): PolicyDocument {
  if (typeof input === 'string') {
    const hit = parsedText.get(input);
    if (hit) return hit;
  } else if (isRecord(input)) {
    const hit = parsed.get(input);
    if (hit) return hit;
  }
  let raw: unknown;
  try {
    raw = decodeDocument(input);
  } catch (e) {
    if (e instanceof PolicyParseError) throw e;
    throw new PolicyParseError(`policy document is not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(raw)) throw new PolicyParseError('policy document must be a JSON object');
  const version = field(raw, 'Version');
  const id = field(raw, 'Id');
  const st = field(raw, 'Statement');
  if (st === undefined) throw new PolicyParseError('policy document has no Statement');
  const list = Array.isArray(st) ? st : [st];
  const doc: PolicyDocument = {
    version: typeof version === 'string' ? version : null,
    id: typeof id === 'string' ? id : null,
    statements: list.map((s, i) => parseStatement(s, i)),
  };
  if (typeof input === 'string') {
    if (parsedText.size > 2000) parsedText.clear();
    parsedText.set(input, doc);
  } else if (isRecord(input)) parsed.set(input, doc);
  return doc;
}

/** `Sid` when the statement has one, else its position (`#2`). */
export function statementLabel(s: Statement): string {
  return s.sid ?? `#${s.index}`;
}
