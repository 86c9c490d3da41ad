// The dashboard's trend: drifts per severity across the repository after each of the last scans,
// as a Mermaid xychart that GitHub draws. Each point sums the latest counts of every workspace at
// that moment, so a scan of one workspace does not make the others' drifts vanish.
import type { Severity } from '../drift/types.js';
import { SEVERITIES } from '../report/severity-order.js';
import type { ScanRecord } from '../store/types.js';

export const DEFAULT_TREND_LENGTH = 20;

// The colours of the severity markers (🔴 🟠 🟡 🔵), in SEVERITIES order: xychart has no legend.
const PALETTE = '#d1242f, #fb8500, #e3b341, #0969da';

interface TrendPoint {
  at: string;
  counts: Record<Severity, number>;
}

/** The chart in a ```mermaid block with its legend, or a line saying the trend needs two scans. */
export function trendChart(history: readonly ScanRecord[], length = DEFAULT_TREND_LENGTH): string {
  const points = trendPoints(history).slice(-Math.max(2, length));
  if (points.length < 2) return '_The trend shows once two scans have finished._';
  const top = Math.max(1, ...points.flatMap((point) => SEVERITIES.map((severity) => point.counts[severity])));
  const lines = SEVERITIES.map((severity) => `  line [${points.map((point) => point.counts[severity]).join(', ')}]`);
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${PALETTE}"}}}}%%`,
    'xychart-beta',
    `  title "Drifts per severity, last ${points.length} scans"`,
    `  x-axis [${points.map((point) => `"${label(point.at)}"`).join(', ')}]`,
    `  y-axis "Drifts" 0 --> ${top}`,
    ...lines,
    '```',
    '',
    'Lines: 🔴 critical · 🟠 high · 🟡 medium · 🔵 low. Times in UTC.',
  ].join('\n');
}

/** One point per scan that read something (failed and disabled scans count nothing), oldest
 * first, each the sum of every workspace's latest counts. */
function trendPoints(history: readonly ScanRecord[]): TrendPoint[] {
  const read = history.filter((scan) => (scan.status === 'complete' || scan.status === 'partial') && !Number.isNaN(Date.parse(scan.finishedAt)));
  read.sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt) || a.id - b.id);
  const latest = new Map<string, Record<Severity, number>>();
  const points: TrendPoint[] = [];
  for (const scan of read) {
    latest.set(`${scan.repo}\n${scan.workspace}`, scan.counts);
    const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const workspaceCounts of latest.values()) for (const severity of SEVERITIES) counts[severity] += workspaceCounts[severity] ?? 0;
    points.push({ at: scan.finishedAt, counts });
  }
  return points;
}

/** `05-02 09:30`: our own digits, safe inside the chart's quotes. */
function label(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(5, 16).replace('T', ' ');
}
