/**
 * Sink destinations outside Cloud Logging, as far as the scanner reads them: who may write to a Cloud Storage bucket
 * (buckets.getIamPolicy), a BigQuery dataset's access list (datasets.get) and who may publish to a Pub/Sub topic
 * (topics.getIamPolicy). Each answers 404 for a destination that does not exist, as the real APIs do.
 */
import type { GcpBinding, GcpProject } from '../estate.ts';
import { gcpError, json } from '../wire.ts';
import { policyJson, type Route, requestedVersion } from './context.ts';

function bindingsJson(bindings: readonly GcpBinding[]) {
  return bindings.map((b) => ({
    role: b.role,
    members: [...b.members],
    ...(b.condition ? { condition: { expression: b.condition.expression, title: b.condition.title ?? '' } } : {}),
  }));
}

export const destinationRoutes: Route[] = [
  {
    method: 'GET',
    re: /^\/storage\/v1\/b\/([^/]+)\/iam$/,
    service: 'storage',
    operation: 'buckets.getIamPolicy',
    scope: (m) => m[1] ?? null,
    handle(ctx) {
      const name = decodeURIComponent(ctx.m[1] as string);
      const owner = ctx.state.estate.projects.find((p: GcpProject) => p.storageBuckets.some((b) => b.name === name));
      const bucket = owner?.storageBuckets.find((b) => b.name === name);
      if (!bucket)
        return gcpError(404, 'The specified bucket does not exist.', {
          errors: [{ message: 'The specified bucket does not exist.', domain: 'global', reason: 'notFound' }],
        });
      const conditional = bucket.iam.some((b) => b.condition);
      return json({
        kind: 'storage#policy',
        resourceId: `projects/_/buckets/${name}`,
        version: conditional ? 3 : 1,
        etag: 'CAE=',
        bindings: bindingsJson(bucket.iam),
      });
    },
  },
  {
    method: 'GET',
    re: /^\/bigquery\/v2\/projects\/([a-z0-9-]+)\/datasets\/([^/]+)$/,
    service: 'bigquery',
    operation: 'datasets.get',
    scope: (m) => m[1] ?? null,
    handle(ctx) {
      const project = ctx.state.project(ctx.m[1] as string);
      const id = decodeURIComponent(ctx.m[2] as string);
      const d = project?.datasets.find((x) => x.id === id);
      if (!project || !d)
        return gcpError(404, `Not found: Dataset ${ctx.m[1]}:${id}`, {
          errors: [{ message: `Not found: Dataset ${ctx.m[1]}:${id}`, domain: 'global', reason: 'notFound' }],
        });
      return json({
        kind: 'bigquery#dataset',
        etag: 'lab',
        id: `${project.id}:${d.id}`,
        selfLink: `https://bigquery.googleapis.com/bigquery/v2/projects/${project.id}/datasets/${d.id}`,
        datasetReference: { datasetId: d.id, projectId: project.id },
        access: d.access.map((a) => ({ ...a })),
        creationTime: '1735689600000',
        lastModifiedTime: '1735689600000',
        location: d.location,
        type: 'DEFAULT',
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v1\/projects\/([a-z0-9-]+)\/topics\/([^/:]+):getIamPolicy$/,
    service: 'pubsub',
    operation: 'topics.getIamPolicy',
    scope: (m) => m[1] ?? null,
    handle(ctx) {
      const project = ctx.state.project(ctx.m[1] as string);
      const name = decodeURIComponent(ctx.m[2] as string);
      const t = project?.topics.find((x) => x.name === name);
      if (!project || !t) return gcpError(404, `Resource not found (resource=${name}).`);
      return policyJson(t.iam, requestedVersion(ctx.req));
    },
  },
];
