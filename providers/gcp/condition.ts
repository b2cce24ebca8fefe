/**
 * IAM condition expressions (CEL) decided as far as the scan clock allows. An allow binding's condition or a deny
 * rule's denial condition that only compares `request.time` with timestamps — `request.time < timestamp("…")`,
 * the expiry IAM Conditions document for temporary access — has one value at the moment of the scan; anything else
 * (resource names, tags, the request's own attributes) depends on the request and stays undecided.
 *
 * Three-valued: `&&`, `||`, `!` and parentheses combine the parts (false && x is false, true || x is true), so a
 * condition whose time part is already false is false whatever the rest says.
 */

export type ConditionValue = 'true' | 'false' | 'unknown';

type Tok = { t: 'id' | 'str' | 'op' | '(' | ')' | ','; v: string };

function tokenize(src: string): Tok[] | null {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) return null;
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['&&', '||', '<=', '>=', '==', '!='].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('<>!'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c });
      i++;
      continue;
    }
    const m = /^[A-Za-z_][\w.]*|^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (!m) {
      // Anything else (indexing, arithmetic, `in`, macros…) is opaque: consume it as one unknown word.
      out.push({ t: 'id', v: `\u0000${c}` });
      i++;
      continue;
    }
    out.push({ t: 'id', v: m[0] });
    i += m[0].length;
  }
  return out;
}

/** A comparison operand: the request time, a timestamp literal, or something opaque. */
type Operand = { k: 'now' } | { k: 'time'; ms: number } | { k: 'opaque' };

class Parser {
  private i = 0;
  private readonly toks: Tok[];
  private readonly now: number | null;
  constructor(toks: Tok[], now: number | null) {
    this.toks = toks;
    this.now = now;
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }

  parse(): ConditionValue {
    const v = this.or();
    return this.i === this.toks.length ? v : 'unknown';
  }

  private or(): ConditionValue {
    let v = this.and();
    while (this.peek()?.v === '||') {
      this.i++;
      const r = this.and();
      v = v === 'true' || r === 'true' ? 'true' : v === 'false' && r === 'false' ? 'false' : 'unknown';
    }
    return v;
  }

  private and(): ConditionValue {
    let v = this.unary();
    while (this.peek()?.v === '&&') {
      this.i++;
      const r = this.unary();
      v = v === 'false' || r === 'false' ? 'false' : v === 'true' && r === 'true' ? 'true' : 'unknown';
    }
    return v;
  }

  private unary(): ConditionValue {
    if (this.peek()?.v === '!') {
      this.i++;
      const v = this.unary();
      return v === 'true' ? 'false' : v === 'false' ? 'true' : 'unknown';
    }
    return this.comparison();
  }

  private comparison(): ConditionValue {
    if (this.peek()?.t === '(') {
      // A parenthesised boolean expression.
      this.i++;
      const v = this.or();
      if (this.peek()?.t !== ')') return this.skipRest();
      this.i++;
      return v;
    }
    const left = this.operand();
    const op = this.peek();
    if (op?.t !== 'op' || !['<', '<=', '>', '>=', '==', '!='].includes(op.v)) {
      if (left.k === 'opaque' && left.literal !== undefined) return left.literal;
      return 'unknown';
    }
    this.i++;
    const right = this.operand();
    return compare(left, op.v, right, this.now);
  }

  /** An operand: `request.time`, `timestamp("…")`, `true` / `false`, or anything else (opaque, skipped to the next operator). */
  private operand(): Operand & { literal?: ConditionValue } {
    const t = this.peek();
    if (!t) return { k: 'opaque' };
    if (t.t === 'id' && t.v === 'request.time' && this.toks[this.i + 1]?.t !== '(') {
      this.i++;
      if (this.peek()?.v?.startsWith('.')) return this.opaqueRest();
      return { k: 'now' };
    }
    if (
      t.t === 'id' &&
      t.v === 'timestamp' &&
      this.toks[this.i + 1]?.t === '(' &&
      this.toks[this.i + 2]?.t === 'str' &&
      this.toks[this.i + 3]?.t === ')'
    ) {
      const ms = Date.parse(this.toks[this.i + 2]?.v ?? '');
      this.i += 4;
      return Number.isNaN(ms) ? { k: 'opaque' } : { k: 'time', ms };
    }
    if (t.t === 'id' && (t.v === 'true' || t.v === 'false')) {
      this.i++;
      return { k: 'opaque', literal: t.v };
    }
    return this.opaqueRest();
  }

  /** Skips one opaque operand: words, strings, calls with balanced parentheses. */
  private opaqueRest(): Operand {
    let depth = 0;
    while (this.i < this.toks.length) {
      const t = this.toks[this.i] as Tok;
      if (depth === 0 && (t.t === ')' || (t.t === 'op' && t.v !== '!'))) break;
      if (t.t === '(') depth++;
      if (t.t === ')') depth--;
      this.i++;
    }
    return { k: 'opaque' };
  }

  private skipRest(): ConditionValue {
    this.i = this.toks.length;
    return 'unknown';
  }
}

function compare(a: Operand, op: string, b: Operand, now: number | null): ConditionValue {
  const value = (x: Operand) => (x.k === 'now' ? now : x.k === 'time' ? x.ms : null);
  // Only request.time against a timestamp is decided: two literals or two opaque parts are not what IAM writes.
  if (!((a.k === 'now' && b.k === 'time') || (a.k === 'time' && b.k === 'now'))) return 'unknown';
  const l = value(a);
  const r = value(b);
  if (l === null || r === null) return 'unknown';
  const ok = op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : op === '>=' ? l >= r : op === '==' ? l === r : l !== r;
  return ok ? 'true' : 'false';
}

/**
 * The value of an IAM condition expression at `now` (the scan clock): `true` or `false` when its `request.time`
 * comparisons decide it, `unknown` when it depends on anything else. Without a clock, always `unknown`.
 */
export function conditionAt(expression: string, now: Date | null): ConditionValue {
  const toks = tokenize(expression);
  if (!toks || toks.length === 0) return 'unknown';
  try {
    return new Parser(toks, now ? now.getTime() : null).parse();
  } catch {
    return 'unknown';
  }
}
