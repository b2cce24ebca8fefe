/** A small JSON-over-fetch helper for the sinks without a client library: non-2xx becomes an HttpError. */
import { scrubSecrets } from '../../core/secrets.ts';
import { HttpError, parseRetryAfter } from '../retry.ts';

/** How much of an error body is kept (scrubbed first; the message is cut to its final length only after redaction). */
const ERROR_BODY_MAX = 16_384;

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export async function requestJson<T>(fetchImpl: typeof fetch, req: JsonRequest): Promise<{ status: number; data: T; headers: Headers }> {
  let res: Response;
  try {
    res = await fetchImpl(req.url, {
      method: req.method,
      headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
  } catch (err) {
    // fetch says only "fetch failed"; the cause says why (refused, reset, an untrusted certificate…).
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (!cause?.message) throw err;
    const detail = `${req.method} ${new URL(req.url).pathname}: ${(err as Error).message} (${cause.code ? `${cause.code}: ` : ''}${cause.message})`;
    throw Object.assign(new TypeError(detail), { cause });
  }
  const text = await res.text();
  if (!res.ok) {
    const path = new URL(req.url).pathname;
    // Scrubbed whole, then bounded: a cut through an echoed token would leave a prefix no pattern recognises.
    const body = scrubSecrets(text).slice(0, ERROR_BODY_MAX);
    throw new HttpError(
      `${req.method} ${path}: HTTP ${res.status}${body ? ` ${body}` : ''}`,
      res.status,
      parseRetryAfter(res.headers.get('retry-after')),
    );
  }
  let data: T;
  try {
    data = (text ? JSON.parse(text) : undefined) as T;
  } catch {
    throw new HttpError(`${req.method} ${new URL(req.url).pathname}: response is not JSON`, res.status);
  }
  return { status: res.status, data, headers: res.headers };
}
