/**
 * One check = one small file built with `defineCheck`: metadata as data beside a pure function of the inventory.
 * Checks never do I/O and never read the clock: `ctx.now` is injected.
 */
import type { Baseline, Policy } from '../src/core/config/schema.ts';
import type { CheckMeta, Finding, Provider, ProviderDiscovery, ResourceRef, ScopeResult, Severity } from '../src/core/model/result.ts';
import { providerIds } from '../src/core/model/result.ts';
import type { PreviousScan } from '../src/core/model/previous-scan.ts';
import { fingerprint } from '../src/core/model/fingerprint.ts';
import type { Need } from '../src/core/model/needs.ts';

export interface CheckContext {
  now: Date;
  policy: Policy;
  baseline: Baseline;
  previous: PreviousScan | null;
}

export type ScopeInput = Omit<ScopeResult, 'findings'>;

export interface FindingDraft {
  message: string;
  region?: string | null;
  resource?: ResourceRef | null;
  severity?: Severity;
  owner?: string | null;
  evidence?: Record<string, unknown>;
}

export interface CheckSpec {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  needs: Need[];
  providers?: Provider[];
  references?: { nist?: string[]; cis?: string[]; urls?: string[] };
  scope?: (input: ScopeInput, ctx: CheckContext) => FindingDraft[];
  discovery?: (input: ProviderDiscovery, ctx: CheckContext) => FindingDraft[];
}

export interface Check {
  readonly meta: CheckMeta;
  readonly needs: readonly Need[];
  evaluateScope(input: ScopeInput, ctx: CheckContext): Finding[];
  evaluateDiscovery(input: ProviderDiscovery, ctx: CheckContext): Finding[];
}

export const ATTACK_TECHNIQUE = 'T1578.001';
export const DETECTION_STRATEGY = 'DET0423';

export function defineCheck(spec: CheckSpec): Check {
  if (!/^[a-z]+\.[a-z0-9-]+$/.test(spec.id)) throw new Error(`check id "${spec.id}" must look like family.name-in-kebab-case`);
  const meta: CheckMeta = {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    rationale: spec.rationale,
    remediation: spec.remediation,
    providers: spec.providers ?? [...providerIds],
    references: {
      attack: [ATTACK_TECHNIQUE],
      detection: [DETECTION_STRATEGY],
      nist: spec.references?.nist ?? [],
      cis: spec.references?.cis ?? [],
      urls: spec.references?.urls ?? [],
    },
  };
  const build = (provider: Provider, scopeId: string, d: FindingDraft): Finding => {
    const region = d.region ?? null;
    const resource = d.resource ?? null;
    return {
      fingerprint: fingerprint({ checkId: spec.id, provider, scopeId, region, resourceId: resource?.id ?? null }),
      checkId: spec.id,
      title: spec.title,
      severity: d.severity ?? spec.severity,
      provider,
      scopeId,
      region,
      resource,
      message: d.message,
      owner: d.owner ?? null,
      evidence: d.evidence ?? {},
      status: 'open',
      suppression: null,
    };
  };
  return {
    meta,
    needs: spec.needs,
    evaluateScope(input, ctx) {
      if (!spec.scope || !meta.providers.includes(input.scope.provider)) return [];
      return spec.scope(input, ctx).map((d) => build(input.scope.provider, input.scope.id, d));
    },
    evaluateDiscovery(input, ctx) {
      if (!spec.discovery || !meta.providers.includes(input.provider)) return [];
      return spec.discovery(input, ctx).map((d) => build(input.provider, input.root ?? `${input.provider}:discovery`, d));
    },
  };
}
