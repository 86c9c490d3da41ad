// AWS settings from the server's environment. This is the only place in src/aws that reads
// environment variables, and it does not read process.env itself: the caller passes the map, so
// the server settings and the tests decide where the values come from.
import { integerFromEnv } from '../config/integer-from-env.js';
import { DriftwatchError } from '../errors.js';

export type AwsService = 'ec2' | 's3' | 'rds' | 'iam' | 'sts' | 'cloudtrail';

export const AWS_SERVICES: readonly AwsService[] = ['ec2', 's3', 'rds', 'iam', 'sts', 'cloudtrail'];

export interface AwsSettings {
  /** Custom endpoint per service (LocalStack, an emulator, a VPC endpoint), already resolved:
   * AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL. Absent means the AWS default. */
  endpoints: Partial<Record<AwsService, string>>;
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Time one attempt may take, connection included. */
  callTimeoutMs: number;
  /** Role ARN patterns a workspace may ask driftwatch to assume; null means no restriction,
   * which only the local CLI (the user's own credentials) may use. */
  assumeRoleAllowlist: string[] | null;
}

export const DEFAULT_AWS_SETTINGS: Readonly<AwsSettings> = Object.freeze({
  endpoints: {},
  maxAttempts: 5,
  callTimeoutMs: 30_000,
  assumeRoleAllowlist: null,
});

const MAX_ATTEMPTS = { name: 'DRIFTWATCH_AWS_MAX_ATTEMPTS', min: 1, max: 20 } as const;
const CALL_TIMEOUT = { name: 'DRIFTWATCH_AWS_CALL_TIMEOUT_MS', min: 100, max: 600_000 } as const;
const ALLOWLIST = 'DRIFTWATCH_ASSUME_ROLE_ALLOWLIST';

// A role ARN whose segments may hold `*`: partition, account and role name (with an optional path).
const ROLE_PATTERN = /^arn:[a-z*-]+:iam::[0-9*]+:role\/[\w+=,.@/*-]+$/;

export function awsSettingsFromEnv(env: Record<string, string | undefined>): AwsSettings {
  return {
    endpoints: endpointsFromEnv(env),
    maxAttempts: integerFromEnv(env, MAX_ATTEMPTS, DEFAULT_AWS_SETTINGS.maxAttempts),
    callTimeoutMs: integerFromEnv(env, CALL_TIMEOUT, DEFAULT_AWS_SETTINGS.callTimeoutMs),
    assumeRoleAllowlist: allowlistFromEnv(env[ALLOWLIST]),
  };
}

function endpointsFromEnv(env: Record<string, string | undefined>): Partial<Record<AwsService, string>> {
  const general = endpointFromEnv(env, 'AWS_ENDPOINT_URL');
  const endpoints: Partial<Record<AwsService, string>> = {};
  for (const service of AWS_SERVICES) {
    const endpoint = endpointFromEnv(env, `AWS_ENDPOINT_URL_${service.toUpperCase()}`) ?? general;
    if (endpoint !== undefined) endpoints[service] = endpoint;
  }
  return endpoints;
}

function endpointFromEnv(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DriftwatchError('config', `${name} is not a URL: write the endpoint as http(s)://host[:port], for example http://127.0.0.1:4566`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DriftwatchError('config', `${name} must start with http:// or https://, for example http://127.0.0.1:4566`);
  }
  // The SDK joins request paths onto the endpoint; a trailing slash would double them.
  return value.replace(/\/+$/, '');
}

function allowlistFromEnv(raw: string | undefined): string[] | null {
  if (raw === undefined) return null;
  const patterns = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const pattern of patterns) {
    if (!ROLE_PATTERN.test(pattern)) {
      throw new DriftwatchError(
        'config',
        `${ALLOWLIST} entry "${pattern.slice(0, 200)}" is not a role ARN pattern: write comma-separated role ARNs such as arn:aws:iam::*:role/driftwatch-reader, where * matches within one ARN segment`,
      );
    }
  }
  return patterns;
}
