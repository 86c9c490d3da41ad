// Where the server keeps a channel's webhook URL: the repository config names the channel, the
// server's environment holds the URL, so no repository can point driftwatch at a URL.

/** `DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>`: the channel name upper-cased, other characters as `_`. */
export function slackWebhookEnvName(channel: string): string {
  return `DRIFTWATCH_SLACK_WEBHOOK_${channel.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
