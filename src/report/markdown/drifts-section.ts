// Every drift, grouped by severity, within a character budget: GitHub bodies stop at 65,536
// characters, and a body cut mid-table renders as garbage, so whole sections are dropped
// instead, first the diffs of oversized patches, then the least severe drifts.
import type { Severity } from '../../drift/types.js';
import { SEVERITIES, sortBySeverity } from '../severity-order.js';
import type { ReportDrift } from '../types.js';
import { driftSection } from './drift-section.js';
import { severityName } from './severity-name.js';

/** A drift section larger than this shows its patch as a line instead of the diff. */
const MAX_SECTION_WITH_DIFF = 12_000;
/** Room kept for the "and N more" line. */
const MORE_LINE_RESERVE = 200;

export function driftsSection(drifts: readonly ReportDrift[], template: string, options: { budget: number; maxDrifts: number }): string {
  const ordered = sortBySeverity(drifts);
  const totals = countBySeverity(ordered);
  const blocks: string[] = [];
  let used = 0;
  let shown = 0;
  let currentSeverity: string | null = null;
  for (const drift of ordered) {
    if (shown >= options.maxDrifts) break;
    const heading = drift.severity === currentSeverity ? null : `### ${severityName(drift.severity)} (${totals[drift.severity]})`;
    let section = driftSection(drift, template, { showDiff: true });
    if (section.length > MAX_SECTION_WITH_DIFF) section = driftSection(drift, template, { showDiff: false });
    const cost = () => section.length + 2 + (heading === null ? 0 : heading.length + 2);
    if (used + cost() > options.budget - MORE_LINE_RESERVE) {
      section = driftSection(drift, template, { showDiff: false });
      if (used + cost() > options.budget - MORE_LINE_RESERVE) break;
    }
    if (heading !== null) blocks.push(heading);
    blocks.push(section);
    used += cost();
    currentSeverity = drift.severity;
    shown += 1;
  }
  const omitted = ordered.slice(shown);
  if (omitted.length > 0) blocks.push(moreLine(omitted));
  return blocks.join('\n\n');
}

function countBySeverity(drifts: readonly ReportDrift[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const drift of drifts) counts[drift.severity] += 1;
  return counts;
}

function moreLine(omitted: readonly ReportDrift[]): string {
  const totals = countBySeverity(omitted);
  const counts = SEVERITIES.map((severity) => [severity, totals[severity]] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  const noun = omitted.length === 1 ? 'drift' : 'drifts';
  return `_…and ${omitted.length} more ${noun} not shown here (${counts.join(', ')})._`;
}
