// Settings from the environment: the one place the process environment is read. The app, the
// CLI and the jobs take the result as an argument.
import { awsSettingsFromEnv, type AwsSettings } from '../aws/settings.js';
import { DriftwatchError } from '../errors.js';
import { SLACK_WEBHOOK_PREFIX, slackChannelKey } from './slack-channel.js';

export interface Settings {
  aws: AwsSettings;
  /** AWS_REGION (or AWS_DEFAULT_REGION): where calls go before a configuration names a region. */
  defaultRegion: string;
  /** NO_COLOR disables colour in terminal output. */
  noColor: boolean;
  /** DRIFTWATCH_EXTERNAL_ID: sent when assuming a workspace's role. It belongs to the operator,
   * never to a repository: the role's trust policy requires it (sts:ExternalId). */
  externalId: string | null;
  /** DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>: the Slack channels a repository config may name. */
  slack: SlackWebhooks;
}

/** Incoming webhook URLs by channel. The URLs are secrets (anyone holding one posts to the
 * channel): they are reachable only through url(), so logging the settings shows channels alone. */
export interface SlackWebhooks {
  /** Channel keys, as in the variable names ("PLATFORM_ALERTS"), sorted. */
  readonly channels: readonly string[];
  /** The webhook for a channel as a config names it ("platform-alerts"), or null. Never log it. */
  url(channel: string): string | null;
}

export function settingsFromEnv(env: Record<string, string | undefined>): Settings {
  return {
    aws: awsSettingsFromEnv(env),
    defaultRegion: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '',
    externalId: env.DRIFTWATCH_EXTERNAL_ID?.trim() || null,
    slack: slackWebhooksFromEnv(env),
  };
}

/** Every DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL> that is set, each an https URL. A bad value stops the
 * server with the variable's name, never its value. */
export function slackWebhooksFromEnv(env: Record<string, string | undefined>): SlackWebhooks {
  const urls = new Map<string, string>();
  const variables = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.toUpperCase().startsWith(SLACK_WEBHOOK_PREFIX)) continue;
    const value = raw?.trim();
    if (!value) continue;
    const key = slackChannelKey(name.slice(SLACK_WEBHOOK_PREFIX.length));
    if (!/^[A-Z0-9]/.test(key)) {
      throw new DriftwatchError('config', `${name} names no channel: write DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>, such as DRIFTWATCH_SLACK_WEBHOOK_PLATFORM_ALERTS for channel "platform-alerts"`);
    }
    const other = variables.get(key);
    if (other) throw new DriftwatchError('config', `${other} and ${name} name the same channel: keep one of them`);
    if (!isHttpsUrl(value)) {
      throw new DriftwatchError('config', `${name} is not an https URL: set it to the channel's incoming webhook URL (https://hooks.slack.com/services/…)`);
    }
    variables.set(key, name);
    urls.set(key, value);
  }
  const channels = [...urls.keys()].sort();
  return { channels, url: (channel) => urls.get(slackChannelKey(channel)) ?? null };
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}
