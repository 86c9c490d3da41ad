// Reads a state from an S3 backend (or `--state s3://bucket/key`). Returns the text only:
// parseState parses it. The text holds secrets, so it never appears in an error or a log.
import { GetBucketLocationCommand, GetObjectCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { DriftwatchError } from '../errors.js';

export interface S3StateLocation {
  bucket: string;
  key: string;
}

export interface StateKeyConfig {
  key: string;
  workspace?: string | null;
  workspaceKeyPrefix?: string | null;
}

export interface ReadS3StateOptions {
  bucket: string;
  /** The backend's `key` (the default workspace's object); workspaces are resolved from it. */
  key: string;
  /** The backend's `region`; resolved from the bucket when absent. */
  region?: string | null;
  workspace?: string | null;
  workspaceKeyPrefix?: string | null;
  s3: (region: string) => S3Client;
  /** Region to ask about the bucket when `region` is not given. */
  defaultRegion: string;
}

const DEFAULT_WORKSPACE_KEY_PREFIX = 'env:';

/** `s3://bucket/path/to/key`, taken literally (no percent-decoding, as the AWS CLI does). */
export function parseS3Url(url: string): S3StateLocation {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(url.trim());
  if (!match) {
    throw new DriftwatchError('usage', `"${url}" is not an s3:// URL: write it as s3://<bucket>/<key>, e.g. s3://acme-tfstate/prod/app.tfstate`);
  }
  const bucket = match[1] ?? '';
  const key = match[2] ?? '';
  if (!/^[A-Za-z0-9._-]{3,255}$/.test(bucket)) {
    throw new DriftwatchError(
      'usage',
      `"${url}" does not name a valid bucket: write it as s3://<bucket>/<key>, where the bucket name has 3 to 63 lowercase letters, digits, dots or hyphens`,
    );
  }
  if (key.length === 0 || key.endsWith('/')) {
    throw new DriftwatchError(
      'usage',
      `"${url}" names no state object: add the object key, e.g. s3://${bucket}/terraform.tfstate (the backend's "key")`,
    );
  }
  return { bucket, key };
}

/**
 * The object key Terraform's s3 backend uses for a workspace: `key` for the default workspace,
 * otherwise `<workspace_key_prefix>/<workspace>/<key>` ("env:" when the prefix is not set), joined
 * and cleaned the way Go's path.Join does.
 */
export function stateObjectKey(config: StateKeyConfig): string {
  const workspace = config.workspace ?? '';
  if (workspace === '' || workspace === 'default') return config.key;
  const prefix = config.workspaceKeyPrefix ?? DEFAULT_WORKSPACE_KEY_PREFIX;
  return joinPath([prefix, workspace, config.key]);
}

export async function readS3State(options: ReadS3StateOptions): Promise<{ text: string; source: string; region: string }> {
  const { bucket } = options;
  const objectKey = stateObjectKey(options);
  const where: Where = {
    url: `s3://${bucket}/${objectKey}`,
    bucket,
    objectKey,
    workspace: isDefaultWorkspace(options.workspace) ? null : (options.workspace ?? null),
    workspaceKeyPrefix: options.workspaceKeyPrefix ?? null,
  };

  let region = options.region || (await resolveBucketRegion(bucket, options.s3, options.defaultRegion, where));
  let text: string;
  try {
    text = await getObjectText(options.s3(region), bucket, objectKey);
  } catch (error) {
    const redirect = regionFromError(error);
    if (!redirect || redirect === region) throw readError(error, where, region);
    // The configured (or resolved) region was wrong: S3 names the right one; ask it once.
    region = redirect;
    try {
      text = await getObjectText(options.s3(region), bucket, objectKey);
    } catch (retryError) {
      throw readError(retryError, where, region);
    }
  }

  if (text.trim().length === 0) {
    throw new DriftwatchError(
      'backend',
      `the state object ${where.url} is empty: run terraform apply (or terraform state push) for this ${where.workspace ? `workspace (${where.workspace})` : 'configuration'}, or check the backend's key`,
    );
  }
  return { text: stripBom(text), source: where.url, region };
}

interface Where {
  url: string;
  bucket: string;
  objectKey: string;
  workspace: string | null;
  workspaceKeyPrefix: string | null;
}

async function getObjectText(client: S3Client, bucket: string, key: string): Promise<string> {
  const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!output.Body) return '';
  return output.Body.transformToString('utf-8');
}

/**
 * The bucket's region: GetBucketLocation first (answered from any region), then HeadBucket's
 * region header (needs s3:ListBucket instead), then the default region, from which GetObject's
 * redirect still leads to the right one.
 */
