// Counts by severity and the scan's figures.
import { formatPercent } from '../format-facts.js';
import { codeSpan, escapeMarkdown } from '../escape-markdown.js';
import { SEVERITIES } from '../severity-order.js';
import type { ScanResult } from '../types.js';
import { severityName } from './severity-name.js';

export function summarySection(result: ScanResult): string {
  const { coverage } = result;
  const figures = [
    `Workspace ${codeSpan(result.workspace)}`,
    `posture score **${result.postureScore}**/100`,
    `coverage ${formatPercent(coverage.percent)} (${coverage.managed} managed, ${coverage.unmanaged} unmanaged)`,
    `scanned ${escapeMarkdown(result.scannedAt)}`,
  ].join(' · ');
  if (result.drifts.length === 0) return figures;
  const rows = SEVERITIES.map((severity) => `| ${severityName(severity)} | ${result.summary[severity] ?? 0} |`);
  return ['| Severity | Drifts |', '| --- | ---: |', ...rows, '', figures].join('\n');
}
