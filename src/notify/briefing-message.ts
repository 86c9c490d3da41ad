// The weekly briefing of one workspace, in this shape (blocks, and the same lines as the
// plain-text fallback):
//   Drift briefing — prod
//   3 drifted · ▲ 2 since last week
//   🔴 1 critical 🟠 1 high 🟡 1 medium ⚪ 0 low
//   ─────────────
//   CRITICAL web-sg (aws_security_group / prod)
//   Opened to the entire internet (0.0.0.0/0)
//   changed by tanaka via AuthorizeSecurityGroupIngress
// then what was resolved during the week and the dashboard. A week with nothing drifted and
// nothing resolved sends nothing.
import type { FindingRecord, ScanRecord } from '../store/types.js';
import { driftItem } from './drift-item.js';
import { escapeSlack, slackLink } from './escape-slack.js';
import { countBySeverity, formatTime, MAX_VALUE, resourceName, severityCounts, sortFindings } from './finding-text.js';
import { clip, context, divider, fallbackText, header, section } from './slack-blocks.js';
import type { SlackBlock, SlackMessage } from './types.js';

/** Drifts listed in full; the dashboard has the rest. */
export const BRIEFING_TOP = 15;
/** Resolved resources named on the "resolved this week" line. */
const RESOLVED_NAMED = 5;

/**
 * Open drifts now against a week ago. `first-week`: the store holds no scan of the workspace
 * from before the week, so there is nothing to compare with.
 */
export type BriefingTrend = { kind: 'first-week' } | { kind: 'change'; delta: number };

export interface BriefingData {
  repo: string;
  workspace: string;
  /** Drifts open now. */
  open: FindingRecord[];
  /** Drifts resolved during the week and still resolved. */
  resolved: FindingRecord[];
  trend: BriefingTrend;
  /** The workspace's latest scan, if any. */
  lastScan: ScanRecord | null;
  timezone: string;
  issueUrl(finding: FindingRecord): string | null;
  dashboardUrl: string | null;
}

export function briefingMessage(data: BriefingData): SlackMessage | null {
  if (data.open.length === 0 && data.resolved.length === 0) return null;

  const title = `Drift briefing — ${data.workspace}`;
  const headline = `${data.open.length} drifted · ${trendText(data.trend)}`;
  const counts = severityCounts(countBySeverity(data.open));
  const listed = sortFindings(data.open).slice(0, BRIEFING_TOP);
  const items = listed.map((finding) => driftItem(finding, data.issueUrl(finding)));
  const more = data.open.length - listed.length;
  const resolved = resolvedLine(data.resolved);
  const footer = [slackLink(data.dashboardUrl, 'Drift Dashboard'), escapeSlack(data.repo)];
  if (data.lastScan !== null) footer.push(lastScanText(data.lastScan, data.timezone));

  const blocks: SlackBlock[] = [header(title), section(`*${data.open.length} drifted* · ${trendText(data.trend)}\n${counts}`), divider()];
  blocks.push(...items.map((item) => section(item.mrkdwn)));
  if (more > 0) blocks.push(context([`…and ${more} more on the dashboard`]));
  if (resolved !== null) blocks.push(section(resolved.mrkdwn));
  blocks.push(context(footer));

  const text = fallbackText({
    head: [title, headline, counts, '─────────────'],
    items: items.map((item) => item.text),
    omitted: more,
    more: (count) => `…and ${count} more on the dashboard`,
    tail: [...(resolved === null ? [] : ['', resolved.text]), '', footer.join(' · ')],
  });
  return { text, blocks };
}

function trendText(trend: BriefingTrend): string {
  if (trend.kind === 'first-week') return 'first week scanned';
  if (trend.delta > 0) return `▲ ${trend.delta} since last week`;
  if (trend.delta < 0) return `▼ ${-trend.delta} since last week`;
  return '= unchanged since last week';
}

function resolvedLine(resolved: FindingRecord[]): { mrkdwn: string; text: string } | null {
  if (resolved.length === 0) return null;
  const names = sortFindings(resolved).slice(0, RESOLVED_NAMED).map((finding) => escapeSlack(clip(resourceName(finding), MAX_VALUE)));
  const rest = resolved.length - names.length;
  const list = `${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
  return { mrkdwn: `✅ *${resolved.length} resolved this week:* ${list}`, text: `✅ ${resolved.length} resolved this week: ${list}` };
}

function lastScanText(scan: ScanRecord, timezone: string): string {
  const at = `last scanned ${formatTime(scan.finishedAt, timezone)}`;
  return scan.status === 'complete' ? at : `${at}, ${scan.status}`;
}
