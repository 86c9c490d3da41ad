// Settings from the environment: the one place the process environment is read. The app, the
// CLI and the jobs take the result as an argument.
import { awsSettingsFromEnv, type AwsSettings } from '../aws/settings.js';
import { queueSettingsFromEnv, type QueueSettings } from './queue-settings.js';

export interface Settings {
  aws: AwsSettings;
  /** AWS_REGION (or AWS_DEFAULT_REGION): where calls go before a configuration names a region. */
  defaultRegion: string;
  /** NO_COLOR disables colour in terminal output. */
  noColor: boolean;
  /** DRIFTWATCH_EXTERNAL_ID: sent when assuming a workspace's role. It belongs to the operator,
   * never to a repository: the role's trust policy requires it (sts:ExternalId). */
  externalId: string | null;
  queue: QueueSettings;
}

export function settingsFromEnv(env: Record<string, string | undefined>): Settings {
  return {
    aws: awsSettingsFromEnv(env),
    defaultRegion: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '',
    externalId: env.DRIFTWATCH_EXTERNAL_ID?.trim() || null,
    queue: queueSettingsFromEnv(env),
  };
}