async function resolveBucketRegion(bucket: string, s3: (region: string) => S3Client, defaultRegion: string, where: Where): Promise<string> {
  const client = s3(defaultRegion);
  try {
    const output = await client.send(new GetBucketLocationCommand({ Bucket: bucket }));
    return regionFromLocation(output.LocationConstraint);
  } catch (error) {
    const redirect = regionFromError(error);
    if (redirect) return redirect;
    if (errorName(error) === 'NoSuchBucket') throw readError(error, where, defaultRegion);
  }
  try {
    const output = await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return output.BucketRegion || defaultRegion;
  } catch (error) {
    const redirect = regionFromError(error);
    if (redirect) return redirect;
    if (statusOf(error) === 404) throw noSuchBucketError(where, error);
  }
  return defaultRegion;
}

/** GetBucketLocation answers null or "" for us-east-1 and the legacy "EU" for eu-west-1. */
function regionFromLocation(location: string | null | undefined): string {
  if (!location) return 'us-east-1';
  if (location === 'EU') return 'eu-west-1';
  return location;
}

/** The region S3 names in a wrong-region answer: the x-amz-bucket-region header, the error's
 * <Region> (AuthorizationHeaderMalformed), or the regional <Endpoint> of a PermanentRedirect. */
function regionFromError(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const record = error as {
    $response?: { headers?: Record<string, string | undefined> };
    Region?: unknown;
    BucketRegion?: unknown;
    Endpoint?: unknown;
  };
  const header = record.$response?.headers?.['x-amz-bucket-region'];
  if (isRegion(header)) return header;
  const status = statusOf(error);
  const name = errorName(error);
  const wrongRegion = status === 301 || name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || name === 'IllegalLocationConstraintException';
  if (!wrongRegion) return null;
  if (isRegion(record.Region)) return record.Region;
  if (isRegion(record.BucketRegion)) return record.BucketRegion;
  if (typeof record.Endpoint === 'string') {
    const match = /(?:^|\.)s3[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(record.Endpoint);
    if (match?.[1] && isRegion(match[1])) return match[1];
    if (/(?:^|\.)s3\.amazonaws\.com$/.test(record.Endpoint)) return 'us-east-1';
  }
  return null;
}

function readError(error: unknown, where: Where, region: string): DriftwatchError {
  const name = errorName(error);
  const status = statusOf(error);
  if (name === 'NoSuchKey' || (name === 'NotFound' && status === 404)) {
    if (where.workspace) {
      const prefix = where.workspaceKeyPrefix ?? DEFAULT_WORKSPACE_KEY_PREFIX;
      return new DriftwatchError(
        'backend',
        `no state for workspace ${where.workspace} at ${where.url}: check the workspace name (terraform workspace list) and the backend's workspace_key_prefix (${where.workspaceKeyPrefix === null ? `not set, so "${prefix}"` : `"${prefix}"`}) and key`,
        { cause: error },
      );
    }
    return new DriftwatchError(
      'backend',
      `no state at ${where.url}: check the backend's bucket and key (or the --state URL), and that terraform apply has written a state there`,
      { cause: error },
    );
  }
  if (name === 'NoSuchBucket') return noSuchBucketError(where, error);
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403) {
    return new DriftwatchError(
      'backend',
      `access denied reading ${where.url}: allow s3:GetObject on ${objectArn(region, where)} to the role driftwatch uses (and kms:Decrypt on the bucket's key if the state is KMS-encrypted); without s3:ListBucket on the bucket, S3 also answers AccessDenied for an object that does not exist`,
      { cause: error },
    );
  }
  if (name === 'InvalidObjectState') {
    return new DriftwatchError(
      'backend',
      `the state object ${where.url} is archived (Glacier or Deep Archive) and cannot be read: restore it, or move it to a readable storage class`,
      { cause: error },
    );
  }
  if (name === 'CredentialsProviderError') {
    return new DriftwatchError(
      'backend',
      `no AWS credentials to read ${where.url}: configure credentials for driftwatch (environment, profile or role), or pass --state <file>`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? `${name}: ${error.message}` : String(error);
  return new DriftwatchError(
    'backend',
    `cannot read the state at ${where.url} from ${region} (${detail}): check the backend's bucket, region and key, and the network, then scan again`,
    { cause: error },
  );
}

function noSuchBucketError(where: Where, cause: unknown): DriftwatchError {
  return new DriftwatchError(
    'backend',
    `the bucket ${where.bucket} does not exist (reading ${where.url}): check the backend's bucket name, and that driftwatch's credentials are for the account that owns it`,
    { cause },
  );
}

function objectArn(region: string, where: Where): string {
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return `arn:${partition}:s3:::${where.bucket}/${where.objectKey}`;
}

function isDefaultWorkspace(workspace: string | null | undefined): boolean {
  return !workspace || workspace === 'default';
}

function isRegion(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(value);
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  if (error && typeof error === 'object' && typeof (error as { name?: unknown }).name === 'string') return (error as { name: string }).name;
  return 'UnknownError';
}

function statusOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Go's path.Join: drop empty elements, then clean "." and ".." and doubled slashes. */
function joinPath(parts: string[]): string {
  const joined = parts.filter((part) => part.length > 0).join('/');
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const segment of joined.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(segment);
  }
  const cleaned = out.join('/');
  return absolute ? `/${cleaned}` : cleaned || '.';
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
