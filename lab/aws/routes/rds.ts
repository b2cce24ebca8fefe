/**
 * RDS (query protocol, XML) operations the scanner reads: DB snapshots and DB cluster snapshots with their `restore`
 * attribute. RDS names its list members after the type (`<DBSnapshot>`, `<Tag>`, `<AttributeValue>`), not `member`;
 * lists page with MaxRecords (20–100) and Marker
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html).
 */
import type { AwsAccount, AwsDbClusterSnapshot, AwsDbSnapshot } from '../estate.ts';
import type { RdsKind } from '../state.ts';
import type { AwsHandler, AwsRequestContext } from '../handlers.ts';
import { snapshotKeyArn } from './kms.ts';
import { awsError, queryResponse, tokenPage, type XmlList, type XmlNode, xmlList } from '../wire.ts';

const NS = 'http://rds.amazonaws.com/doc/2014-10-31/';

function pageOf<T>(ctx: AwsRequestContext, items: readonly T[], salt: string) {
  const asked = ctx.params.get('MaxRecords');
  const size = asked === null ? 100 : Number(asked);
  if (!Number.isInteger(size) || size < 20 || size > 100)
    return { error: awsError('query', 400, 'InvalidParameterValue', 'Invalid value for MaxRecords. Must be between 20 and 100') };
  return tokenPage(items, ctx.params.get('Marker'), salt, ctx.pageSize(size), () =>
    awsError('query', 400, 'InvalidParameterValue', 'Invalid marker'),
  );
}

const tagList = (tags: Record<string, string>) =>
  xmlList(
    'Tag',
    Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  );

function common(
  ctx: AwsRequestContext,
  s: AwsDbSnapshot | AwsDbClusterSnapshot,
  owner: AwsRequestContext['account'] = ctx.account,
  type: string = s.type,
): XmlNode {
  return {
    SnapshotCreateTime: s.createTime,
    Engine: s.engine,
    AllocatedStorage: s.sizeGiB,
    Status: s.status,
    SnapshotType: type,
    KmsKeyId: s.encrypted
      ? snapshotKeyArn(ctx.state.estate.partition, owner, { ...s, kmsKeyId: s.kmsKeyId ?? 'alias/aws/rds' })
      : undefined,
    TagList: tagList(s.tags),
  };
}

const arn = (ctx: AwsRequestContext, kind: string, id: string, owner: string = ctx.account.id) =>
  `arn:${ctx.state.estate.partition}:rds:${ctx.region}:${owner}:${kind}:${id}`;

/**
 * What a listing returns: the account's own snapshots of the region (of `SnapshotType` when given), and with
 * `IncludeShared=true` (no type, or type `shared`) the manual ones other accounts of the estate share with it, typed
 * `shared` and named by their owner's ARN
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html).
 */
function listed<K extends RdsKind>(ctx: AwsRequestContext, kind: K): Array<{ s: AwsAccount[K][number]; owner: AwsAccount; type: string }> {
  const type = ctx.params.get('SnapshotType');
  const shared = ctx.params.get('IncludeShared') === 'true' ? type === null || type === 'shared' : type === 'shared';
  const own = type === 'shared' ? [] : (ctx.account[kind] as ReadonlyArray<AwsAccount[K][number]>).filter((s) => !type || s.type === type);
  const inbound = shared ? ctx.state.sharedInto(kind, ctx.account.id) : [];
  return [...own.map((s) => ({ s, owner: ctx.account, type: s.type as string })), ...inbound.map((x) => ({ ...x, type: 'shared' }))]
    .filter((x) => x.s.region === ctx.region)
    .sort((a, b) => (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : a.owner.id < b.owner.id ? -1 : 1));
}

function restoreAttribute(s: AwsDbSnapshot | AwsDbClusterSnapshot, member: string): XmlList {
  const values = [...(s.public ? ['all'] : []), ...s.sharedWith];
  return xmlList(member, [{ AttributeName: 'restore', AttributeValues: xmlList('AttributeValue', values) }]);
}

export const rdsHandlers: Record<string, AwsHandler> = {
  DescribeDBSnapshots(ctx) {
    const type = ctx.params.get('SnapshotType');
    const items = listed(ctx, 'dbSnapshots');
    const p = pageOf(ctx, items, `dbs-${ctx.account.id}-${ctx.region}-${type ?? ''}-${ctx.params.get('IncludeShared') ?? ''}`);
    if ('error' in p) return p.error;
    return queryResponse('DescribeDBSnapshots', NS, {
      DBSnapshots: xmlList(
        'DBSnapshot',
        p.items.map(({ s, owner, type: t }) => ({
          // Another account's snapshot is named by its ARN; its identifier is that ARN too.
          DBSnapshotIdentifier: owner === ctx.account ? s.id : arn(ctx, 'snapshot', s.id, owner.id),
          DBInstanceIdentifier: s.instance,
          ...common(ctx, s, owner, t),
          Encrypted: s.encrypted,
          SourceDBSnapshotIdentifier: s.copiedFrom,
          DBSnapshotArn: arn(ctx, 'snapshot', s.id, owner.id),
        })),
      ),
      Marker: p.next,
    });
  },

  DescribeDBClusterSnapshots(ctx) {
    const type = ctx.params.get('SnapshotType');
    const items = listed(ctx, 'dbClusterSnapshots');
    const p = pageOf(ctx, items, `dbcs-${ctx.account.id}-${ctx.region}-${type ?? ''}-${ctx.params.get('IncludeShared') ?? ''}`);
    if ('error' in p) return p.error;
    return queryResponse('DescribeDBClusterSnapshots', NS, {
      DBClusterSnapshots: xmlList(
        'DBClusterSnapshot',
        p.items.map(({ s, owner, type: t }) => ({
          DBClusterSnapshotIdentifier: owner === ctx.account ? s.id : arn(ctx, 'cluster-snapshot', s.id, owner.id),
          DBClusterIdentifier: s.cluster,
          ...common(ctx, s, owner, t),
          StorageEncrypted: s.encrypted,
          SourceDBClusterSnapshotArn: s.copiedFrom,
          DBClusterSnapshotArn: arn(ctx, 'cluster-snapshot', s.id, owner.id),
        })),
      ),
      Marker: p.next,
    });
  },

  DescribeDBSnapshotAttributes(ctx) {
    const id = ctx.params.get('DBSnapshotIdentifier');
    const s = ctx.account.dbSnapshots.find((x) => x.id === id && x.region === ctx.region);
    if (!s) return awsError('query', 404, 'DBSnapshotNotFound', `DBSnapshot ${id} not found.`);
    return queryResponse('DescribeDBSnapshotAttributes', NS, {
      DBSnapshotAttributesResult: { DBSnapshotIdentifier: s.id, DBSnapshotAttributes: restoreAttribute(s, 'DBSnapshotAttribute') },
    });
  },

  DescribeDBClusterSnapshotAttributes(ctx) {
    const id = ctx.params.get('DBClusterSnapshotIdentifier');
    const s = ctx.account.dbClusterSnapshots.find((x) => x.id === id && x.region === ctx.region);
    if (!s) return awsError('query', 404, 'DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`);
    return queryResponse('DescribeDBClusterSnapshotAttributes', NS, {
      DBClusterSnapshotAttributesResult: {
        DBClusterSnapshotIdentifier: s.id,
        DBClusterSnapshotAttributes: restoreAttribute(s, 'DBClusterSnapshotAttribute'),
      },
    });
  },
};
