// Settings from the environment: the one place the process environment is read. The app, the
// CLI and the jobs take the result as an argument.
import { awsSettingsFromEnv, type AwsSettings } from '../aws/settings.js';
import { DriftwatchError } from '../errors.js';
import { integerFromEnv } from './integer-from-env.js';

export interface Settings {
  aws: AwsSettings;
  /** AWS_REGION (or AWS_DEFAULT_REGION): where calls go before a configuration names a region. */
  defaultRegion: string;
  /** NO_COLOR disables colour in terminal output. */
  noColor: boolean;
  /** DRIFTWATCH_EXTERNAL_ID: sent when assuming a workspace's role. It belongs to the operator,
   * never to a repository: the role's trust policy requires it (sts:ExternalId). */
  externalId: string | null;
  store: StoreSettings;
}

export interface StoreSettings {
  /** DATABASE_URL: PostgreSQL when set, else the embedded SQLite file. Holds a password: never
   * log it or put it in a message. */
  databaseUrl: string | null;
  /** DRIFTWATCH_DATA_DIR (default ./data): where the SQLite file lives, as given (relative to
   * the working directory). */
  dataDir: string;
  /** DRIFTWATCH_RETENTION_DAYS (default 90): scans older than this are pruned; findings stay. */
  retentionDays: number;
}

export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_RETENTION_DAYS = 90;

const RETENTION = { name: 'DRIFTWATCH_RETENTION_DAYS', min: 1, max: 3650 } as const;

export function settingsFromEnv(env: Record<string, string | undefined>): Settings {
  return {
    aws: awsSettingsFromEnv(env),
    defaultRegion: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '',
    externalId: env.DRIFTWATCH_EXTERNAL_ID?.trim() || null,
    store: storeSettingsFromEnv(env),
  };
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
