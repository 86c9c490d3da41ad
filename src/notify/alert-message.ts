// The alert for one new, changed or recurred drift: what it is, how bad, where, who did it and
// through which call (CloudTrail), what it costs, and its issue.
import type { DriftKind } from '../drift/types.js';
import { formatAttribution, formatCost, showsCost } from '../report/format-facts.js';
import type { Transition } from '../store/types.js';
import { escapeSlack, issueLink, slackCode } from './escape-slack.js';
import { formatTime, MAX_VALUE, resourceName, SEVERITY_EMOJI } from './finding-text.js';
import { clip, context, fitMrkdwn, header, MAX_FALLBACK_TEXT, section } from './slack-blocks.js';
import type { SlackMessage } from './types.js';

export type AlertTransition = Extract<Transition, { kind: 'opened' | 'changed' | 'recurred' }>;

export interface AlertMessageInput {
  transition: AlertTransition;
  issueUrl: string | null;
  /** The workspace's IANA time zone, for the times shown. */
  timezone: string;
}

const HEADLINE: Record<AlertTransition['kind'], string> = { opened: 'New drift', changed: 'Drift changed', recurred: 'Drifted again' };
const WHO: Record<DriftKind, string> = { modified: 'Changed by', deleted: 'Deleted by', unmanaged: 'Created by' };

export function alertMessage(input: AlertMessageInput): SlackMessage {
  const { transition, timezone } = input;
  const finding = transition.finding;
  const headline = `${SEVERITY_EMOJI[finding.severity]} ${HEADLINE[transition.kind]} — ${finding.workspace}`;
  const title = escapeSlack(clip(finding.title, MAX_VALUE));
  const resource = finding.address === null
    ? `${slackCode(clip(finding.cloudId, MAX_VALUE))} (unmanaged ${escapeSlack(finding.type)})`
    : slackCode(clip(finding.address, MAX_VALUE));
  const who = finding.attribution === null ? 'an unknown actor (no CloudTrail event found)' : formatAttribution(finding.attribution);

  const fields = [
    `*Severity*\n${SEVERITY_EMOJI[finding.severity]} ${finding.severity}`,
    `*Resource*\n${resource}\n${escapeSlack(finding.address === null ? finding.region : `${clip(finding.cloudId, MAX_VALUE)} · ${finding.region}`)}`,
    `*Workspace*\n${escapeSlack(`${finding.workspace} · ${finding.repo}`)}`,
    `*${WHO[finding.kind]}*\n${escapeSlack(clip(who, MAX_VALUE))}`,
  ];
  if (showsCost(finding.costDeltaMonthly)) fields.push(`*Monthly cost*\n${escapeSlack(formatCost(finding.costDeltaMonthly))}`);

  const blocks = [header(headline), section(title, fields)];
  const history = historyLine(transition, timezone);
  if (history !== null) blocks.push(section(history));
  blocks.push(context([...issueLink(input.issueUrl, finding.issueNumber), `first seen ${formatTime(finding.firstSeenAt, timezone)}`]));

  const text = `${headline} (${escapeSlack(finding.repo)}): ${finding.severity.toUpperCase()} ${escapeSlack(clip(resourceName(finding), MAX_VALUE))} (${escapeSlack(finding.type)}) — ${title}; ${escapeSlack(clip(`${WHO[finding.kind].toLowerCase()} ${who}`, MAX_VALUE))}`;
  return { text: fitMrkdwn(text, MAX_FALLBACK_TEXT), blocks };
}

/** What came before: the previous state of a changed drift, the last resolution of a recurred one. */
function historyLine(transition: AlertTransition, timezone: string): string | null {
  if (transition.kind === 'recurred') {
    const resolvedAt = transition.finding.lastResolvedAt ?? transition.previous.resolvedAt;
    return resolvedAt === null ? 'Drifted again after it was resolved.' : `Drifted again: it was last resolved ${formatTime(resolvedAt, timezone)}.`;
  }
  if (transition.kind === 'changed') {
    const previous = transition.previous;
    return `Before this change: ${SEVERITY_EMOJI[previous.severity]} ${previous.severity} — ${escapeSlack(clip(previous.title, MAX_VALUE))}`;
  }
  return null;
}
