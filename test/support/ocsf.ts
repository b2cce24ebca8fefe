/**
 * Validates OCSF events against the schema's own definition files in ../shared/fixtures/ocsf (not a JSON Schema):
 * resolves a class through `extends` (compliance_finding → finding → base_event) and objects through theirs, then
 * checks every event for required attributes, types (dictionary types with their regexes), enums (merged along the
 * chain), enum captions of sibling attributes, object constraints and the computed ids (class_uid, type_uid).
 *
 * Parents that the fixture folder does not contain (`object`, `_entity`, `_resource`) and attributes contributed by
 * profiles (`cloud`, …) are resolved through the dictionary: their types and enums are still checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedFixture } from './shared-fixtures.ts';

export const OCSF_DIR = sharedFixture('ocsf');

interface AttrDef {
  requirement?: string;
  type?: string;
  is_array?: boolean;
  enum?: Record<string, { caption: string }>;
  sibling?: string;
}

interface Definition {
  name: string;
  extends?: string;
  uid?: number;
  attributes: Record<string, AttrDef>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
}

interface Resolved {
  name: string;
  chain: string[];
  unresolvedParents: string[];
  attributes: Record<string, AttrDef>;
  /** Enum keys allowed per attribute, merged along the chain. */
  enums: Record<string, Set<string>>;
  constraints: { at_least_one?: string[] };
}

function readJson<T>(dir: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
}

export class OcsfSchema {
  readonly classes = new Map<string, Definition>();
  readonly objects = new Map<string, Definition>();
  readonly dictionary: Record<string, AttrDef>;
  readonly types: Record<string, { type?: string; regex?: string; max_len?: number; values?: unknown[]; range?: number[] }>;

  constructor(dir = OCSF_DIR) {
    for (const f of readdirSync(dir)) {
      if (f.startsWith('events_')) {
        const d = readJson<Definition>(dir, f);
        this.classes.set(d.name, d);
      } else if (f.startsWith('objects_')) {
        const d = readJson<Definition>(dir, f);
        this.objects.set(d.name, d);
      }
    }
    const dict = readJson<{ attributes: Record<string, AttrDef>; types: { attributes: OcsfSchema['types'] } }>(dir, 'dictionary.json');
    this.dictionary = dict.attributes;
    this.types = dict.types.attributes;
  }

  private resolve(name: string, pool: Map<string, Definition>): Resolved {
    const chain: Definition[] = [];
    const unresolvedParents: string[] = [];
    let cur: Definition | undefined = pool.get(name);
    if (!cur) throw new Error(`OCSF definition "${name}" not found`);
    while (cur) {
      chain.unshift(cur);
      const parent: string | undefined = cur.extends;
      if (!parent) break;
      const next = pool.get(parent);
      if (!next) unresolvedParents.push(parent);
      cur = next;
    }
    const attributes: Record<string, AttrDef> = {};
    const enums: Record<string, Set<string>> = {};
    let constraints: Resolved['constraints'] = {};
    for (const d of chain) {
      for (const [k, v] of Object.entries(d.attributes)) {
        if (k === '$include') continue;
        attributes[k] = { ...attributes[k], ...v };
        if (v.enum) enums[k] = new Set([...(enums[k] ?? []), ...Object.keys(v.enum)]);
      }
      if (d.constraints) constraints = { ...constraints, ...d.constraints };
    }
    return { name, chain: chain.map((d) => d.name), unresolvedParents, attributes, enums, constraints };
  }

  resolveClass(name: string): Resolved {
    return this.resolve(name, this.classes);
  }

  resolveObject(name: string): Resolved | null {
    return this.objects.has(name) ? this.resolve(name, this.objects) : null;
  }

  classUid(name: string, categoryUid: number): number {
    const d = this.classes.get(name);
    if (d?.uid === undefined) throw new Error(`class ${name} has no uid`);
    return categoryUid * 1000 + d.uid;
  }

  /** Every problem with one event of the given class; empty when valid. */
  validateEvent(event: Record<string, unknown>, className: string, categoryUid: number): string[] {
    const errors: string[] = [];
    const cls = this.resolveClass(className);
    const expectedClass = this.classUid(className, categoryUid);
    if (event.category_uid !== categoryUid) errors.push(`category_uid: expected ${categoryUid}, got ${JSON.stringify(event.category_uid)}`);
    if (event.class_uid !== expectedClass) errors.push(`class_uid: expected ${expectedClass}, got ${JSON.stringify(event.class_uid)}`);
    if (typeof event.activity_id === 'number' && event.type_uid !== expectedClass * 100 + event.activity_id) {
      errors.push(`type_uid: expected ${expectedClass * 100 + event.activity_id}, got ${JSON.stringify(event.type_uid)}`);
    }
    // class_uid, category_uid and type_uid carry base_event's placeholder enums; they are checked above instead.
    this.validateAgainst(event, cls, '', errors, new Set(['class_uid', 'category_uid', 'type_uid']));
    return errors;
  }

