// A severity as a Markdown reader sees it: a coloured marker and a capitalised word.
import type { Severity } from '../../drift/types.js';

const MARKERS: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵' };

export function severityName(severity: Severity): string {
  return `${MARKERS[severity]} ${severity[0]?.toUpperCase() ?? ''}${severity.slice(1)}`;
}
