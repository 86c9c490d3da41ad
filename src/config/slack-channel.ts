// A Slack channel in the repository config is a name the server maps to an incoming webhook URL
// in its own environment: DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>. The URL is a secret that posts to
// the channel, so it never lives in a repository; a URL written as the channel is refused.
import { z } from 'zod';

export const SLACK_WEBHOOK_PREFIX = 'DRIFTWATCH_SLACK_WEBHOOK_';

/** "platform-alerts" or "#platform-alerts" → "PLATFORM_ALERTS": upper case, every other character
 * than A–Z and 0–9 as "_" (a leading "#" dropped, as people write channels with one). */
export function slackChannelKey(channel: string): string {
  return channel.trim().replace(/^#/, '').toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The server variable that holds the webhook for a channel. */
export function slackWebhookVariable(channel: string): string {
  return `${SLACK_WEBHOOK_PREFIX}${slackChannelKey(channel)}`;
}

export function slackChannelSchema(): z.ZodString {
  return z.string().superRefine((channel, ctx) => {
    const message = channelProblem(channel);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}

function channelProblem(channel: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(channel) || /hooks\.slack\.com|\/services\//i.test(channel)) {
    return 'a webhook URL does not belong in the repository: put it in the server environment as DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL> and write the channel name here, such as "platform-alerts"';
  }
  if (!/^#?[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/.test(channel)) {
    return 'expected a channel name such as "platform-alerts": letters, digits, "-", "_" or ".", at most 80 characters';
  }
  return null;
}
