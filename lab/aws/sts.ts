/** STS (query protocol) operations. */
import type { AwsHandler } from './handlers.ts';
import { queryResponse } from './wire.ts';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export const stsHandlers: Record<string, AwsHandler> = {
  GetCallerIdentity({ identity }) {
    return queryResponse('GetCallerIdentity', NS, { Arn: identity.arn, UserId: identity.userId, Account: identity.accountId });
  },
};
