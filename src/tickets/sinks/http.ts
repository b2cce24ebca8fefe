/** A small JSON-over-fetch helper for the sinks without a client library: non-2xx becomes an HttpError. */
import { HttpError, parseRetryAfter } from '../retry.ts';

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export async function requestJson<T>(fetchImpl: typeof fetch, req: JsonRequest): Promise<{ status: number; data: T; headers: Headers }> {
  const res = await fetchImpl(req.url, {
    method: req.method,
    headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  const text = await res.text();
  if (!res.ok) {
    const path = new URL(req.url).pathname;
    throw new HttpError(
      `${req.method} ${path}: HTTP ${res.status}${text ? ` ${text.slice(0, 200)}` : ''}`,
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
