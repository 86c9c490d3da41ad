// Plain-text spellings of a drift's facts, shared by the text and Markdown renderers. The
// results are not escaped: each renderer cleans them for its own medium.
import type { Attribution } from '../drift/types.js';

const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `+$12.34/month`, `-$3.00/month`, `no cost change`, `unknown cost`. */
export function formatCost(delta: number | null): string {
  if (delta === null || !Number.isFinite(delta)) return 'unknown cost';
  const cents = Math.round(delta * 100);
  if (cents === 0) return 'no cost change';
  return `${cents > 0 ? '+' : '-'}$${MONEY.format(Math.abs(cents) / 100)}/month`;
}

/** Whether a cost line is worth showing: an unknown price is, a change under a cent is not. */
export function showsCost(delta: number | null): boolean {
  return delta === null || !Number.isFinite(delta) || Math.round(delta * 100) !== 0;
}

/** `alice via AuthorizeSecurityGroupIngress at <time> from <ip> (console)`; callers put "by"
 * in front in their own style. */
export function formatAttribution(attribution: Attribution): string {
  const parts = [attribution.actor];
  if (attribution.role !== null && !attribution.actor.includes(attribution.role)) parts.push(`as ${attribution.role}`);
  parts.push(`via ${attribution.eventName}`, `at ${attribution.eventTime}`);
  if (attribution.sourceIp !== null) parts.push(`from ${attribution.sourceIp}`);
  if (attribution.console) parts.push('(console)');
  return parts.join(' ');
}

/** `CIS 5.2 · MITRE T1133, T1190`, or '' when the drift maps to no control. */
export function formatControls(controls: { cis: string[]; mitre: string[] }): string {
  const parts: string[] = [];
  if (controls.cis.length > 0) parts.push(`CIS ${controls.cis.join(', ')}`);
  if (controls.mitre.length > 0) parts.push(`MITRE ${controls.mitre.join(', ')}`);
  return parts.join(' · ');
}

/** `98.1%`: at most one decimal, none when whole. */
export function formatPercent(percent: number): string {
  return `${Math.round(percent * 10) / 10}%`;
}
