/** CloudTrail (JSON 1.1) operations the scanner reads. */
import { createHash } from 'node:crypto';
import type { AwsHandler, AwsRequestContext } from '../handlers.ts';
import type { AwsAccount, AwsCloudTrailEvent, AwsEventDataStore, AwsTrail } from '../estate.ts';
import { iamId } from '../state.ts';
import { awsError, jsonResponse, tokenPage } from '../wire.ts';

function uuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function userIdentity(e: AwsCloudTrailEvent, account: AwsAccount) {
  const principal = e.userArn.split('/').pop() ?? e.userArn;
  switch (e.userType) {
    case 'AssumedRole': {
      const m = /^arn:([a-z-]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(e.userArn);
      const partition = m?.[1] ?? 'aws';
      const accountId = m?.[2] ?? account.id;
      const roleName = m?.[3] ?? 'role';
      const roleId = iamId('AROA', `${account.id}/role/${roleName}`);
      return {
        type: 'AssumedRole',
        principalId: `${roleId}:${m?.[4] ?? principal}`,
        arn: e.userArn,
        accountId,
        accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: roleId,
            arn: e.sessionIssuerArn ?? `arn:${partition}:iam::${accountId}:role/${roleName}`,
            accountId,
            userName: roleName,
          },
          attributes: { creationDate: e.time, mfaAuthenticated: e.mfa ? 'true' : 'false' },
        },
        ...(e.invokedBy ? { invokedBy: e.invokedBy } : {}),
      };
    }
    case 'Root':
      return {
        type: 'Root',
        principalId: account.id,
        arn: `arn:aws:iam::${account.id}:root`,
        accountId: account.id,
        accessKeyId: 'ASIAEXAMPLEEXAMPLE02',
      };
    case 'AWSService':
      return { type: 'AWSService', invokedBy: e.invokedBy ?? 'backup.amazonaws.com' };
    default:
      return {
        type: e.userType,
        principalId: iamId('AIDA', e.userArn),
        arn: e.userArn,
        accountId: account.id,
        accessKeyId: 'AKIAEXAMPLEEXAMPLE03',
        userName: principal,
        // A console session: CloudTrail records whether it signed in with MFA.
        ...(e.mfa !== undefined ? { sessionContext: { attributes: { creationDate: e.time, mfaAuthenticated: String(e.mfa) } } } : {}),
      };
  }
}

function responseElements(e: AwsCloudTrailEvent, account: AwsAccount, requestId: string) {
  if (e.errorCode) return null;
  const snap = (id: string) => {
    const s = account.snapshots.find((x) => x.id === id);
    return {
      snapshotId: id,
      volumeId: s?.volumeId ?? e.volumeId ?? 'vol-ffffffff',
      startTime: e.time,
      progress: '',
      ownerId: account.id,
      volumeSize: s?.sizeGiB ?? 8,
      encrypted: s?.encrypted ?? false,
    };
  };
  switch (e.name) {
    case 'CreateSnapshot':
      return { requestId, ...snap(e.snapshotIds[0] ?? 'snap-00000000'), status: 'pending' };
    case 'CreateSnapshots':
      return { requestId, snapshotSet: { items: e.snapshotIds.map((id) => ({ ...snap(id), state: 'pending' })) } };
    case 'CopySnapshot':
      return { requestId, snapshotId: e.snapshotIds[0] ?? 'snap-00000000' };
    case 'CreateImage':
    case 'CopyImage':
    case 'RegisterImage':
      return { requestId, imageId: e.imageId ?? 'ami-00000000' };
    case 'CreateDBSnapshot':
    case 'CopyDBSnapshot':
      return {
        dBSnapshotIdentifier: e.dbSnapshotId ?? 'snapshot',
        dBSnapshotArn: `arn:aws:rds:${e.region}:${account.id}:snapshot:${e.dbSnapshotId ?? 'snapshot'}`,
        status: 'creating',
      };
    case 'CreateDBClusterSnapshot':
    case 'CopyDBClusterSnapshot':
      return {
        dBClusterSnapshotIdentifier: e.dbClusterSnapshotId ?? 'cluster-snapshot',
        dBClusterSnapshotArn: `arn:aws:rds:${e.region}:${account.id}:cluster-snapshot:${e.dbClusterSnapshotId ?? 'cluster-snapshot'}`,
        status: 'creating',
      };
    default:
      return { requestId };
  }
}

