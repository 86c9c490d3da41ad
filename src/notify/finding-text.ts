// Plain-text spellings of a stored finding's facts, shared by every Slack message. Results are
// raw text: each message escapes them (escapeSlack) where it puts them.
import type { DriftKind, Severity } from '../drift/types.js';
import { SEVERITIES } from '../report/severity-order.js';
import type { FindingRecord } from '../store/types.js';

export const SEVERITY_EMOJI: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '⚪' };

/** The longest cloud value a message quotes (titles, names): beyond it, "…". */
export const MAX_VALUE = 300;

const VERB: Record<DriftKind, string> = { modified: 'changed', deleted: 'deleted', unmanaged: 'created' };

export function atLeast(severity: Severity, min: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(min);
}

export function countBySeverity(findings: readonly Pick<FindingRecord, 'severity'>[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** `🔴 1 critical 🟠 1 high 🟡 1 medium ⚪ 0 low`: every severity, zeros included. */
export function severityCounts(counts: Record<Severity, number>): string {
  return SEVERITIES.map((severity) => `${SEVERITY_EMOJI[severity]} ${counts[severity]} ${severity}`).join(' ');
}

/**
 * What people call the resource. The store keeps no Name tag (a finding holds its address, type
 * and cloud id), so: the Terraform address without its type (`web_sg` for
 * `aws_security_group.web_sg`, `module.net.web` for `module.net.aws_security_group.web`), or the
 * cloud id of an unmanaged resource, which has no address.
 */
export function resourceName(finding: Pick<FindingRecord, 'address' | 'type' | 'cloudId'>): string {
  const address = finding.address;
  if (address === null) return finding.cloudId;
  const marker = `${finding.type}.`;
  if (address.startsWith(marker)) return address.slice(marker.length);
  const inner = address.lastIndexOf(`.${marker}`);
  if (inner < 0) return address;
  return `${address.slice(0, inner + 1)}${address.slice(inner + 1 + marker.length)}`;
}

/** `changed by tanaka via AuthorizeSecurityGroupIngress` (created / deleted for unmanaged and
 * deleted resources), or `… by an unknown actor` when CloudTrail named nobody. */
export function actorLine(finding: Pick<FindingRecord, 'kind' | 'attribution'>): string {
  const verb = VERB[finding.kind];
  if (finding.attribution === null) return `${verb} by an unknown actor`;
  return `${verb} by ${finding.attribution.actor} via ${finding.attribution.eventName}`;
}

/** Most severe first; inside a severity the longest-standing first, then by resource. */
export function compareFindings(a: Pick<FindingRecord, 'severity' | 'firstSeenAt' | 'resourceKey'>, b: Pick<FindingRecord, 'severity' | 'firstSeenAt' | 'resourceKey'>): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || compare(a.firstSeenAt, b.firstSeenAt) || compare(a.resourceKey, b.resourceKey);
}

export function sortFindings<T extends Pick<FindingRecord, 'severity' | 'firstSeenAt' | 'resourceKey'>>(findings: readonly T[]): T[] {
  return [...findings].sort(compareFindings);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `2024-05-13 09:00 UTC` or `2024-05-13 09:00 (Asia/Tokyo)`: minutes, in the workspace's zone. */
export function formatTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  } catch {
    // The config validates zones; a zone this Node does not know still prints, in UTC.
    return formatTime(iso, 'UTC');
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
  const zone = timeZone === 'UTC' ? 'UTC' : `(${timeZone})`;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${zone}`;
}
