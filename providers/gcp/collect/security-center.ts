/**
 * Security Command Center for a project: Security Health Analytics' settings as they apply to it (one
 * securityCenterServices.get) and the ACTIVE findings of the catalogued categories (v2 findings.list, paged) — two
 * reads a project, judged by normalise/security-center.ts. A refused or failed read is a gap (`part: alerting`) and
 * leaves what it would have told unknown.
 */
import { attempt } from '../../gaps.ts';
import { classifyGcpError as classify } from '../errors.ts';
import { findingsFilter, type SccReading } from '../normalise/security-center.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import type { GcpScopeContext } from './context.ts';

export async function collectSecurityCenter(io: GcpIO, ctx: GcpScopeContext): Promise<SccReading> {
  const P = ctx.project.projectId;
  const read = <T>(fn: () => Promise<T>) => attempt(ctx.gaps, 'alerting', GLOBAL, classify, fn);
  const [service, findings] = await Promise.all([
    read(() => io.healthAnalyticsService(P)),
    read(() => io.listSccFindings(P, findingsFilter())),
  ]);
  if (service || findings) ctx.ok.add('alerting');
  return { projectId: P, service: service ?? null, findings: findings ?? null };
}
