/**
 * Audit-log export of a project: its own sinks, the aggregated sinks of every ancestor that include children (read
 * once per scan), the buckets of the project and of every log-bucket destination, judged by normalise/logging.ts.
 */
import type { LoggingSource } from '../../../src/core/model/result.ts';
import { attempt, gapFrom, isInterruption } from '../../gaps.ts';
import { classifyGcpError as classify } from '../errors.ts';
import type { ResourceNode } from '../iam.ts';
import {
  type BucketInfo,
  bucketInfo,
  type Interception,
  interception,
  type LoggingContext,
  parseDestination,
  requiredSource,
  type SinkInfo,
  sinkInfo,
  sinkSource,
} from '../normalise/logging.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import type { GcpScopeContext } from './context.ts';

const sinksOf = (io: GcpIO, parent: string) => io.listSinks(parent).then((sinks) => sinks.map((s) => sinkInfo(s, parent)));

/** Buckets of every destination project; another project's unreadable buckets are a reason, the project's own a gap. */
async function bucketsOf(io: GcpIO, ctx: GcpScopeContext, projects: ReadonlySet<string>): Promise<Map<string, BucketInfo[] | string>> {
  const P = ctx.project.projectId;
  const buckets = new Map<string, BucketInfo[] | string>();
  await Promise.all(
    [...projects].map(async (p) => {
      try {
        buckets.set(p, (await io.listBuckets(p)).map(bucketInfo));
      } catch (err) {
        if (isInterruption(err)) throw err;
        const g = gapFrom(err, 'logging', GLOBAL, classify);
        if (p === P) ctx.gaps.push(g);
        buckets.set(p, `log buckets of project ${p} could not be read (${g.message})`);
      }
    }),
  );
  return buckets;
}

export async function collectLogging(io: GcpIO, ctx: GcpScopeContext): Promise<{ sources: LoggingSource[]; interception: Interception }> {
  const P = ctx.project.projectId;
  const { gaps } = ctx;
  const projectSinks = await attempt(gaps, 'logging', GLOBAL, classify, () => sinksOf(io, `projects/${P}`));
  if (projectSinks) ctx.ok.add('logging');
  // Aggregated sinks of every ancestor apply when they include children.
  const inherited: Array<{ sink: SinkInfo; owner: ResourceNode; depth: number }> = [];
  await Promise.all(
    ctx.project.ancestors.map(async (node, depth) => {
      const sinks = await attempt(gaps, 'logging', GLOBAL, classify, () => sinksOf(io, node.id));
      for (const sink of sinks ?? []) if (sink.includeChildren) inherited.push({ sink, owner: node, depth });
    }),
  );
  inherited.sort((a, b) => a.depth - b.depth || (a.sink.resourceName < b.sink.resourceName ? -1 : 1));

  const allSinks = [...(projectSinks ?? []), ...inherited.map((x) => x.sink)];
  const destProjects = new Set([
    P,
    ...allSinks.map((s) => parseDestination(s.destination)).flatMap((d) => (d.kind === 'log-bucket' && d.projectId ? [d.projectId] : [])),
  ]);
  const buckets = await bucketsOf(io, ctx, destProjects);
  const lctx: LoggingContext = {
    projectId: P,
    centralProjects: ctx.config.centralProjects,
    buckets: (p) => buckets.get(p) ?? `log buckets of project ${p} were not read`,
  };

  const sources: LoggingSource[] = [requiredSource(lctx, projectSinks !== undefined)];
  const above = (depth: number) =>
    interception(
      inherited.filter((x) => x.depth < depth).map((x) => x.sink),
      P,
    );
  for (const x of inherited) sources.push(sinkSource(x.sink, lctx, x.owner.id, above(x.depth)));
  for (const s of projectSinks ?? []) {
    if (s.name === '_Required') continue;
    // An intercepting ancestor sink may be listed among the project's own (in_scope("ANCESTOR")): it is not one.
    if (!s.resourceName.startsWith(`projects/${P}/`)) continue;
    sources.push(sinkSource(s, lctx, null, above(ctx.project.ancestors.length)));
  }
  return { sources, interception: above(ctx.project.ancestors.length) };
}
