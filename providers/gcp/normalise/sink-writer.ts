/**
 * Can a sink deliver? A sink writes as its writer identity, and the destination must let that identity write: a
 * Cloud Storage bucket needs roles/storage.objectCreator, a BigQuery dataset roles/bigquery.dataEditor, a Pub/Sub
 * topic roles/pubsub.publisher, a log bucket in another project roles/logging.bucketWriter — granted on the
 * destination (https://cloud.google.com/logging/docs/export/configure_export_v2#dest-auth). A log bucket in the sink's
 * own project needs no grant. A sink whose writer the destination does not admit, or whose destination no longer
 * exists, is "configured but not delivering" (Cloud Logging reports it as a sink error; the scanner reads the
 * destination's IAM instead). Pure functions, tested case by case (test/gcp/cases/sink-writer.json).
 */
import type { LoggingSource, SourceHealth, Tri } from '../../../src/core/model/result.ts';
import type { RawDatasetAccess } from '../raw.ts';
import type { RawBinding } from './snapshots.ts';

/** Which destination, and what the scanner read about who may write to it. */
export type DestinationAccess =
  | { kind: 'same-project-bucket' }
  | { kind: 'storage' | 'pubsub' | 'log-bucket'; name: string; bindings: readonly RawBinding[] | null | string }
  | { kind: 'bigquery'; name: string; access: readonly RawDatasetAccess[] | null | string }
  | { kind: 'unknown'; name: string };

/** Roles that carry the write permission each destination needs (predefined roles; basic owner/editor carry it too). */
const writerRoles: Record<'storage' | 'pubsub' | 'log-bucket' | 'bigquery', readonly string[]> = {
  storage: [
    'roles/storage.objectCreator',
    'roles/storage.objectUser',
    'roles/storage.objectAdmin',
    'roles/storage.admin',
    'roles/storage.legacyBucketWriter',
    'roles/storage.legacyBucketOwner',
    'roles/owner',
    'roles/editor',
  ],
  pubsub: ['roles/pubsub.publisher', 'roles/pubsub.editor', 'roles/pubsub.admin', 'roles/owner', 'roles/editor'],
  'log-bucket': ['roles/logging.bucketWriter', 'roles/logging.admin', 'roles/owner', 'roles/editor'],
  bigquery: [
    'roles/bigquery.dataEditor',
    'roles/bigquery.dataOwner',
    'roles/bigquery.admin',
    'WRITER',
    'OWNER',
    'roles/owner',
    'roles/editor',
  ],
};

const what: Record<'storage' | 'pubsub' | 'log-bucket' | 'bigquery', string> = {
  storage: 'Cloud Storage bucket',
  pubsub: 'Pub/Sub topic',
  'log-bucket': "log bucket's project",
  bigquery: 'BigQuery dataset',
};

const isCustom = (role: string) => /^(projects|organizations)\/[^/]+\/roles\//.test(role);

/** The writer's grants among bindings: a writer role unconditionally (`yes`), only conditionally or through a custom role (`unknown`). */
function granted(bindings: readonly RawBinding[], writer: string, roles: readonly string[]): Tri {
  const mine = bindings.filter((b) => (b.members ?? []).some((m) => m.toLowerCase() === writer.toLowerCase()));
  if (mine.some((b) => roles.includes(b.role ?? '') && !b.condition)) return 'yes';
  if (mine.some((b) => roles.includes(b.role ?? '') || isCustom(b.role ?? ''))) return 'unknown';
  return 'no';
}

function datasetGranted(access: readonly RawDatasetAccess[], writer: string, roles: readonly string[]): Tri {
  const email = writer.replace(/^serviceAccount:/, '').toLowerCase();
  const mine = access.filter((a) => a.userByEmail?.toLowerCase() === email || a.iamMember?.toLowerCase() === writer.toLowerCase());
  if (mine.some((a) => roles.includes(a.role ?? ''))) return 'yes';
  if (mine.some((a) => isCustom(a.role ?? ''))) return 'unknown';
  return 'no';
}

/** Whether a sink's writer can write to its destination, with the reason, from what was read. */
export function writerHealth(sinkName: string, writer: string, dest: DestinationAccess): SourceHealth | null {
  if (dest.kind === 'same-project-bucket') return null;
  const health = (flowing: Tri, problems: string[], source: string): SourceHealth => ({ flowing, lastDelivery: null, problems, source });
  if (dest.kind === 'unknown') return health('unknown', [`sink ${sinkName}: who may write to ${dest.name} is not read`], 'none');
  const source =
    dest.kind === 'storage'
      ? 'storage:buckets.getIamPolicy'
      : dest.kind === 'pubsub'
        ? 'pubsub:topics.getIamPolicy'
        : dest.kind === 'bigquery'
          ? 'bigquery:datasets.get'
          : 'cloudresourcemanager:getIamPolicy';
  const read = dest.kind === 'bigquery' ? dest.access : dest.bindings;
  if (read === null)
    return health('no', [`sink ${sinkName} is configured but not delivering: its destination ${dest.name} does not exist`], source);
  if (typeof read === 'string') return health('unknown', [`sink ${sinkName}: ${read}`], source);
  if (!writer) return health('unknown', [`sink ${sinkName} names no writer identity: whether ${dest.name} admits it is unknown`], source);
  const roles = writerRoles[dest.kind];
  const verdict =
    dest.kind === 'bigquery'
      ? datasetGranted(read as readonly RawDatasetAccess[], writer, roles)
      : granted(read as readonly RawBinding[], writer, roles);
  if (verdict === 'yes') return health('yes', [], source);
  if (verdict === 'unknown')
    return health('unknown', [`sink ${sinkName}: ${writer} holds only a conditional or custom role on ${dest.name}`], source);
  return health(
    'no',
    [
      `sink ${sinkName} is configured but not delivering: its writer identity ${writer} holds no role that writes to the ${what[dest.kind]} ${dest.name} (grants higher up the hierarchy or through groups are not read)`,
    ],
    source,
  );
}

/** The sink's source with its delivery health (and, when it is not delivering, the reason). */
export function withWriterHealth(source: LoggingSource, health: SourceHealth | null): LoggingSource {
  if (!health) return source;
  return { ...source, health, reasons: [...new Set([...source.reasons, ...health.problems])] };
}
