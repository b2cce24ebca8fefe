/**
 * Compliance frameworks as data, and the one place that maps checks to controls. Each file lists the controls
 * snapaudit gathers evidence for and, per control, the checks that evidence it (`*`: every check). A check's
 * `meta.references` (attack: `T1578.001`; detection: `DET0423`; nist: `AU-2`; cis: `cis-aws:4.1`) is derived from
 * these files by `referencesFor`, so a mapping is written once.
 */
import type { Provider, References } from '../model/result.ts';
import cisAws from './cis-aws.json' with { type: 'json' };
import cisAzure from './cis-azure.json' with { type: 'json' };
import cisGcp from './cis-gcp.json' with { type: 'json' };
import mitreAttack from './mitre-attack.json' with { type: 'json' };
import nist from './nist-800-53.json' with { type: 'json' };

export type ReferenceKey = keyof Pick<References, 'attack' | 'detection' | 'nist' | 'cis'>;

export interface FrameworkControl {
  id: string;
  title: string;
  /** Check ids whose results evidence this control; `*` for every check. */
  checks: string[] | '*';
  /** Which `references` field of a check names this control (default: the framework's). */
  referenceKey?: ReferenceKey;
  url?: string;
  note?: string;
}

export interface Framework {
  id: string;
  name: string;
  version: string;
  source: string;
  referenceKey: ReferenceKey;
  /** Prepended to the control id in a check's references (`cis-aws:` → `cis-aws:4.1`). */
  referencePrefix: string;
  /** Providers the framework applies to; scopes of other providers are not applicable. */
  providers: Provider[];
  note: string;
  controls: FrameworkControl[];
}

export interface AttackTechnique {
  id: string;
  name: string;
  subTechniqueId: string;
  subTechniqueName: string;
  tacticId: string;
  tacticName: string;
  url: string;
  mitigations: Array<{ id: string; name: string; note: string }>;
}

export const frameworks: readonly Framework[] = [mitreAttack, nist, cisAws, cisAzure, cisGcp] as Framework[];

/** The ATT&CK technique every check is evidence against, for SARIF tags and OCSF `finding_info.attacks`. */
export const attackTechnique: AttackTechnique = mitreAttack.technique;
export const attackVersion: string = mitreAttack.version;

export function frameworkIds(): string[] {
  return frameworks.map((f) => f.id);
}

export function findFramework(id: string): Framework | undefined {
  return frameworks.find((f) => f.id === id);
}

/** How a check's `references` spells this control. */
export function controlReference(framework: Framework, control: FrameworkControl): { key: ReferenceKey; value: string } {
  return { key: control.referenceKey ?? framework.referenceKey, value: `${framework.referencePrefix}${control.id}` };
}

/** The check ids a control claims, with `*` expanded against the given catalogue. */
export function controlChecks(control: FrameworkControl, allCheckIds: readonly string[]): string[] {
  return control.checks === '*' ? [...allCheckIds] : [...control.checks];
}

/**
 * A check's framework references, derived from the controls that claim it (or every check), in framework and
 * control order: what `CheckMeta.references` carries besides its URLs.
 */
export function referencesFor(checkId: string): Record<ReferenceKey, string[]> {
  const refs: Record<ReferenceKey, string[]> = { attack: [], detection: [], nist: [], cis: [] };
  for (const f of frameworks) {
    for (const c of f.controls) {
      if (c.checks !== '*' && !c.checks.includes(checkId)) continue;
      const ref = controlReference(f, c);
      if (!refs[ref.key].includes(ref.value)) refs[ref.key].push(ref.value);
    }
  }
  return refs;
}

/** The controls of a framework that a check (by its references) says it evidences. */
export function controlsForCheck(framework: Framework, references: References): FrameworkControl[] {
  return framework.controls.filter((c) => {
    const ref = controlReference(framework, c);
    return references[ref.key].includes(ref.value);
  });
}

/** Human label of a check reference: `cis-aws:4.1` → `CIS AWS v7.0.0 4.1`. */
export function describeReference(key: ReferenceKey, value: string): string {
  for (const f of frameworks) {
    for (const c of f.controls) {
      const ref = controlReference(f, c);
      if (ref.key === key && ref.value === value) return `${f.name} ${f.version} ${c.id} ${c.title}`;
    }
  }
  return value;
}
