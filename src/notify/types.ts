// Slack notifications: the Block Kit subset the messages use, and what a send did. The
// repository's `notify.slack` is SlackConfig (src/config/repo-config.ts); the server's webhooks are
// SlackWebhooks (src/config/settings.ts). Messages are data (built by pure functions, snapshot-tested);
// one adapter (send-slack-message.ts) posts them through @slack/webhook.
export interface PlainTextObject {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

/** `verbatim: true` on every one: Slack then links no bare URL, channel name or mention in it
 * (the escaping already prevents them; this is the second lock). */
export interface MrkdwnObject {
  type: 'mrkdwn';
  text: string;
  verbatim: true;
}

export type SlackBlock =
  | { type: 'header'; text: PlainTextObject }
  | { type: 'section'; text: MrkdwnObject; fields?: MrkdwnObject[] }
  | { type: 'context'; elements: MrkdwnObject[] }
  | { type: 'divider' };

/** One message: Block Kit, and the plain-text fallback Slack shows in notifications and where
 * blocks cannot be drawn (escaped the same way as the blocks). */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export type NotificationKind = 'alert' | 'resolved' | 'summary' | 'briefing';

/** What one send did. `duplicate`: the key was claimed before (another replica, a retried
 * job), so nothing was sent. `failed` carries the reason, never the webhook URL. */
export type SlackSendOutcome =
  | { status: 'sent'; key: string; attempts: number }
  | { status: 'failed'; key: string; attempts: number; error: string }
  | { status: 'duplicate'; key: string };
