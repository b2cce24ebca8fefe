/**
 * The page-token faults, for every provider at once: a listing whose service hands back the token it was just given
 * (`repeat_page_token`) or goes round in a cycle (`cycle_page_tokens`: the page after the second points back to the
 * first). They rewrite the next-page token of an answer the provider module produced, wherever the wire puts it:
 * `NextToken` / `nextToken` / `Marker` (AWS JSON and XML), `nextPageToken` (Google), `nextLink` (ARM, an absolute URL
 * whose `$skiptoken` the next request carries). Every token handed out is remembered with the token of the request
 * it answered, so the lab knows where in its listing a request is.
 */
import type { LabRequest, LabResponse } from './core.ts';

type PagingFault = 'repeat_page_token' | 'cycle_page_tokens';

const jsonFields = ['NextToken', 'nextToken', 'nextPageToken', 'nextLink', 'Marker'];
const xmlToken = /<(NextToken|nextToken|Marker)>([^<]+)<\/\1>/;

interface Issued {
  /** The token of the request this token was handed out in answer to; null for a listing's first page. */
  parent: string | null;
}

export class PageTokenFaults {
  private readonly issued = new Map<string, Issued>();
  /** Query-parameter values that stand for an issued token (the `$skiptoken` of an ARM nextLink). */
  private readonly aliases = new Map<string, string>();

  /** Records the answer's token and, when `fault` applies, rewrites it. */
  apply(req: LabRequest, res: LabResponse, fault: PagingFault | null): LabResponse {
    const found = tokenOf(res);
    const from = this.requestToken(req);
    if (fault && from !== null) {
      const parent = this.issued.get(from)?.parent ?? null;
      const target = fault === 'repeat_page_token' ? from : parent === null ? null : this.root(from);
      if (target !== null && found) return replaceToken(res, found, target);
    }
    if (found && !this.issued.has(found.value)) this.remember(found.value, from);
    return res;
  }

  private remember(token: string, parent: string | null): void {
    this.issued.set(token, { parent });
    if (/^https?:\/\//.test(token)) {
      for (const [k, v] of new URL(token).searchParams) if (/token/i.test(k)) this.aliases.set(v, token);
    }
  }

  /** The first token of the listing a token belongs to. */
  private root(token: string): string {
    let cur = token;
    for (let parent = this.issued.get(cur)?.parent ?? null; parent !== null; parent = this.issued.get(cur)?.parent ?? null) cur = parent;
    return cur;
  }

  /** The issued token a request carries (in its query, or its JSON or form body), if any. */
  private requestToken(req: LabRequest): string | null {
    for (const v of candidates(req)) {
      if (this.issued.has(v)) return v;
      const alias = this.aliases.get(v);
      if (alias) return alias;
    }
    return null;
  }
}

function candidates(req: LabRequest): string[] {
  const out = [...req.url.searchParams.values()];
  const body = req.body.trim();
  if (body.startsWith('{')) {
    const walk = (v: unknown): void => {
      if (typeof v === 'string') out.push(v);
      else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
    };
    try {
      walk(JSON.parse(body));
    } catch {
      // not JSON: no token in it
    }
  } else if (body) out.push(...new URLSearchParams(body).values());
  return out;
}

interface FoundToken {
  value: string;
  kind: 'json' | 'xml';
  field: string;
}

function tokenOf(res: LabResponse): FoundToken | null {
  const body = res.body.trimStart();
  if (body.startsWith('{')) {
    try {
      const doc = JSON.parse(body) as Record<string, unknown>;
      for (const field of jsonFields) {
        const v = doc[field];
        if (typeof v === 'string' && v !== '') return { value: v, kind: 'json', field };
      }
    } catch {
      return null;
    }
    return null;
  }
  const m = xmlToken.exec(body);
  return m ? { value: m[2] as string, kind: 'xml', field: m[1] as string } : null;
}

function replaceToken(res: LabResponse, found: FoundToken, value: string): LabResponse {
  if (found.kind === 'json') {
    const doc = JSON.parse(res.body) as Record<string, unknown>;
    doc[found.field] = value;
    return { ...res, body: JSON.stringify(doc) };
  }
  return { ...res, body: res.body.replace(`<${found.field}>${found.value}</${found.field}>`, `<${found.field}>${value}</${found.field}>`) };
}
