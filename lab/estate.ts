/**
 * The estate: what the lab serves. A versioned YAML or JSON document (or a folder of them, merged by top-level
 * section) describing organisations, scopes, regions, logging, principals and grants, snapshots and audit events,
 * plus fault rules. Validated on load; errors name the field. The format is documented in lab/ESTATE.md.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FaultRule } from './core.ts';
import { AwsEstate } from './aws/estate.ts';
import { AzureEstate } from './azure/estate.ts';
import { GcpEstate } from './gcp/estate.ts';
import { describeIssues } from '../src/core/config/load.ts';

export const ESTATE_VERSION = 1;

export const Estate = z.strictObject({
  estateVersion: z.literal(ESTATE_VERSION, `the estate format version is ${ESTATE_VERSION}: add \`estateVersion: ${ESTATE_VERSION}\``),
  name: z.string().default('estate'),
  description: z.string().optional(),
  /**
   * The moment the estate's timestamps are written for. When the lab serves it at another time, every timestamp is
   * shifted by the difference, so snapshot ages and 90-day audit histories look the same whenever it runs.
   */
  referenceTime: z.iso.datetime().optional(),
  aws: AwsEstate.optional(),
  azure: AzureEstate.optional(),
  gcp: GcpEstate.optional(),
  faults: z.array(FaultRule).default([]),
});
export type Estate = z.infer<typeof Estate>;
export type EstateInput = z.input<typeof Estate>;

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

const DAY_MS = 86_400_000;

/**
 * Moves every timestamp of the estate by `now - referenceTime` (see `referenceTime`) rounded down to whole days;
 * other values are untouched. Whole days keep two scans of the same estate minutes or hours apart byte-identical in
 * what they read (timestamps included), so a diff or a ticket comment between them stays quiet.
 */
export function shiftEstate(estate: Estate, now: Date): Estate {
  if (!estate.referenceTime) return estate;
  const reference = Date.parse(estate.referenceTime);
  const delta = Math.floor((now.getTime() - reference) / DAY_MS) * DAY_MS;
  if (delta === 0) return estate;
  const shift = (v: unknown): unknown => {
    if (typeof v === 'string' && isoTime.test(v)) {
      const moved = new Date(Date.parse(v) + delta).toISOString();
      return v.endsWith('Z') ? moved : moved.replace('Z', '+00:00');
    }
    if (Array.isArray(v)) return v.map(shift);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shift(x)]));
    return v;
  };
  return { ...(shift(estate) as Estate), referenceTime: new Date(reference + delta).toISOString() };
}

export class EstateError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'EstateError';
    this.problems = problems;
  }
}

export function parseEstate(data: unknown, source = 'estate'): Estate {
  const parsed = Estate.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new EstateError(describeIssues(source, parsed.error));
  return parsed.data;
}

function readDoc(path: string): Record<string, unknown> {
  const text = readFileSync(path, 'utf8');
  try {
    const doc = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    return (doc ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new EstateError([`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`]);
  }
}

/** Loads an estate file, or a folder whose *.yaml / *.json files are merged by top-level key. */
export function loadEstate(path: string): Estate {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new EstateError([`${path}: no such estate file or folder. Fix: pass an existing path with --estate.`]);
  }
  if (!stat.isDirectory()) return parseEstate(readDoc(path), path);
  const merged: Record<string, unknown> = {};
  for (const name of readdirSync(path)
    .filter((n) => /\.(ya?ml|json)$/.test(n))
    .sort()) {
    const doc = readDoc(join(path, name));
    for (const [k, v] of Object.entries(doc)) {
      if (k === 'faults' && Array.isArray(v)) merged.faults = [...((merged.faults as unknown[]) ?? []), ...v];
      else if (k in merged && k !== 'estateVersion' && k !== 'name' && k !== 'description') {
        throw new EstateError([
          `${join(path, name)}: section "${k}" is also defined in another file of ${path}. Fix: keep each section in one file.`,
        ]);
      } else merged[k] = v;
    }
  }
  return parseEstate(merged, path);
}
