// After a workspace scan is recorded: tell its Slack channel what changed (alerts, resolutions,
// or the first scan's one summary), one message at a time. Never throws: a missing channel, a
// failing webhook or a bug here is logged and reported in the outcome, and the scan goes on.
import { planScanNotifications } from './plan-scan-notifications.js';
import { sendSlackMessage, type SlackSendDeps } from './send-slack-message.js';
import type { SlackSendOutcome } from './types.js';
import type { SlackConfig } from '../config/repo-config.js';
import type { SlackWebhooks } from '../config/settings.js';
import { slackWebhookVariable } from '../config/slack-channel.js';
import type { RecordScanResult } from '../store/types.js';

export interface NotifyScanInput {
  /** What recordScan returned for one workspace scan. */
  result: RecordScanResult;
  /** `notify.slack` of the repository config; absent: Slack is not configured. */
  slack: SlackConfig | null | undefined;
  /** The server's webhooks (DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>). */
  webhooks: Pick<SlackWebhooks, 'url'>;
  /** Issue URLs by resource key (those the GitHub writer knows), the dashboard issue's URL. */
  links: { issues: ReadonlyMap<string, string>; dashboard: string | null };
  /** The workspace's `timezone` (default UTC), for the times messages show. */
  timezone?: string;
  /** Secret values from the state (WorkspaceReport.secrets): never sent. */
  secrets?: readonly string[];
}

export interface NotifyScanOutcome {
  /** Why nothing was attempted, or null when the plan ran (possibly with nothing due). */
  skipped: 'not-configured' | 'unknown-channel' | 'error' | null;
  sends: SlackSendOutcome[];
}

export async function notifyScan(input: NotifyScanInput, deps: SlackSendDeps): Promise<NotifyScanOutcome> {
  const { result, slack } = input;
  if (slack == null) return { skipped: 'not-configured', sends: [] };
  const meta = { channel: slack.channel, repo: result.scan.repo, workspace: result.scan.workspace, scanId: result.scan.id };
  const sends: SlackSendOutcome[] = [];
  try {
    const planned = planScanNotifications({ result, slack, links: input.links, timezone: input.timezone ?? 'UTC', secrets: input.secrets ?? [] });
    // Checked only when something is due: an unchanged rescan logs nothing about the channel.
    if (planned.length === 0) return { skipped: null, sends };
    const webhookUrl = input.webhooks.url(slack.channel);
    if (webhookUrl === null) {
      deps.log.warn({ ...meta, env: slackWebhookVariable(slack.channel), messages: planned.length }, 'Slack channel has no webhook on this server: nothing sent (set the environment variable named in env)');
      return { skipped: 'unknown-channel', sends };
    }
    for (const notification of planned) {
      const request = { channel: slack.channel, webhookUrl, message: notification.message, notification: { key: notification.key, kind: notification.kind, repo: result.scan.repo, workspace: result.scan.workspace } };
      sends.push(await sendSlackMessage(request, deps));
    }
  } catch (error) {
    deps.log.error({ ...meta, error: error instanceof Error ? error.message : String(error) }, 'Slack notifications for the scan stopped by an unexpected error');
    return { skipped: 'error', sends };
  }
  return { skipped: null, sends };
}
