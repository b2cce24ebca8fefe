/**
 * The AWS part of the lab. Requests are routed by the SigV4 credential scope's service and by `Action=` (query
 * protocols) or `X-Amz-Target` (JSON 1.1); the access key id selects the calling account.
 */
import type { LabModuleFactory } from '../module.ts';
import type { LabRequest, RequestIdentity } from '../core.ts';
import type { AwsHandler, AwsRequestContext } from './handlers.ts';
import { AwsLabState, LAB_ACCESS_KEY_ID, LAB_SECRET_ACCESS_KEY } from './state.ts';
import { awsError, queryParams, sigv4, type AwsProtocol } from './wire.ts';
import { ec2Handlers } from './routes/ec2.ts';
import { cloudtrailHandlers } from './routes/cloudtrail.ts';
import { stsHandlers } from './routes/sts.ts';
import { organizationsHandlers } from './routes/organizations.ts';
import { iamHandlers } from './routes/iam.ts';
import { eventsHandlers } from './routes/events.ts';
import { logsHandlers } from './routes/logs.ts';
import { kmsHandlers } from './routes/kms.ts';
import { rdsHandlers } from './routes/rds.ts';
import { backupHandlers, backupRoute } from './routes/backup.ts';
import { identityStoreHandlers, ssoAdminHandlers } from './routes/sso.ts';
import { accessAnalyzerHandlers, accessAnalyzerRoute } from './routes/accessanalyzer.ts';
import { securityHubHandlers, securityHubRoute } from './routes/securityhub.ts';

interface ServiceSpec {
  protocol: AwsProtocol;
  handlers: Record<string, AwsHandler>;
  /** Global services answer from one region whatever the credential scope says. */
  global?: boolean;
  /** REST protocols: the operation and path parameters from the method and path. */
  route?: (method: string, path: string) => { action: string; params: Record<string, string> } | null;
}

export const awsServices: Record<string, ServiceSpec> = {
  ec2: { protocol: 'ec2', handlers: ec2Handlers },
  cloudtrail: { protocol: 'json', handlers: cloudtrailHandlers },
  sts: { protocol: 'query', handlers: stsHandlers, global: true },
  organizations: { protocol: 'json', handlers: organizationsHandlers, global: true },
  iam: { protocol: 'query', handlers: iamHandlers, global: true },
  events: { protocol: 'json', handlers: eventsHandlers },
  logs: { protocol: 'json', handlers: logsHandlers },
  kms: { protocol: 'json', handlers: kmsHandlers },
  rds: { protocol: 'query', handlers: rdsHandlers },
  backup: { protocol: 'rest-json', handlers: backupHandlers, route: backupRoute },
  sso: { protocol: 'json', handlers: ssoAdminHandlers },
  identitystore: { protocol: 'json', handlers: identityStoreHandlers },
  'access-analyzer': { protocol: 'rest-json', handlers: accessAnalyzerHandlers, route: accessAnalyzerRoute },
  securityhub: { protocol: 'rest-json', handlers: securityHubHandlers, route: securityHubRoute },
};

/** Throttling codes per protocol family, as the real services send them. */
const throttleCodes: Record<string, { status: number; code: string }> = {
  ec2: { status: 503, code: 'RequestLimitExceeded' },
  organizations: { status: 400, code: 'TooManyRequestsException' },
  iam: { status: 400, code: 'Throttling' },
  sts: { status: 400, code: 'Throttling' },
};

function action(req: LabRequest, spec: ServiceSpec | undefined): string {
  const protocol = spec?.protocol ?? null;
  if (protocol === 'rest-json') return spec?.route?.(req.method, req.url.pathname)?.action ?? 'unknown';
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  if (protocol === 'json') return 'unknown';
  return queryParams(req).get('Action') ?? 'unknown';
}

