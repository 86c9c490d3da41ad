// The message when a drift is gone: "✅ no longer drifted", with the resource, the workspace and
// the issue it closed.
import type { FindingRecord } from '../store/types.js';
import { escapeSlack, issueLink, slackCode } from './escape-slack.js';
import { formatTime, MAX_VALUE, resourceName } from './finding-text.js';
import { clip, context, fitMrkdwn, MAX_FALLBACK_TEXT, section } from './slack-blocks.js';
import type { SlackMessage } from './types.js';

export interface ResolvedMessageInput {
  finding: FindingRecord;
  issueUrl: string | null;
  timezone: string;
}

export function resolvedMessage(input: ResolvedMessageInput): SlackMessage {
  const { finding, timezone } = input;
  const resource = slackCode(clip(finding.address ?? finding.cloudId, MAX_VALUE));
  const where = `${escapeSlack(`(${finding.type})`)} in *${escapeSlack(finding.workspace)}* · ${escapeSlack(finding.repo)}`;
  const was = `Was ${finding.severity}: ${escapeSlack(clip(finding.title, MAX_VALUE))}`;
  const times = [`drifted since ${formatTime(finding.firstSeenAt, timezone)}`];
  if (finding.resolvedAt !== null) times.push(`resolved ${formatTime(finding.resolvedAt, timezone)}`);

  const text = `✅ no longer drifted: ${escapeSlack(clip(resourceName(finding), MAX_VALUE))} ${escapeSlack(`(${finding.type} / ${finding.workspace})`)} in ${escapeSlack(finding.repo)}`;
  return {
    text: fitMrkdwn(text, MAX_FALLBACK_TEXT),
    blocks: [
      section(`✅ *No longer drifted:* ${resource} ${where}\n${was}`),
      context([...issueLink(input.issueUrl, finding.issueNumber), ...times]),
    ],
  };
}
