/** Log-based metrics, alert policies and notification channels as Monitoring and Logging answer them → what alerting.ts judges. */
import type { RawAlertPolicy, RawBoolValue, RawChannel, RawMetric } from '../raw.ts';
import type { AlertPolicyInfo, ChannelLookup, MetricInfo } from './logging.ts';

/** AlertPolicy.enabled and NotificationChannel.enabled are BoolValues: absent means enabled. */
export function enabledValue(v: RawBoolValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'boolean') return v;
  return v.value !== false;
}

export function metricInfo(x: RawMetric): MetricInfo {
  return { name: x.name ?? '?', filter: x.filter ?? '', disabled: x.disabled === true };
}

export function alertPolicyInfo(x: RawAlertPolicy): AlertPolicyInfo {
  return {
    name: x.name ?? '?',
    displayName: x.displayName ?? x.name ?? '?',
    enabled: enabledValue(x.enabled),
    notificationChannels: x.notificationChannels ?? [],
    conditions: (x.conditions ?? []).map((c) => ({
      name: c.name ?? '?',
      displayName: c.displayName ?? '?',
      filter: c.conditionThreshold?.filter ?? c.conditionAbsent?.filter ?? null,
      logMatch: c.conditionMatchedLog?.filter ?? null,
      query: c.conditionMonitoringQueryLanguage?.query ?? c.conditionPrometheusQueryLanguage?.query ?? null,
    })),
  };
}

/** The project's channels by name; null when they could not be read. */
export function channelLookup(channels: readonly RawChannel[] | undefined): ChannelLookup {
  return channels
    ? new Map(channels.map((c) => [c.name ?? '?', { enabled: enabledValue(c.enabled), displayName: c.displayName ?? c.name ?? '?' }]))
    : null;
}
