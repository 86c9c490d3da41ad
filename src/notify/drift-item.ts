// One drift as three lines, the way the weekly briefing and the first-scan summary list them:
//   CRITICAL web-sg (aws_security_group / prod)
//   Opened to the entire internet (0.0.0.0/0)
//   changed by tanaka via AuthorizeSecurityGroupIngress
// as mrkdwn for a section block (severity in bold, the name linked to its issue) and as the same
// lines for the plain-text fallback. Both escaped.
import type { FindingRecord } from '../store/types.js';
import { escapeSlack, slackLink } from './escape-slack.js';
import { actorLine, MAX_VALUE, resourceName } from './finding-text.js';
import { clip } from './slack-blocks.js';

export interface DriftItem {
  mrkdwn: string;
  text: string;
}

export function driftItem(finding: FindingRecord, issueUrl: string | null): DriftItem {
  const severity = finding.severity.toUpperCase();
  const name = clip(resourceName(finding), MAX_VALUE);
  const where = escapeSlack(`(${finding.type} / ${finding.workspace})`);
  const title = escapeSlack(clip(finding.title, MAX_VALUE));
  const actor = escapeSlack(clip(actorLine(finding), MAX_VALUE));
  return {
    mrkdwn: `*${severity}* ${slackLink(issueUrl, name)} ${where}\n${title}\n${actor}`,
    text: `${severity} ${escapeSlack(name)} ${where}\n${title}\n${actor}`,
  };
}
