/**
 * The ARM SDK clients, loaded only when a scan needs one (clients.ts `AzureClients.sdk()`): with the plain reader
 * (arm.ts) every read of a scan goes without them, and their modules (@azure/arm-compute, -authorization, -monitor,
 * -managementgroups, -resources-subscriptions, with their mappers and paging helpers) are not loaded at all
 * (docs/large-organisations.md, "Azure's time, without the SDK modules"). `plainArm: false` reads everything through
 * them (test/azure/arm-reader.test.ts compares the two ways).
 */
import { AuthorizationManagementClient, getContinuationToken as authorizationToken } from '@azure/arm-authorization';
import { ComputeManagementClient } from '@azure/arm-compute';
import { getContinuationToken as managementGroupsToken, ManagementGroupsAPI } from '@azure/arm-managementgroups';
import { MonitorClient } from '@azure/arm-monitor';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { createDefaultHttpClient, createPipelineRequest, type HttpClient, RestError } from '@azure/core-rest-pipeline';

export {
  AuthorizationManagementClient,
  authorizationToken,
  ComputeManagementClient,
  ManagementGroupsAPI,
  managementGroupsToken,
  MonitorClient,
  SubscriptionClient,
};

let http: HttpClient | null = null;

/**
 * A plain ARM GET through a monitor client's pipeline (the same credential, trust, pool and error policy as every
 * other SDK call): a status of 400 or more throws a RestError (classified like the SDKs' own); the parsed JSON body
 * otherwise.
 */
export async function pipelineGet(monitor: MonitorClient, url: string, path: string, signal?: AbortSignal): Promise<unknown> {
  const request = createPipelineRequest({ url, method: 'GET', ...(signal ? { abortSignal: signal } : {}) });
  http ??= createDefaultHttpClient();
  const response = await monitor.pipeline.sendRequest(http, request);
  const text = response.bodyAsText ?? '';
  if (response.status >= 400) {
    let code: string | undefined;
    let message = `GET ${path} answered ${response.status}`;
    try {
      const e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
      code = e?.code;
      if (e?.message) message = e.message;
    } catch {
      // not JSON: the status says enough
    }
    throw new RestError(message, { statusCode: response.status, ...(code ? { code } : {}), request, response });
  }
  return text ? JSON.parse(text) : null;
}