  private validateAgainst(
    value: Record<string, unknown>,
    def: Resolved,
    path: string,
    errors: string[],
    skipEnums = new Set<string>(),
  ): void {
    for (const [k, a] of Object.entries(def.attributes)) {
      if (a.requirement === 'required' && (value[k] === undefined || value[k] === null))
        errors.push(`${path}${k}: required by ${def.name} and missing`);
    }
    if (def.constraints.at_least_one && !def.constraints.at_least_one.some((k) => value[k] !== undefined && value[k] !== null)) {
      errors.push(`${path || def.name}: needs at least one of ${def.constraints.at_least_one.join(', ')}`);
    }
    // `_entity` (not vendored) asks for at least one of name and uid; an object whose own chain states an at_least_one
    // (endpoint: ip, uid, name, hostname…) replaces it, as a child's constraint replaces its parent's in the schema.
    if (def.unresolvedParents.includes('_entity') && !def.constraints.at_least_one && value.name === undefined && value.uid === undefined) {
      errors.push(`${path || def.name}: an entity needs a name or a uid`);
    }
    for (const [k, v] of Object.entries(value)) {
      const own = def.attributes[k];
      const dict = this.dictionary[k];
      if (!own && !dict) {
        errors.push(`${path}${k}: not an attribute of ${def.name} nor in the dictionary`);
        continue;
      }
      if (!own && def.unresolvedParents.length === 0 && !['cloud', 'api'].includes(k)) {
        errors.push(`${path}${k}: not an attribute of ${def.name}`);
        continue;
      }
      const attr: AttrDef = { ...dict, ...own, type: own?.type ?? dict?.type, is_array: own?.is_array ?? dict?.is_array };
      const allowed = skipEnums.has(k) ? undefined : (def.enums[k] ?? (dict?.enum ? new Set(Object.keys(dict.enum)) : undefined));
      this.checkValue(v, attr, allowed, `${path}${k}`, errors);
      // A sibling string must be the caption of its id's enum value (unless the value is 99, "Other").
      const sibling = dict?.sibling;
      const captions = own?.enum ?? dict?.enum;
      if (sibling && captions && typeof v === 'number' && v !== 99 && value[sibling] !== undefined && !skipEnums.has(k)) {
        const caption = def.attributes[k]?.enum?.[String(v)]?.caption ?? captions[String(v)]?.caption;
        if (caption !== undefined && value[sibling] !== caption)
          errors.push(`${path}${sibling}: expected "${caption}" for ${k}=${v}, got ${JSON.stringify(value[sibling])}`);
      }
    }
  }

  private checkValue(v: unknown, attr: AttrDef, allowed: Set<string> | undefined, path: string, errors: string[]): void {
    if (v === null || v === undefined) return;
    if (attr.is_array) {
      if (!Array.isArray(v)) {
        errors.push(`${path}: expected an array of ${attr.type}`);
        return;
      }
      for (const [i, x] of v.entries()) this.checkValue(x, { ...attr, is_array: false }, allowed, `${path}[${i}]`, errors);
      return;
    }
    if (Array.isArray(v)) {
      errors.push(`${path}: expected one ${attr.type}, got an array`);
      return;
    }
    const type = attr.type ?? 'string_t';
    if (type.endsWith('_t')) this.checkScalar(v, type, path, errors);
    else if (typeof v !== 'object') errors.push(`${path}: expected a ${type} object, got ${typeof v}`);
    else {
      const obj = this.resolveObject(type);
      if (obj) this.validateAgainst(v as Record<string, unknown>, obj, `${path}.`, errors);
    }
    if (allowed && (typeof v === 'number' || typeof v === 'string') && !allowed.has(String(v))) {
      errors.push(`${path}: ${JSON.stringify(v)} is not in the enum (${[...allowed].join(', ')})`);
    }
  }

  private checkScalar(v: unknown, type: string, path: string, errors: string[]): void {
    const t = this.types[type];
    const base = t?.type ?? type;
    const ok =
      base === 'string_t'
        ? typeof v === 'string'
        : base === 'integer_t' || base === 'long_t'
          ? Number.isInteger(v)
          : base === 'float_t'
            ? typeof v === 'number'
            : base === 'boolean_t'
              ? typeof v === 'boolean'
              : base === 'json_t'
                ? true
                : base === 'timestamp_t'
                  ? Number.isInteger(v)
                  : true;
    if (!ok) {
      errors.push(`${path}: ${JSON.stringify(v)} is not a ${type}`);
      return;
    }
    if (type === 'timestamp_t' && !Number.isInteger(v)) errors.push(`${path}: a timestamp_t is integer milliseconds`);
    if (t?.regex && typeof v === 'string' && !new RegExp(t.regex).test(v))
      errors.push(`${path}: "${v}" does not match the ${type} pattern`);
    if (t?.max_len && typeof v === 'string' && v.length > t.max_len) errors.push(`${path}: longer than ${t.max_len}`);
    if (t?.range && typeof v === 'number' && (v < t.range[0]! || v > t.range[1]!))
      errors.push(`${path}: out of range ${t.range.join('–')}`);
  }
}
