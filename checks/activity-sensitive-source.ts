import { z } from 'zod';
import type { ActivityEvent } from '../src/core/model/activity.ts';
import type { ScopeInput } from './define-check.ts';
import { defineCheck } from './define-check.ts';
import { activityOf, byIdentity, eventList, type IdentityEvidence, identityEvidence, identityRef, makes } from './activity-support.ts';
import { sensitiveTagMatches } from './support.ts';

type Sensitive = IdentityEvidence & { sensitive: Array<{ resource: string; tags: string[] }> };

const options = z.strictObject({
  tags: z
    .array(z.string().min(1))
    .default([])
    .describe('tags (`key` or `key=value`, value globs allowed) that mark a source resource sensitive; the check is off while empty'),
});

/**
 * The tags known for each resource an event may name as made or as source: a source resource's tags under its id,
 * and each artifact's own tags together with its source's (a copy of a copy of a sensitive disk is sensitive).
 */
function knownTags(input: ScopeInput): Map<string, Record<string, string>> {
  const tags = new Map<string, Record<string, string>>();
  for (const s of input.snapshots) {
    if (s.source.id && Object.keys(s.source.tags).length > 0) tags.set(s.source.id, s.source.tags);
    const own = { ...s.source.tags, ...s.tags };
    if (Object.keys(own).length > 0) tags.set(s.id, own);
  }
  return tags;
}

/**
 * A resource in a message by its name: `kind:name`, the last segment of a path-like id (an ARM id names its
 * subscription by GUID, a GCP one its project); the evidence keeps the whole id.
 */
function resourceName(resource: string): string {
  return resource.replace(/^([^:]+):.*\/([^/]+)\/?$/, '$1:$2');
}

export default defineCheck({
  id: 'activity.sensitive-source',
  title: 'Snapshot activity against sensitive resources is known',
  severity: 'high',
  needs: ['activity', 'snapshots', 'sources'],
  rationale:
    'DET0423 asks to flag snapshot creation against sensitive compute assets. A copy of a disk, volume or database tagged sensitive, by anyone other than approved automation, carries that data outside the controls that protect it.',
  remediation:
    'Confirm each copy is part of an approved, recorded workflow; restrict who can snapshot the sensitive resource (a tag condition on the snapshot permission), and review where the copies went.',
  references: { urls: ['https://attack.mitre.org/detectionstrategies/DET0423/'] },
  options,
  legacy: (config) => ({ tags: config.baseline.sensitiveTags }),
  messages: {
    sensitive: (e: Sensitive) =>
      `${e.identity} made ${e.count} copy(ies) of sensitive resources (${e.sensitive.map((s) => resourceName(s.resource)).join(', ')}): ${eventList(e.events, e.count)}.`,
  },
  scope(input, ctx) {
    const patterns = ctx.options.tags;
    if (patterns.length === 0) return [];
    const tags = knownTags(input);
    const hits = new Map<ActivityEvent, { resource: string; tags: string[] }>();
    for (const e of activityOf(input)) {
      if (e.outcome !== 'success' || !makes(e) || e.identity.automation !== null) continue;
      for (const r of [e.sourceResource, e.resource]) {
        const matched = r ? sensitiveTagMatches(input.scope.provider, patterns, tags.get(r.id) ?? {}) : [];
        if (r && matched.length > 0) {
          hits.set(e, { resource: `${r.kind}:${r.id}`, tags: matched });
          break;
        }
      }
    }
    return byIdentity([...hits.keys()]).map(([identity, list]) => ({
      resource: identityRef(identity),
      message: 'sensitive' as const,
      evidence: { ...identityEvidence(identity, list), sensitive: list.map((e) => hits.get(e) ?? { resource: '', tags: [] }) },
    }));
  },
});
