/** STS (query protocol) operations. */
import type { AwsHandler } from '../handlers.ts';
import { awsError, queryResponse } from '../wire.ts';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export const stsHandlers: Record<string, AwsHandler> = {
  GetCallerIdentity({ identity }) {
    return queryResponse('GetCallerIdentity', NS, { Arn: identity.arn, UserId: identity.userId, Account: identity.accountId });
  },

  AssumeRole({ params, identity, state }) {
    const roleArn = params.get('RoleArn') ?? '';
    const session = params.get('RoleSessionName') ?? '';
    const duration = Number(params.get('DurationSeconds') ?? '3600');
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
      return awsError(
        'query',
        400,
        'ValidationError',
        `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint`,
      );
    }
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
      return awsError(
        'query',
        400,
        'ValidationError',
        `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint`,
      );
    }
    const out = state.assumeRole(roleArn, session, params.get('ExternalId'), duration);
    if (!out) {
      return awsError(
        'query',
        403,
        'AccessDenied',
        `User: ${identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    return queryResponse('AssumeRole', NS, {
      Credentials: {
        AccessKeyId: out.accessKeyId,
        SecretAccessKey: out.secretAccessKey,
        SessionToken: out.sessionToken,
        Expiration: out.expiration.toISOString(),
      },
      AssumedRoleUser: { AssumedRoleId: out.assumedRoleId, Arn: out.arn },
      PackedPolicySize: null,
    });
  },
};
