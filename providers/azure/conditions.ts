/**
 * Azure ABAC conditions (role assignment and deny assignment `condition`), decided offline where the documented
 * format lets us: https://learn.microsoft.com/en-us/azure/role-based-access-control/conditions-format
 *
 * - A condition is a boolean expression of `ActionMatches{'…'}` / `SubOperationMatches{'…'}` tests and
 *   `<attribute> <operator> <value>` expressions, combined with AND / && , OR / || , NOT / ! and parentheses.
 * - `!(ActionMatches{'<action>'}) OR (<expression>)` leaves every other action unrestricted: for an operation the
 *   ActionMatches does not name, the condition is true whatever the expression says.
 * - `@Environment[UtcNow]` with a DateTime operator is decided against the scan clock.
 * - Every other attribute (resource tags, request attributes, the principal's attributes, private links) depends on
 *   the request: unknown, so the grant is conditional.
 *
 * Evaluation is three-valued (yes / no / unknown); a condition we cannot parse is unknown, never true.
 */
import type { Tri } from '../../src/core/model/result.ts';
import { operationMatches } from './patterns.ts';

export interface ConditionContext {
  /** The operation (action or data action) being decided. */
  operation: string;
  /** The scan clock. */
  now: Date;
}

export interface ConditionVerdict {
  value: Tri;
  /** Why, in words: what was decided and what was left open. */
  notes: string[];
}

type Token = { kind: 'open' | 'close' | 'not' | 'and' | 'or' } | { kind: 'word'; text: string };

/** Splits a condition into tokens; quoted strings, `{…}` sets and `[…]` attribute names stay inside their word. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close' });
      i++;
      continue;
    }
    if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      tokens.push({ kind: c === '&' ? 'and' : 'or' });
      i += 2;
      continue;
    }
    if (c === '!' && text[i + 1] !== '=') {
      tokens.push({ kind: 'not' });
      i++;
      continue;
    }
    let word = '';
    while (i < text.length && !/[\s()]/.test(text[i] as string)) {
      const ch = text[i] as string;
      const close = ch === "'" ? "'" : ch === '{' ? '}' : ch === '[' ? ']' : null;
      if (close) {
        const end = text.indexOf(close, i + 1);
        if (end < 0) throw new Error(`unclosed ${ch}`);
        word += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      word += ch;
      i++;
    }
    const upper = word.toUpperCase();
    if (upper === 'AND' || upper === 'OR' || upper === 'NOT')
      tokens.push({ kind: upper === 'AND' ? 'and' : upper === 'OR' ? 'or' : 'not' });
    else tokens.push({ kind: 'word', text: word });
  }
  return tokens;
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'yes' && b === 'yes' ? 'yes' : 'unknown';
}

function or(a: Tri, b: Tri): Tri {
  if (a === 'yes' || b === 'yes') return 'yes';
  return a === 'no' && b === 'no' ? 'no' : 'unknown';
}

function not(a: Tri): Tri {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'unknown';
}

const dateOperators: Record<string, (now: number, value: number) => boolean> = {
  datetimeequals: (n, v) => n === v,
  datetimenotequals: (n, v) => n !== v,
  datetimegreaterthan: (n, v) => n > v,
  datetimegreaterthanequals: (n, v) => n >= v,
  datetimelessthan: (n, v) => n < v,
  datetimelessthanequals: (n, v) => n <= v,
};

const quoted = (s: string) => /^'(.*)'$/s.exec(s)?.[1] ?? null;

class Parser {
  private pos = 0;
  readonly notes: string[] = [];
  private readonly tokens: Token[];
  private readonly ctx: ConditionContext;
  constructor(tokens: Token[], ctx: ConditionContext) {
    this.tokens = tokens;
    this.ctx = ctx;
  }

  parse(): Tri {
    const v = this.orExpr();
    if (this.pos !== this.tokens.length) throw new Error('unexpected text after the end of the condition');
    return v;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private orExpr(): Tri {
    let v = this.andExpr();
    while (this.peek()?.kind === 'or') {
      this.pos++;
      v = or(v, this.andExpr());
    }
    return v;
  }

  private andExpr(): Tri {
    let v = this.unary();
    while (this.peek()?.kind === 'and') {
      this.pos++;
      v = and(v, this.unary());
    }
    return v;
  }

  private unary(): Tri {
    const t = this.peek();
    if (!t) throw new Error('the condition ends too early');
    if (t.kind === 'not') {
      this.pos++;
      return not(this.unary());
    }
    if (t.kind === 'open') {
      this.pos++;
      const v = this.orExpr();
      if (this.peek()?.kind !== 'close') throw new Error('missing )');
      this.pos++;
      return v;
    }
    if (t.kind !== 'word') throw new Error(`unexpected ${t.kind}`);
    return this.primary();
  }

  /** ActionMatches / SubOperationMatches, or `<attribute> <operator> <value>` (or `Exists <attribute>`). */
  private primary(): Tri {
    const words: string[] = [];
    while (this.peek()?.kind === 'word') words.push((this.tokens[this.pos++] as { text: string }).text);
    const first = words[0] ?? '';
    const fn = /^(ActionMatches|SubOperationMatches)\{'(.*)'\}$/is.exec(first);
    if (fn && words.length === 1) {
      const pattern = fn[2] ?? '';
      if ((fn[1] ?? '').toLowerCase() === 'actionmatches') return operationMatches(pattern, this.ctx.operation) ? 'yes' : 'no';
      // Snapshot operations have no sub-operations.
      return 'no';
    }
    const expression = words.join(' ');
    if (words.length === 3 && /^@Environment\[UtcNow\]$/i.test(first)) {
      const op = dateOperators[(words[1] ?? '').toLowerCase()];
      const value = Date.parse(quoted(words[2] ?? '') ?? '');
      if (op && !Number.isNaN(value)) {
        const v = op(this.ctx.now.getTime(), value);
        this.notes.push(`${expression} is ${v ? 'true' : 'false'} at scan time (${this.ctx.now.toISOString()})`);
        return v ? 'yes' : 'no';
      }
    }
    const attribute = words.find((w) => w.startsWith('@'));
    if (!attribute || words.length < 2) throw new Error(`not an expression: ${expression}`);
    this.notes.push(`${expression} depends on the request`);
    return 'unknown';
  }
}

/** Decides a condition for one operation: yes (always holds), no (never holds) or unknown (depends on the request). */
export function evaluateCondition(condition: string, ctx: ConditionContext): ConditionVerdict {
  try {
    const parser = new Parser(tokenize(condition), ctx);
    const value = parser.parse();
    return { value, notes: [...new Set(parser.notes)] };
  } catch (err) {
    return { value: 'unknown', notes: [`the condition could not be parsed (${(err as Error).message}): treated as unknown`] };
  }
}
