/**
 * Validates a JSON response against the official protobuf definitions the Google client libraries ship
 * (`build/protos/protos.json`, compiled from googleapis; Compute Engine's is generated from its discovery document),
 * following the proto3 JSON mapping (https://protobuf.dev/programming-guides/json/): camelCase field names, 64-bit
 * integers as strings, enums as names (or numbers when the client asked for `enum-encoding=int`), well-known types
 * in their JSON forms. A field the message does not define is an error: the lab must not emit what the real service
 * cannot. Requests are matched to methods by their `google.api.http` bindings.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface ProtoField {
  type: string;
  rule?: 'repeated';
  keyType?: string;
}
interface ProtoType {
  fields?: Record<string, ProtoField>;
  values?: Record<string, number>;
  methods?: Record<string, { requestType: string; responseType: string; options?: Record<string, unknown>; parsedOptions?: unknown[] }>;
  nested?: Record<string, ProtoType>;
}

export interface HttpBinding {
  method: string;
  re: RegExp;
  /** Full name of the response message. */
  response: string;
  rpc: string;
}

export class ProtoSchemas {
  readonly types = new Map<string, ProtoType>();
  readonly bindings: HttpBinding[] = [];

  /** Loads the protos.json of each package (resolved from node_modules). */
  constructor(packages: readonly string[]) {
    const require = createRequire(import.meta.url);
    for (const pkg of packages) {
      const root = JSON.parse(readFileSync(require.resolve(`${pkg}/build/protos/protos.json`), 'utf8')) as ProtoType;
      this.index(root, '');
    }
    for (const [name, t] of this.types) {
      for (const [rpc, m] of Object.entries(t.methods ?? {})) {
        const scope = name.slice(0, name.lastIndexOf('.'));
        const response = this.resolve(m.responseType, scope);
        for (const http of httpRules(m.parsedOptions)) {
          this.bindings.push({ method: http.method, re: templateRe(http.path), response, rpc: `${name}.${rpc}` });
        }
      }
    }
  }

  private index(node: ProtoType, prefix: string) {
    for (const [k, v] of Object.entries(node.nested ?? {})) {
      const full = prefix ? `${prefix}.${k}` : k;
      this.types.set(full, v);
      this.index(v, full);
    }
  }

  /** Resolves a type name as protobuf does: relative to the enclosing scopes, innermost first. */
  resolve(name: string, scope: string): string {
    if (name.startsWith('.')) return name.slice(1);
    const parts = scope.split('.');
    for (let i = parts.length; i >= 0; i--) {
      const candidate = [...parts.slice(0, i), name].filter(Boolean).join('.');
      if (this.types.has(candidate)) return candidate;
    }
    return name;
  }

  /** Adds fields, messages and HTTP bindings the published REST reference defines beyond the installed protos. */
  supplement(data: {
    fields: Record<string, Record<string, ProtoField>>;
    messages: Record<string, ProtoType>;
    bindings: Array<{ method: string; path: string; response: string; rpc: string }>;
  }): this {
    for (const [name, m] of Object.entries(data.messages)) this.types.set(name, m);
    for (const [name, fields] of Object.entries(data.fields)) {
      const t = this.types.get(name);
      if (!t?.fields) throw new Error(`supplement: no message ${name} to add fields to`);
      for (const [f, def] of Object.entries(fields)) {
        if (t.fields[f]) throw new Error(`supplement: ${name}.${f} is in the protos now; drop it from the supplement`);
        t.fields[f] = { type: def.type, ...(def.rule ? { rule: def.rule } : {}) };
      }
    }
    for (const b of data.bindings) this.bindings.push({ method: b.method, re: templateRe(b.path), response: b.response, rpc: b.rpc });
    return this;
  }

  /** The method a request reaches, by HTTP method and path. */
  match(method: string, path: string): HttpBinding | undefined {
    return this.bindings.find((b) => b.method === method && b.re.test(path));
  }

