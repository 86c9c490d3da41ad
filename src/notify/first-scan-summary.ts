// The first scan of a workspace finds everything that drifted before driftwatch was installed:
// issues and the dashboard get all of it, Slack gets this one summary instead of an alert per
// drift (counts by severity, the most severe few, the dashboard).
import type { Severity } from '../drift/types.js';
import type { FindingRecord } from '../store/types.js';
import { driftItem } from './drift-item.js';
import { escapeSlack, slackLink } from './escape-slack.js';
import { atLeast, countBySeverity, severityCounts, sortFindings } from './finding-text.js';
import { context, divider, fallbackText, header, section } from './slack-blocks.js';
import type { SlackBlock, SlackMessage } from './types.js';

/** How many drifts the summary lists; the dashboard has the rest. */
export const SUMMARY_TOP = 5;

export interface FirstScanSummaryInput {
  repo: string;
  workspace: string;
  /** Every drift the first scan found (they are all new). */
  findings: FindingRecord[];
  /** The config's `min_severity`: only drifts at or above it are listed (all are counted). */
  minSeverity: Severity;
  issueUrl(finding: FindingRecord): string | null;
  dashboardUrl: string | null;
}

export function firstScanSummary(input: FirstScanSummaryInput): SlackMessage {
  const { findings } = input;
  const title = `First drift scan — ${input.workspace}`;
  const counts = severityCounts(countBySeverity(findings));
  const listed = sortFindings(findings.filter((finding) => atLeast(finding.severity, input.minSeverity))).slice(0, SUMMARY_TOP);
  const items = listed.map((finding) => driftItem(finding, input.issueUrl(finding)));
  const more = findings.length - listed.length;
  const dashboard = slackLink(input.dashboardUrl, 'Drift Dashboard');
  const footer = [
    ...(more > 0 ? [`…and ${more} more`] : []),
    dashboard,
    `From the next scan on, each new or changed drift at or above ${input.minSeverity} gets its own alert.`,
  ];

  const blocks: SlackBlock[] = [
    header(title),
    section(`driftwatch read *${escapeSlack(input.workspace)}* (${escapeSlack(input.repo)}) for the first time: *${findings.length} drifted*\n${counts}`),
    divider(),
    ...items.map((item) => section(item.mrkdwn)),
    context(footer),
  ];
  const text = fallbackText({
    head: [`${title} (${escapeSlack(input.repo)}): ${findings.length} drifted`, counts, '─────────────'],
    items: items.map((item) => item.text),
    omitted: more,
    more: (count) => `…and ${count} more`,
    tail: ['', footer.slice(more > 0 ? 1 : 0).join(' · ')],
  });
  return { text, blocks };
}
