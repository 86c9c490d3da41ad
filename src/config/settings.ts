// Settings from the environment: the one place the process environment is read. The app, the
// CLI and the jobs take the result as an argument.
import { awsSettingsFromEnv, type AwsSettings } from '../aws/settings.js';
import { DriftwatchError } from '../errors.js';
import { integerFromEnv } from './integer-from-env.js';
import { queueSettingsFromEnv, type QueueSettings } from './queue-settings.js';
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
  store: StoreSettings;
  queue: QueueSettings;
  /** DRIFTWATCH_SCAN_THREADS (default 1): threads the app's process (web or worker) runs its
   * scans on, off the thread that answers webhooks and renews job locks; 0 runs them on that
   * thread. */
  scanThreads: number;
}

/** Incoming webhook URLs by channel. The URLs are secrets (anyone holding one posts to the
 * channel): they are reachable only through url(), so logging the settings shows channels alone. */
export interface SlackWebhooks {
  /** Channel keys, as in the variable names ("PLATFORM_ALERTS"), sorted. */
  readonly channels: readonly string[];
  /** The webhook for a channel as a config names it ("platform-alerts"), or null. Never log it. */
  url(channel: string): string | null;
}

export interface StoreSettings {
  /** DATABASE_URL: PostgreSQL when set, else the embedded SQLite file. Holds a password: never
   * log it or put it in a message. */
  databaseUrl: string | null;
  /** DRIFTWATCH_DATA_DIR (default ./data): where the SQLite file lives, as given (relative to
   * the working directory). */
  dataDir: string;
  /** DRIFTWATCH_RETENTION_DAYS (default 90): scans and notification records older than this are
   * pruned; findings stay. */
  retentionDays: number;
}

export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_RETENTION_DAYS = 90;

const RETENTION = { name: 'DRIFTWATCH_RETENTION_DAYS', min: 1, max: 3650 } as const;
const SCAN_THREADS = { name: 'DRIFTWATCH_SCAN_THREADS', min: 0, max: 64 } as const;
export const DEFAULT_SCAN_THREADS = 1;

export function settingsFromEnv(env: Record<string, string | undefined>): Settings {
  return {
    aws: awsSettingsFromEnv(env),
    defaultRegion: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '',
    externalId: env.DRIFTWATCH_EXTERNAL_ID?.trim() || null,
    slack: slackWebhooksFromEnv(env),
    store: storeSettingsFromEnv(env),
    queue: queueSettingsFromEnv(env),
    scanThreads: integerFromEnv(env, SCAN_THREADS, DEFAULT_SCAN_THREADS),
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

export function storeSettingsFromEnv(env: Record<string, string | undefined>): StoreSettings {
  return {
    databaseUrl: databaseUrlFromEnv(env.DATABASE_URL),
    dataDir: dataDirFromEnv(env.DRIFTWATCH_DATA_DIR),
    retentionDays: integerFromEnv(env, RETENTION, DEFAULT_RETENTION_DAYS),
  };
}

function databaseUrlFromEnv(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  // The value itself never goes into the message: it carries the database password.
  const example = 'postgres://driftwatch:PASSWORD@db.internal:5432/driftwatch';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DriftwatchError('config', `DATABASE_URL is not a URL: write it as ${example}, or unset it to use the embedded SQLite database`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new DriftwatchError(
      'config',
      `DATABASE_URL must start with postgres:// or postgresql:// (only PostgreSQL is supported), for example ${example}; unset it to use the embedded SQLite database`,
    );
  }
  return value;
}

function dataDirFromEnv(raw: string | undefined): string {
  const value = raw?.trim();
  if (!value) return DEFAULT_DATA_DIR;
  if (value.includes('\0')) {
    throw new DriftwatchError('config', 'DRIFTWATCH_DATA_DIR holds a NUL character: set it to a directory path such as /var/lib/driftwatch');
  }
  return value;
}