  /** Problems of `value` as the JSON form of message `type` (empty when it conforms). */
  validate(value: unknown, type: string, at = '$'): string[] {
    const t = this.types.get(type);
    const wkt = wellKnown(type, value, at);
    if (wkt !== undefined) return wkt;
    if (!t?.fields) return [`${at}: no message ${type} in the protos`];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object (${type})`];
    const scope = type;
    const problems: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      const f = t.fields[key];
      if (!f) {
        problems.push(`${at}.${key}: ${type} has no field ${key}`);
        continue;
      }
      if (f.keyType !== undefined) {
        if (typeof v !== 'object' || v === null) problems.push(`${at}.${key}: expected a map`);
        else for (const [mk, mv] of Object.entries(v)) problems.push(...this.single(mv, f.type, scope, `${at}.${key}[${mk}]`));
      } else if (f.rule === 'repeated') {
        if (!Array.isArray(v)) problems.push(`${at}.${key}: expected an array`);
        else
          v.forEach((x, i) => {
            problems.push(...this.single(x, f.type, scope, `${at}.${key}[${i}]`));
          });
      } else problems.push(...this.single(v, f.type, scope, `${at}.${key}`));
    }
    return problems;
  }

  private single(v: unknown, fieldType: string, scope: string, at: string): string[] {
    const scalar = scalarCheck(fieldType, v);
    if (scalar !== undefined) return scalar ? [] : [`${at}: ${JSON.stringify(v)} is not a ${fieldType}`];
    const full = this.resolve(fieldType, scope);
    const t = this.types.get(full);
    if (t?.values) {
      const ok = (typeof v === 'string' && v in t.values) || (typeof v === 'number' && Object.values(t.values).includes(v));
      return ok ? [] : [`${at}: ${JSON.stringify(v)} is not a value of ${full}`];
    }
    return this.validate(v, full, at);
  }
}

function scalarCheck(type: string, v: unknown): boolean | undefined {
  switch (type) {
    case 'string':
    case 'bytes':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'int32':
    case 'uint32':
    case 'sint32':
    case 'fixed32':
    case 'sfixed32':
    case 'float':
    case 'double':
      return typeof v === 'number';
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      // Google's JSON carries 64-bit integers as strings.
      return typeof v === 'string' && /^-?\d+$/.test(v);
    default:
      return undefined;
  }
}

function wellKnown(type: string, v: unknown, at: string): string[] | undefined {
  const fail = (what: string) => [`${at}: ${JSON.stringify(v)} is not ${what}`];
  switch (type) {
    case 'google.protobuf.Timestamp':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? [] : fail('an RFC 3339 timestamp');
    case 'google.protobuf.Duration':
      return typeof v === 'string' && /^-?\d+(\.\d+)?s$/.test(v) ? [] : fail('a duration');
    case 'google.protobuf.BoolValue':
      return typeof v === 'boolean' ? [] : fail('a boolean');
    case 'google.protobuf.StringValue':
    case 'google.protobuf.FieldMask':
      return typeof v === 'string' ? [] : fail('a string');
    case 'google.protobuf.Int32Value':
    case 'google.protobuf.DoubleValue':
      return typeof v === 'number' ? [] : fail('a number');
    case 'google.protobuf.Struct':
    case 'google.protobuf.Value':
    case 'google.protobuf.ListValue':
      return [];
    case 'google.protobuf.Any':
      return typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)['@type'] === 'string'
        ? []
        : fail('an Any with @type');
    case 'google.protobuf.Empty':
      return typeof v === 'object' && v !== null && Object.keys(v).length === 0 ? [] : fail('empty');
    default:
      return undefined;
  }
}

function httpRules(parsed: unknown[] | undefined): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  const visit = (rule: Record<string, unknown>) => {
    for (const m of ['get', 'post', 'put', 'patch', 'delete'])
      if (typeof rule[m] === 'string') out.push({ method: m.toUpperCase(), path: rule[m] as string });
    const extra = rule.additional_bindings;
    for (const b of Array.isArray(extra) ? extra : extra ? [extra] : []) visit(b as Record<string, unknown>);
  };
  for (const o of parsed ?? []) {
    const http = (o as Record<string, unknown>)['(google.api.http)'];
    if (http && typeof http === 'object') visit(http as Record<string, unknown>);
  }
  return out;
}

/** `/v2/{parent=projects/*}/sinks` → a regular expression over request paths. */
function templateRe(template: string): RegExp {
  const body = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const v = /^\{([^=}]+)(?:=([^}]+))?\}$/.exec(part);
      if (!v) return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      const pattern = v[2] ?? '*';
      return pattern
        .split('/')
        .map((seg) => (seg === '**' ? '.+' : seg === '*' ? '[^/]+' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
    })
    .join('');
  return new RegExp(`^${body}$`);
}