function requestParameters(e: AwsCloudTrailEvent) {
  switch (e.name) {
    case 'CreateSnapshot':
      return { volumeId: e.volumeId ?? 'vol-ffffffff' };
    case 'CreateSnapshots':
      return { instanceSpecification: { instanceId: 'i-0123456789abcdef0' }, copyTagsFromSource: 'volume' };
    case 'CopySnapshot':
      return { sourceRegion: e.region, sourceSnapshotId: e.sourceSnapshotId ?? 'snap-00000000000000000' };
    case 'CreateImage':
      return { instanceId: 'i-0123456789abcdef0', name: 'image' };
    case 'CreateDBSnapshot':
      return { dBSnapshotIdentifier: e.dbSnapshotId ?? 'snapshot', dBInstanceIdentifier: 'db-instance' };
    case 'ModifySnapshotAttribute': {
      const item = e.shareWith === 'all' ? { group: 'all' } : { userId: e.shareWith ?? '999999999999' };
      return {
        snapshotId: e.snapshotIds[0] ?? 'snap-00000000000000000',
        attributeType: 'CREATE_VOLUME_PERMISSION',
        createVolumePermission: { add: { items: [item] } },
      };
    }
    case 'ModifyImageAttribute': {
      const item = e.shareWith === 'all' ? { group: 'all' } : { userId: e.shareWith ?? '999999999999' };
      return { imageId: e.imageId ?? 'ami-00000000', launchPermission: { add: { items: [item] } }, attributeType: 'launchPermission' };
    }
    default:
      return {};
  }
}

/** The full CloudTrail record the lab serves for an estate event, shaped like the real one. */
export function cloudTrailRecord(e: AwsCloudTrailEvent, account: AwsAccount) {
  const eventId = uuid(`${account.id}/${e.region}/${e.name}/${e.time}/${e.snapshotIds.join(',')}`);
  const requestId = uuid(`req/${eventId}`);
  const identity = userIdentity(e, account);
  return {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: e.time.replace(/\.\d+Z$/, 'Z'),
    eventSource: e.eventSource,
    eventName: e.name,
    awsRegion: e.region,
    sourceIPAddress: e.sourceIp ?? e.invokedBy ?? '203.0.113.10',
    userAgent: e.userAgent ?? e.invokedBy ?? 'aws-cli/2.15.0 Python/3.11.6',
    requestParameters: requestParameters(e),
    responseElements: responseElements(e, account, requestId),
    ...(e.errorCode ? { errorCode: e.errorCode, errorMessage: 'You are not authorized to perform this operation.' } : {}),
    requestID: requestId,
    eventID: eventId,
    ...(e.vpcEndpointId ? { vpcEndpointId: e.vpcEndpointId } : {}),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account.id,
    eventCategory: 'Management',
  };
}

const lookupKeys = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;

function trailArn(t: AwsTrail, accountId: string): string {
  return `arn:aws:cloudtrail:${t.homeRegion}:${accountId}:trail/${t.name}`;
}

/** Trails visible from this account and region: its own, plus organisation trails, plus (shadow) multi-region ones. */
function visibleTrails(ctx: AwsRequestContext): Array<{ trail: AwsTrail; accountId: string }> {
  const own = ctx.account.trails.map((trail) => ({ trail, accountId: ctx.account.id }));
  const org = ctx.state.organizationTrails().filter((o) => o.accountId !== ctx.account.id);
  return [...own, ...org];
}

function findTrail(ctx: AwsRequestContext, nameOrArn: string | undefined) {
  return visibleTrails(ctx).find((o) => o.trail.name === nameOrArn || trailArn(o.trail, o.accountId) === nameOrArn);
}

