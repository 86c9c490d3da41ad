// Who changed it and how, as CloudTrail tells it: actor, event, time, source IP, console or not.
import type { Attribution } from '../../drift/types.js';
import { codeSpan, escapeMarkdown } from '../../report/escape-markdown.js';
import { formatTime } from '../format-time.js';

const ACTOR_TYPES: Record<Attribution['actorType'], string> = {
  'iam-user': 'IAM user',
  'assumed-role': 'assumed role',
  'sso-user': 'SSO user',
  root: 'root user',
  'aws-service': 'AWS service',
  unknown: 'unknown kind of principal',
};

export const NO_ATTRIBUTION = '_CloudTrail names no one: no matching event was found in the lookback window, or attribution is off for this workspace._';

export function attributionList(attribution: Attribution | null): string {
  if (attribution === null) return NO_ATTRIBUTION;
  const items = [`**Actor** ${codeSpan(attribution.actor)} (${ACTOR_TYPES[attribution.actorType]})`];
  if (attribution.role !== null && !attribution.actor.includes(attribution.role)) items.push(`**Role** ${codeSpan(attribution.role)}`);
  if (attribution.sessionName !== null && attribution.sessionName !== attribution.actor) items.push(`**Session** ${codeSpan(attribution.sessionName)}`);
  items.push(`**Event** ${codeSpan(attribution.eventName)} at ${escapeMarkdown(formatTime(attribution.eventTime))}`);
  items.push(`**Source IP** ${attribution.sourceIp === null ? '_not recorded_' : codeSpan(attribution.sourceIp)}`);
  items.push(`**Through** ${attribution.console ? 'the AWS console' : 'the API (CLI, SDK or a tool)'}`);
  items.push(`**CloudTrail event ID** ${codeSpan(attribution.eventId)}`);
  return items.map((item) => `- ${item}`).join('\n');
}
