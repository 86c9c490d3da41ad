// The weekly briefing as a job: data only (repository and workspace), so the scheduler stores it
// by name and finds it again after a restart, in-process or on a BullMQ worker. It reads the
// repository's config when it runs (the config may have changed since it was scheduled), reads the
// store, and sends at most one briefing a day per workspace and channel. A quiet week sends
// nothing; a failing webhook is recorded and logged, never thrown.
import type { SlackConfig } from '../config/repo-config.js';
import type { SlackWebhooks } from '../config/settings.js';
import { slackChannelKey, slackWebhookVariable } from '../config/slack-channel.js';
import type { JobDefinition } from '../jobs/types.js';
import type { FindingRecord, Store } from '../store/types.js';
import { briefingMessage } from './briefing-message.js';
import { collectBriefing } from './collect-briefing.js';
import { sendSlackMessage, type SlackSendDeps } from './send-slack-message.js';
import type { SlackSendOutcome } from './types.js';

export const SLACK_BRIEFING_JOB = 'slack-briefing';

/** JSON only. `repo` is `owner/name`, as the store keys it. */
export interface BriefingJobData {
  installationId?: number;
  repo: string;
  workspace: string;
}

/** What the job needs from the repository's config and the GitHub App, read when it runs. */
export interface BriefingTarget {
  slack: SlackConfig;
  /** The workspace's `timezone` (IANA). */
  timezone: string;
  /** The Drift Dashboard issue's URL, when it exists. */
  dashboardUrl: string | null;
  /** `https://github.com/acme/infra` (or the GitHub Enterprise Server equivalent): a drift's
   * issue is `<repoUrl>/issues/<issueNumber>`. */
  repoUrl: string | null;
}

export interface SlackBriefingJobDeps extends Omit<SlackSendDeps, 'log' | 'store'> {
  store: Pick<Store, 'findings' | 'scansBetween' | 'recentScans' | 'claimNotification' | 'finishNotification'>;
  /** The server's webhooks (DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>). */
  webhooks: Pick<SlackWebhooks, 'url'>;
  /** The repository's config now; null when the repository or the workspace is gone. */
  loadTarget(data: BriefingJobData): Promise<BriefingTarget | null>;
}

export type BriefingOutcome =
  | { status: 'skipped'; reason: 'gone' | 'disabled' | 'unknown-channel' | 'quiet-week' }
  | SlackSendOutcome;

export function slackBriefingJob(deps: SlackBriefingJobDeps): JobDefinition<BriefingJobData> {
  return {
    name: SLACK_BRIEFING_JOB,
    async run(data, context) {
      await sendBriefing(data, { ...deps, log: context.log });
    },
  };
}

/** Builds and sends one workspace's briefing. Store errors are thrown (the scheduler logs the
 * run as failed); Slack's are recorded in the outcome. */
export async function sendBriefing(data: BriefingJobData, deps: SlackBriefingJobDeps & Pick<SlackSendDeps, 'log'>): Promise<BriefingOutcome> {
  const meta = { repo: data.repo, workspace: data.workspace };
  const target = await deps.loadTarget(data);
  if (target === null) {
    deps.log.info(meta, 'briefing skipped: the repository or workspace is gone');
    return { status: 'skipped', reason: 'gone' };
  }
  if (!target.slack.briefing.enabled) {
    deps.log.info(meta, 'briefing skipped: switched off in the config');
    return { status: 'skipped', reason: 'disabled' };
  }
  const { channel } = target.slack;
  const webhookUrl = deps.webhooks.url(channel);
  if (webhookUrl === null) {
    deps.log.warn({ ...meta, channel, env: slackWebhookVariable(channel) }, 'Slack channel has no webhook on this server: briefing not sent (set the environment variable named in env)');
    return { status: 'skipped', reason: 'unknown-channel' };
  }

  const now = (deps.now ?? (() => new Date()))();
  const issueUrl = (finding: FindingRecord) => (target.repoUrl === null || finding.issueNumber === null ? null : `${target.repoUrl}/issues/${finding.issueNumber}`);
  const briefing = await collectBriefing(deps.store, { repo: data.repo, workspace: data.workspace, now, timezone: target.timezone, issueUrl, dashboardUrl: target.dashboardUrl });
  const message = briefingMessage(briefing);
  if (message === null) {
    deps.log.info({ ...meta, channel }, 'briefing not sent: nothing drifted and nothing was resolved this week');
    return { status: 'skipped', reason: 'quiet-week' };
  }
  // One a day per workspace and channel: a retried job, a catch-up run or a second replica
  // finds the key claimed.
  const key = `slack:${slackChannelKey(channel)}:${data.repo}:${data.workspace}:briefing:${localDate(now, target.timezone)}`;
  return sendSlackMessage({ channel, webhookUrl, message, notification: { key, kind: 'briefing', repo: data.repo, workspace: data.workspace } }, deps);
}

/** `2024-05-13`: the date at `at` in the workspace's zone. */
function localDate(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}
