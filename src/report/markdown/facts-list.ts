// Who changed it, what it costs, which controls it touches.
import { escapeMarkdown } from '../escape-markdown.js';
import { formatAttribution, formatControls, formatCost, showsCost } from '../format-facts.js';
import type { ReportDrift } from '../types.js';

export function factsList(drift: ReportDrift): string {
  const items: string[] = [];
  if (drift.attribution !== null) items.push(`**Changed by** ${escapeMarkdown(formatAttribution(drift.attribution))}`);
  // Our own wording and digits, and a single `$` cannot open inline math: no escaping needed.
  if (showsCost(drift.costDeltaMonthly)) items.push(`**Cost** ${formatCost(drift.costDeltaMonthly)}`);
  const controls = formatControls(drift.controls);
  if (controls !== '') items.push(`**Controls** ${escapeMarkdown(controls)}`);
  return items.map((item) => `- ${item}`).join('\n');
}