function notFound(name: string | undefined) {
  return awsError('json', 400, 'TrailNotFoundException', `Unknown trail: ${name} for the user`);
}

function eventDataStoreArn(d: AwsEventDataStore, accountId: string): string {
  return `arn:aws:cloudtrail:${d.homeRegion}:${accountId}:eventdatastore/${uuid(`eds/${accountId}/${d.name}`)}`;
}

const managementSelectors = [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }];

/** GetEventDataStore's answer (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventDataStore.html). */
function eventDataStoreBody(d: AwsEventDataStore, accountId: string) {
  return {
    EventDataStoreArn: eventDataStoreArn(d, accountId),
    Name: d.name,
    Status: d.status,
    AdvancedEventSelectors: d.advancedEventSelectors ?? managementSelectors,
    MultiRegionEnabled: d.multiRegion,
    OrganizationEnabled: d.organization,
    RetentionPeriod: d.retentionDays,
    TerminationProtectionEnabled: d.terminationProtection,
    CreatedTimestamp: Date.parse('2025-03-01T00:00:00Z') / 1000,
    UpdatedTimestamp: Date.parse('2025-03-01T00:00:00Z') / 1000,
    BillingMode: 'EXTENDABLE_RETENTION_PRICING',
    ...(d.kmsKeyId ? { KmsKeyId: d.kmsKeyId } : {}),
  };
}

