/** AWS wire formats the lab speaks: query-protocol parameters, EC2 and query XML, JSON 1.1, and their error shapes. */
import { randomUUID } from 'node:crypto';
import { decodeToken, encodeToken, type LabRequest, type LabResponse, page } from '../core.ts';

export type AwsProtocol = 'ec2' | 'query' | 'json' | 'rest-json';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export type XmlValue = string | number | boolean | null | undefined | XmlNode | XmlValue[] | XmlList;
export interface XmlNode {
  [tag: string]: XmlValue;
}
/** A list whose members are named after their type (`<DBSnapshot>`, `<Tag>`), as RDS writes them. */
export interface XmlList {
  readonly xmlListMember: string;
  readonly items: readonly XmlValue[];
}

export function xmlList(member: string, items: readonly XmlValue[]): XmlList {
  return { xmlListMember: member, items };
}

function isXmlList(v: object): v is XmlList {
  return 'xmlListMember' in v && 'items' in v;
}

/** Renders a plain object as XML: arrays become `<item>` members (EC2) or `<member>` (query), null/undefined are left out. */
export function toXml(value: XmlValue, listItem: 'item' | 'member'): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<${listItem}>${toXml(v, listItem)}</${listItem}>`).join('');
  if (typeof value === 'object' && isXmlList(value))
    return value.items.map((v) => `<${value.xmlListMember}>${toXml(v, listItem)}</${value.xmlListMember}>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v, listItem)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** Query-protocol parameters (form body or URL query). */
export function queryParams(req: LabRequest): URLSearchParams {
  const ct = String(req.headers['content-type'] ?? '');
  if (req.method === 'POST' && ct.includes('x-www-form-urlencoded')) return new URLSearchParams(req.body);
  return req.url.searchParams;
}

/** Collects `Prefix.1`, `Prefix.2`… (EC2 lists) or `Prefix.member.1`… (query lists). */
export function listParam(params: URLSearchParams, prefix: string): string[] {
  const out: Array<[number, string]> = [];
  for (const [k, v] of params) {
    const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(?:member\\.)?(\\d+)$`).exec(k);
    if (m) out.push([Number(m[1]), v]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** EC2 filters: Filter.N.Name / Filter.N.Value.M */
export function ec2Filters(params: URLSearchParams): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const [k, v] of params) {
    const m = /^Filter\.(\d+)\.Name$/.exec(k);
    if (m) filters.set(v, listParam(params, `Filter.${m[1]}.Value`));
  }
  return filters;
}

export function ec2Response(action: string, body: XmlNode): LabResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId>${toXml(body, 'item')}</${action}Response>`,
  };
}

export function queryResponse(action: string, namespace: string, result: XmlNode): LabResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<${action}Response xmlns="${namespace}"><${action}Result>${toXml(result, 'member')}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function jsonResponse(body: unknown): LabResponse {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) };
}

export function awsError(protocol: AwsProtocol, status: number, code: string, message: string): LabResponse {
  if (protocol === 'json' || protocol === 'rest-json') {
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
      body: JSON.stringify({ __type: code, message }),
    };
  }
  if (protocol === 'ec2') {
    return {
      status,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`,
    };
  }
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** Service and region from the SigV4 credential scope; the access key id names the caller. */
export function sigv4(req: LabRequest): { accessKeyId: string | null; region: string | null; service: string | null } {
  const auth = String(req.headers.authorization ?? '');
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  return m
    ? { accessKeyId: m[1] ?? null, region: m[2] ?? null, service: m[3] ?? null }
    : { accessKeyId: null, region: null, service: null };
}

/**
 * One page of a token-paged listing, as every AWS listing the lab serves pages: opaque tokens bound to the listing
 * (`salt`), pages possibly shorter than asked (`size` is already capped by the estate's pageLimits). A token the
 * listing did not issue gets the service's own error (`invalid`).
 */
export function tokenPage<T>(
  items: readonly T[],
  token: string | null | undefined,
  salt: string,
  size: number,
  invalid: () => LabResponse,
): { items: T[]; next: string | undefined } | { error: LabResponse } {
  const offset = decodeToken(token, salt);
  if (offset === null) return { error: invalid() };
  const p = page(items, offset, size);
  return { items: p.items, next: p.next === null ? undefined : encodeToken(p.next, salt) };
}