export const awsLab: LabModuleFactory = {
  tls: false,
  create(estate) {
    if (!estate.aws) throw new Error('the estate has no aws section');
    const state = new AwsLabState(estate.aws);
    const parse = (req: LabRequest) => {
      const sig = sigv4(req);
      const service = sig.service ?? 'unknown';
      const spec = awsServices[service];
      const identity = sig.accessKeyId ? state.identities.get(sig.accessKeyId) : undefined;
      return { sig, service, spec, identity, action: action(req, spec) };
    };
    return {
      provider: 'aws',
      tls: false,
      credentials: { accessKeyId: LAB_ACCESS_KEY_ID, secretAccessKey: LAB_SECRET_ACCESS_KEY },
      identify(req): RequestIdentity {
        const p = parse(req);
        return {
          service: p.service,
          operation: p.action,
          scope: p.identity?.accountId ?? null,
          region: p.spec?.global ? null : p.sig.region,
        };
      },
      handle(req) {
        const p = parse(req);
        const protocol = p.spec?.protocol ?? 'query';
        if (!p.spec) return awsError('query', 400, 'UnknownService', `The lab does not serve ${p.service}`);
        if (!p.identity) {
          return awsError(
            protocol,
            protocol === 'ec2' ? 401 : 403,
            protocol === 'ec2' ? 'AuthFailure' : 'InvalidClientTokenId',
            'The security token included in the request is invalid.',
          );
        }
        if (p.identity.expiresAt !== null && p.identity.expiresAt < Date.now()) {
          return awsError(protocol, 400, 'ExpiredToken', 'The security token included in the request is expired');
        }
        if (state.estate.notImplementedOperations.includes(`${p.service}:${p.action}`)) {
          return awsError(protocol, 501, 'InternalFailure', `API action '${p.action}' for service '${p.service}' not yet implemented`);
        }
        const unsupported = state.estate.unsupportedOperations.includes(`${p.service}:${p.action}`);
        const handler = unsupported ? undefined : p.spec.handlers[p.action];
        if (!handler)
          return awsError(
            protocol,
            400,
            protocol === 'json' ? 'UnknownOperationException' : 'InvalidAction',
            `The action ${p.action} is not valid for this web service.`,
          );
        const account = state.accounts.get(p.identity.accountId);
        if (!account) return awsError(protocol, 403, 'AccessDenied', `account ${p.identity.accountId} is not in the estate`);
        const region = p.sig.region ?? 'us-east-1';
        if (!p.spec.global && !state.enabledRegions(account).includes(region)) {
          return awsError(
            protocol,
            401,
            protocol === 'json' ? 'UnrecognizedClientException' : 'AuthFailure',
            `The region ${region} is not enabled for account ${account.id}.`,
          );
        }
        let json: Record<string, unknown> = protocol === 'rest-json' ? { ...p.spec.route?.(req.method, req.url.pathname)?.params } : {};
        // JSON 1.1 bodies, and REST-JSON POST bodies (beside the path parameters).
        if ((protocol === 'json' || (protocol === 'rest-json' && req.method === 'POST')) && req.body) {
          try {
            json = { ...json, ...(JSON.parse(req.body) as Record<string, unknown>) };
          } catch {
            return awsError('json', 400, 'SerializationException', 'Malformed JSON body');
          }
        }
        const ctx: AwsRequestContext = {
          req,
          state,
          protocol,
          service: p.service,
          action: p.action,
          region,
          identity: p.identity,
          account,
          params: queryParams(req),
          json,
          pageSize: (asked) => Math.min(asked, state.estate.pageLimits[`${p.service}:${p.action}`] ?? asked),
        };
        return handler(ctx);
      },
      fault(kind, req, id, rule) {
        const p = parse(req);
        const protocol = p.spec?.protocol ?? 'query';
        switch (kind) {
          case 'throttle': {
            const t = throttleCodes[id.service] ?? { status: 400, code: 'ThrottlingException' };
            const res = awsError(protocol, t.status, t.code, 'Rate exceeded');
            if (rule.retryAfterSeconds !== undefined) res.headers = { ...res.headers, 'retry-after': String(rule.retryAfterSeconds) };
            return res;
          }
          case 'server_error':
            return awsError(
              protocol,
              500,
              protocol === 'ec2' ? 'InternalError' : 'InternalFailure',
              rule.message ?? 'An internal error has occurred',
            );
          case 'access_denied':
            return protocol === 'ec2'
              ? awsError(
                  'ec2',
                  403,
                  'UnauthorizedOperation',
                  rule.message ?? `You are not authorized to perform this operation (${id.operation}).`,
                )
              : awsError(
                  protocol,
                  protocol === 'json' ? 400 : 403,
                  protocol === 'json' ? 'AccessDeniedException' : 'AccessDenied',
                  rule.message ?? `User is not authorized to perform: ${id.service}:${id.operation}`,
                );
          case 'expired_credentials':
            return awsError(protocol, 400, 'ExpiredToken', 'The security token included in the request is expired');
          case 'malformed':
            return {
              status: 200,
              headers: { 'content-type': protocol === 'json' ? 'application/x-amz-json-1.1' : 'text/xml' },
              body: protocol === 'json' ? '{"trailList": [' : '<Broken',
            };
        }
      },
    };
  },
};
