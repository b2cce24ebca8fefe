/**
 * One check = one small file built with `defineCheck`: metadata as data beside a pure function of the inventory.
 * Checks never do I/O and never read the clock: `ctx.now` is injected.
 *
 * A check owns its words and its options:
 * - `messages` maps stable message ids to typed functions from a finding's evidence to its text. A check's functions
 *   return drafts naming a message id and carrying that message's evidence (type-checked against the message's
 *   parameter); `defineCheck` renders the text. Tests assert ids and evidence, never prose.
 * - `options` is a strict zod object with defaults; the check receives it resolved and typed as `ctx.options`. Config
 *   sets it under `checks.<id>`; `legacy` maps deprecated config keys in (the check's own keys win).
 * - Framework references are not written here: the framework files in src/core/frameworks claim checks, and
 *   `meta.references` is derived from them. Only `urls` are per check.
 */
import { z } from 'zod';
import type { Baseline, Config, Policy } from '../src/core/config/schema.ts';
import { referencesFor } from '../src/core/frameworks/index.ts';
import { fingerprint } from '../src/core/model/fingerprint.ts';
import type { Need } from '../src/core/model/needs.ts';
import type { PreviousScan } from '../src/core/model/previous-scan.ts';
import type { CheckMeta, Finding, Provider, ProviderDiscovery, ResourceRef, ScopeResult, Severity } from '../src/core/model/result.ts';
import { providerIds } from '../src/core/model/result.ts';

/** What the engine hands every check: the scan's start time, the global baseline and policy, and the previous scan. */
export interface RunContext {
  now: Date;
  baseline: Baseline;
  previous: PreviousScan | null;
  /** The config's policy (business hours, trusted networks…); absent: none set. */
  policy?: Policy;
}

/** What a check's functions receive: the run context and the check's own options, resolved and typed. */
export interface CheckContext<O = Record<string, never>> extends RunContext {
  options: O;
}

export type ScopeInput = Omit<ScopeResult, 'findings'>;

/** A check's words: message id → text rendered from the finding's evidence. */
export type Messages = Record<string, (evidence: never) => string>;

/** The evidence a message is rendered from (its parameter). */
export type EvidenceOf<F> = F extends (evidence: infer E) => string ? E : never;

/** Where a finding points and how severe it is, besides its message and evidence. */
export interface DraftPlacement {
  region?: string | null;
  resource?: ResourceRef | null;
  severity?: Severity;
  owner?: string | null;
}

/** A finding before rendering: a message id of the check and exactly the evidence that message reads. */
export type FindingDraft<M extends Messages> = {
  [K in keyof M & string]: DraftPlacement & { message: K; evidence: EvidenceOf<M[K]> };
}[keyof M & string];

/** A check's options schema: a strict zod object whose every field has a default. */
export type OptionsSchema = z.ZodObject;

const noOptions = z.strictObject({});
type NoOptions = typeof noOptions;

/** The config parts a check's options are resolved from. */
export type OptionsSource = Pick<Config, 'checks' | 'policy' | 'baseline'>;

export interface CheckSpec<M extends Messages, S extends OptionsSchema> {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  needs: Need[];
  providers?: Provider[];
  /** Further reading. Framework controls (NIST, CIS, ATT&CK) come from src/core/frameworks, not from here. */
  references?: { urls?: string[] };
  messages: M;
  options?: S;
  /** Deprecated config keys that used to hold these options; a key left undefined is not set. */
  legacy?: (config: OptionsSource) => { [K in keyof z.output<S>]?: z.output<S>[K] | undefined };
  scope?: (input: ScopeInput, ctx: CheckContext<z.output<S>>) => FindingDraft<M>[];
  discovery?: (input: ProviderDiscovery, ctx: CheckContext<z.output<S>>) => FindingDraft<M>[];
}

export interface Check<M extends Messages = Messages, O = Record<string, unknown>> {
  readonly meta: CheckMeta;
  readonly needs: readonly Need[];
  readonly messages: M;
  /** The options schema (an empty strict object when the check takes none). */
  readonly options: OptionsSchema;
  /** The options under a config: the check's `checks.<id>` keys, else its deprecated keys, else the defaults. */
  resolveOptions(config: OptionsSource): O;
  /** `ctx.options` absent means the defaults. */
  evaluateScope(input: ScopeInput, ctx: RunContext & { options?: O }): Finding[];
  evaluateDiscovery(input: ProviderDiscovery, ctx: RunContext & { options?: O }): Finding[];
}

const ID = /^[a-z]+\.[a-z0-9-]+$/;
const MESSAGE_ID = /^[a-z][A-Za-z0-9]*$/;

export function defineCheck<M extends Messages, S extends OptionsSchema = NoOptions>(spec: CheckSpec<M, S>): Check<M, z.output<S>> {
  if (!ID.test(spec.id)) throw new Error(`check id "${spec.id}" must look like family.name-in-kebab-case`);
  const messageIds = Object.keys(spec.messages);
  if (messageIds.length === 0) throw new Error(`check ${spec.id} declares no messages`);
  for (const m of messageIds) if (!MESSAGE_ID.test(m)) throw new Error(`check ${spec.id}: message id "${m}" must be lowerCamelCase`);
  const schema = (spec.options ?? noOptions) as OptionsSchema;
  type O = z.output<S>;
  const defaults = schema.parse({}) as O;
  const meta: CheckMeta = {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    rationale: spec.rationale,
    remediation: spec.remediation,
    providers: spec.providers ?? [...providerIds],
    references: { ...referencesFor(spec.id), urls: spec.references?.urls ?? [] },
  };
  const build = (provider: Provider, scopeId: string, d: FindingDraft<M>): Finding => {
    const region = d.region ?? null;
    const resource = d.resource ?? null;
    const render = spec.messages[d.message] as (evidence: unknown) => string;
    return {
      fingerprint: fingerprint({ checkId: spec.id, provider, scopeId, region, resourceId: resource?.id ?? null }),
      checkId: spec.id,
      title: spec.title,
      severity: d.severity ?? spec.severity,
      provider,
      scopeId,
      region,
      resource,
      messageId: d.message,
      message: render(d.evidence),
      owner: d.owner ?? null,
      evidence: d.evidence as Record<string, unknown>,
      status: 'open',
      suppression: null,
    };
  };
  const context = (ctx: RunContext & { options?: O }): CheckContext<O> => ({ ...ctx, options: ctx.options ?? defaults });
  return {
    meta,
    needs: spec.needs,
    messages: spec.messages,
    options: schema,
    resolveOptions(config) {
      const legacy = Object.entries(spec.legacy?.(config) ?? {}).filter(([, v]) => v !== undefined);
      return schema.parse({ ...Object.fromEntries(legacy), ...(config.checks[spec.id] ?? {}) }) as O;
    },
    evaluateScope(input, ctx) {
      if (!spec.scope || !meta.providers.includes(input.scope.provider)) return [];
      return spec.scope(input, context(ctx)).map((d) => build(input.scope.provider, input.scope.id, d));
    },
    evaluateDiscovery(input, ctx) {
      if (!spec.discovery || !meta.providers.includes(input.provider)) return [];
      return spec.discovery(input, context(ctx)).map((d) => build(input.provider, input.root ?? `${input.provider}:discovery`, d));
    },
  };
}
