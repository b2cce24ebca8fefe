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
import { type DestinationAccess, withWriterHealth, writerHealth } from '../normalise/sink-writer.ts';
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
  const exports: Array<{ sink: SinkInfo; source: LoggingSource }> = [];
  for (const x of inherited) exports.push({ sink: x.sink, source: sinkSource(x.sink, lctx, x.owner.id, above(x.depth)) });
  for (const s of projectSinks ?? []) {
    if (s.name === '_Required') continue;
    // An intercepting ancestor sink may be listed among the project's own (in_scope("ANCESTOR")): it is not one.
    if (!s.resourceName.startsWith(`projects/${P}/`)) continue;
    exports.push({ sink: s, source: sinkSource(s, lctx, null, above(ctx.project.ancestors.length)) });
  }
  // Whether each enabled export's writer can write to its destination (read once per scan per destination).
  const checked = await Promise.all(
    exports.map(async ({ sink, source }) => (sink.disabled ? source : withWriterHealth(source, await sinkWriterHealth(io, ctx, sink)))),
  );
  sources.push(...checked);
  return { sources, interception: above(ctx.project.ancestors.length) };
}

/** What the destination of a sink says about who may write to it; null where the scanner does not read it. */
async function destinationAccess(io: GcpIO, ctx: GcpScopeContext, sink: SinkInfo): Promise<DestinationAccess | null> {
  const P = ctx.project.projectId;
  const d = sink.destination;
  const own = sink.resourceName.startsWith(`projects/${P}/`);
  const read = async <T>(destProject: string | null, name: string, fn: () => Promise<T>): Promise<T | string> => {
    try {
      return await fn();
    } catch (err) {
      if (isInterruption(err)) throw err;
      const g = gapFrom(err, 'logging', GLOBAL, classify);
      if (destProject === P) ctx.gaps.push(g);
      return `who may write to ${name} could not be read (${g.message})`;
    }
  };
  const gcs = /^storage\.googleapis\.com\/([^/]+)$/.exec(d);
  if (gcs) {
    const bucket = gcs[1] as string;
    const policy = await read(null, bucket, () => io.storageBucketPolicy(bucket));
    return { kind: 'storage', name: bucket, bindings: policy === null || typeof policy === 'string' ? policy : (policy.bindings ?? []) };
  }
  const bq = /^bigquery\.googleapis\.com\/projects\/([^/]+)\/datasets\/([^/]+)$/.exec(d);
  if (bq) {
    const [, project, dataset] = bq as unknown as [string, string, string];
    const got = await read(project, `dataset ${project}:${dataset}`, () => io.datasetAccess(project, dataset));
    return { kind: 'bigquery', name: `${project}:${dataset}`, access: got === null || typeof got === 'string' ? got : (got.access ?? []) };
  }
  const ps = /^pubsub\.googleapis\.com\/projects\/([^/]+)\/topics\/([^/]+)$/.exec(d);
  if (ps) {
    const [, project, topic] = ps as unknown as [string, string, string];
    const name = `projects/${project}/topics/${topic}`;
    const policy = await read(project, name, () => io.topicPolicy(project, topic));
    return { kind: 'pubsub', name, bindings: policy === null || typeof policy === 'string' ? policy : (policy.bindings ?? []) };
  }
  const dest = parseDestination(d);
  if (dest.kind === 'log-bucket' && dest.projectId) {
    // A project sink into its own project's bucket needs no grant; anything else needs bucketWriter on that project.
    if (own && dest.projectId === P) return { kind: 'same-project-bucket' };
    const project = dest.projectId;
    const policy = await read(project, `project ${project}`, () => io.destinationProjectPolicy(project));
    return { kind: 'log-bucket', name: `projects/${project}`, bindings: typeof policy === 'string' ? policy : (policy.bindings ?? []) };
  }
  return null;
}

async function sinkWriterHealth(io: GcpIO, ctx: GcpScopeContext, sink: SinkInfo) {
  const dest = await destinationAccess(io, ctx, sink);
  return dest ? writerHealth(sink.name, sink.writerIdentity ?? '', dest) : null;
}