export const cloudtrailHandlers: Record<string, AwsHandler> = {
  /** The account's stores in the request's region; each summary names the store (its other fields are deprecated). */
  ListEventDataStores(ctx) {
    const body = ctx.json as { MaxResults?: number; NextToken?: string };
    const max = body.MaxResults ?? 1000;
    if (!Number.isInteger(max) || max < 1 || max > 1000)
      return awsError('json', 400, 'InvalidMaxResultsException', 'MaxResults must be between 1 and 1000.');
    const stores = ctx.account.eventDataStores
      .filter((d) => d.homeRegion === ctx.region)
      .map((d) => ({ EventDataStoreArn: eventDataStoreArn(d, ctx.account.id), Name: d.name }))
      .sort((a, b) => (a.EventDataStoreArn < b.EventDataStoreArn ? -1 : 1));
    const p = tokenPage(stores, body.NextToken, `eds-${ctx.account.id}-${ctx.region}`, ctx.pageSize(max), () =>
      awsError('json', 400, 'InvalidNextTokenException', 'Invalid NextToken.'),
    );
    if ('error' in p) return p.error;
    return jsonResponse({ EventDataStores: p.items, NextToken: p.next });
  },

  GetEventDataStore(ctx) {
    const wanted = (ctx.json as { EventDataStore?: string }).EventDataStore ?? '';
    if (!/^[a-zA-Z0-9._/\-:]{3,256}$/.test(wanted))
      return awsError('json', 400, 'EventDataStoreARNInvalidException', 'The specified event data store ARN is not valid.');
    if (wanted.startsWith('arn:') && wanted.split(':')[4] !== ctx.account.id)
      return awsError(
        'json',
        400,
        'EventDataStoreARNInvalidException',
        'The event data store ARN does not map to an event data store in your account.',
      );
    const found = ctx.account.eventDataStores.find((d) => {
      const arn = eventDataStoreArn(d, ctx.account.id);
      return d.homeRegion === ctx.region && (arn === wanted || arn.endsWith(`/${wanted}`));
    });
    if (!found) return awsError('json', 400, 'EventDataStoreNotFoundException', 'The specified event data store was not found.');
    return jsonResponse(eventDataStoreBody(found, ctx.account.id));
  },

  LookupEvents(ctx) {
    const body = ctx.json as {
      LookupAttributes?: Array<{ AttributeKey?: string; AttributeValue?: string }>;
      StartTime?: number;
      EndTime?: number;
      MaxResults?: number;
      NextToken?: string;
    };
    const attrs = body.LookupAttributes ?? [];
    if (attrs.length > 1)
      return awsError('json', 400, 'InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    const attr = attrs[0];
    if (attr && !lookupKeys.includes(attr.AttributeKey as (typeof lookupKeys)[number]))
      return awsError('json', 400, 'InvalidLookupAttributesException', `Invalid AttributeKey: ${attr.AttributeKey}`);
    const max = body.MaxResults ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 50)
      return awsError('json', 400, 'InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
    const start = body.StartTime !== undefined ? body.StartTime * 1000 : Number.NEGATIVE_INFINITY;
    const end = body.EndTime !== undefined ? body.EndTime * 1000 : Number.POSITIVE_INFINITY;
    if (start > end) return awsError('json', 400, 'InvalidTimeRangeException', 'Start time must be before end time.');
    const records = ctx.account.cloudTrailEvents
      .filter((e) => e.region === ctx.region)
      .filter((e) => {
        const t = Date.parse(e.time);
        return t >= start && t <= end;
      })
      .map((e) => ({ e, record: cloudTrailRecord(e, ctx.account) }))
      .filter(({ e, record }) => {
        if (!attr) return true;
        const v = attr.AttributeValue ?? '';
        switch (attr.AttributeKey) {
          case 'EventName':
            return e.name === v;
          case 'EventSource':
            return e.eventSource === v;
          case 'EventId':
            return record.eventID === v;
          case 'ReadOnly':
            return v === 'false';
          case 'ResourceName':
            return e.snapshotIds.includes(v) || e.imageId === v || e.volumeId === v || e.dbSnapshotId === v || e.dbClusterSnapshotId === v;
          case 'ResourceType':
            return (v === 'AWS::EC2::Snapshot' && e.snapshotIds.length > 0) || (v === 'AWS::EC2::Ami' && !!e.imageId);
          default:
            return e.userArn.endsWith(`/${v}`);
        }
      })
      .sort((a, b) => Date.parse(b.e.time) - Date.parse(a.e.time) || (a.record.eventID < b.record.eventID ? -1 : 1));
    const salt = `le-${ctx.account.id}-${ctx.region}-${attr?.AttributeKey ?? ''}-${attr?.AttributeValue ?? ''}`;
    const p = tokenPage(records, body.NextToken, salt, ctx.pageSize(max), () =>
      awsError('json', 400, 'InvalidNextTokenException', 'Invalid NextToken.'),
    );
    if ('error' in p) return p.error;
    return jsonResponse({
      Events: p.items.map(({ e, record }) => ({
        EventId: record.eventID,
        EventName: e.name,
        ReadOnly: 'false',
        AccessKeyId: (record.userIdentity as { accessKeyId?: string }).accessKeyId,
        EventTime: Date.parse(e.time) / 1000,
        EventSource: e.eventSource,
        Username: (record.userIdentity as { userName?: string }).userName ?? e.userArn.split('/').pop(),
        Resources: [
          ...e.snapshotIds.map((id) => ({ ResourceType: 'AWS::EC2::Snapshot', ResourceName: id })),
          ...(e.imageId ? [{ ResourceType: 'AWS::EC2::Ami', ResourceName: e.imageId }] : []),
          ...(e.volumeId ? [{ ResourceType: 'AWS::EC2::Volume', ResourceName: e.volumeId }] : []),
        ],
        CloudTrailEvent: JSON.stringify(record),
      })),
      NextToken: p.next,
    });
  },

  /**
   * The account's own trails, every region, each with its home region
   * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html: "Lists trails that are in the
   * current account").
   */
  ListTrails(ctx) {
    const body = ctx.json as { NextToken?: string };
    const trails = ctx.account.trails
      .map((t) => ({ TrailARN: trailArn(t, ctx.account.id), Name: t.name, HomeRegion: t.homeRegion }))
      .sort((a, b) => (a.TrailARN < b.TrailARN ? -1 : 1));
    const p = tokenPage(trails, body.NextToken, `lt-${ctx.account.id}`, ctx.pageSize(50), () =>
      awsError('json', 400, 'InvalidNextTokenException', 'Invalid NextToken.'),
    );
    if ('error' in p) return p.error;
    return jsonResponse({ Trails: p.items, NextToken: p.next });
  },

  /**
   * Without names: the trails of the request's region, plus (includeShadowTrails, the default) the shadows of
   * multi-region trails and of an organisation trail. With names: a name matches a trail of this region, an ARN any
   * trail of the account ("To return information about a trail in another Region, you must specify its trail ARN",
   * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html).
   */
  DescribeTrails(ctx) {
    const body = ctx.json as { trailNameList?: string[]; includeShadowTrails?: boolean };
    const includeShadow = body.includeShadowTrails !== false;
    const here = (t: AwsTrail) => t.homeRegion === ctx.region || (includeShadow && t.multiRegion);
    const wanted = body.trailNameList ?? [];
    const list = visibleTrails(ctx).filter((o) =>
      wanted.length === 0
        ? here(o.trail)
        : (here(o.trail) && wanted.includes(o.trail.name)) || wanted.includes(trailArn(o.trail, o.accountId)),
    );
    return jsonResponse({
      trailList: list.map(({ trail, accountId }) => ({
        Name: trail.name,
        S3BucketName: trail.s3Bucket,
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: trail.multiRegion,
        HomeRegion: trail.homeRegion,
        TrailARN: trailArn(trail, accountId),
        LogFileValidationEnabled: trail.logFileValidation,
        KmsKeyId: trail.kmsKeyId,
        CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn,
        HasCustomEventSelectors: trail.eventSelectors !== undefined,
        HasInsightSelectors: false,
        IsOrganizationTrail: trail.organization,
      })),
    });
  },

  GetTrailStatus(ctx) {
    const name = (ctx.json as { Name?: string }).Name;
    const found = findTrail(ctx, name);
    if (!found) return notFound(name);
    const t = found.trail;
    // A failing delivery keeps the last good delivery time from before it started failing.
    const lastDelivery = t.deliveryError ? '2026-10-15T00:00:00Z' : '2026-11-25T00:00:00Z';
    return jsonResponse({
      IsLogging: t.logging,
      LatestDeliveryTime: t.logging ? Date.parse(lastDelivery) / 1000 : undefined,
      StartLoggingTime: Date.parse('2025-01-01T00:00:00Z') / 1000,
      StopLoggingTime: t.logging ? undefined : Date.parse('2026-10-01T00:00:00Z') / 1000,
      ...(t.deliveryError ? { LatestDeliveryError: t.deliveryError } : {}),
      ...(t.cloudWatchLogsDeliveryError ? { LatestCloudWatchLogsDeliveryError: t.cloudWatchLogsDeliveryError } : {}),
      ...(t.cloudWatchLogsLogGroupArn && !t.cloudWatchLogsDeliveryError && t.logging
        ? { LatestCloudWatchLogsDeliveryTime: Date.parse('2026-11-25T00:00:00Z') / 1000 }
        : {}),
      ...(t.digestDeliveryError ? { LatestDigestDeliveryError: t.digestDeliveryError } : {}),
      ...(t.logFileValidation && !t.digestDeliveryError && t.logging
        ? { LatestDigestDeliveryTime: Date.parse('2026-11-25T00:00:00Z') / 1000 }
        : {}),
    });
  },

  GetEventSelectors(ctx) {
    const name = (ctx.json as { TrailName?: string }).TrailName;
    const found = findTrail(ctx, name);
    if (!found) return notFound(name);
    const t = found.trail;
    const arn = trailArn(t, found.accountId);
    if (t.advancedEventSelectors) return jsonResponse({ TrailARN: arn, AdvancedEventSelectors: t.advancedEventSelectors });
    const selectors = t.eventSelectors ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: [] }];
    return jsonResponse({ TrailARN: arn, EventSelectors: selectors.map((s) => ({ ...s, DataResources: [] })) });
  },
};
