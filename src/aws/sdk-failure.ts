// What a failed AWS call means to a scan: the `$error` record a raw bundle keeps for one setting,
// and the one-line reason an unknown family carries ("AccessDenied: ec2:DescribeInstances").
// Error messages come from the cloud: they are cut short and never trusted as markup.
import type { SdkError } from '../resources/raw-types.js';
import { commandOfError, isThrottlingError } from './call-stats.js';
import { iamActionFor } from './iam-actions.js';

interface AwsErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  /** The HTTP response a deserialization error came from (the SDK sets it, not enumerable). */
  $response?: { statusCode?: number };
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'Forbidden',
]);

// Rejected credentials also come back as 403, but no permission would fix them.
const BAD_CREDENTIALS = new Set([
  'AuthFailure',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'InvalidToken',
  'RequestExpired',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
]);

const MESSAGE_LIMIT = 300;

export function toSdkError(error: unknown): SdkError {
  const e = asErrorLike(error);
  const record: SdkError['$error'] = { name: e.name ?? 'Error', message: short(e.message) };
  if (e.$metadata?.httpStatusCode !== undefined) record.httpStatusCode = e.$metadata.httpStatusCode;
  if (e.$fault !== undefined) record.fault = e.$fault;
  return { $error: record };
}

export function isAccessDenied(error: unknown): boolean {
  const e = asErrorLike(error);
  if (BAD_CREDENTIALS.has(e.name ?? '')) return false;
  return ACCESS_DENIED.has(e.name ?? '') || e.$metadata?.httpStatusCode === 403;
}

/** True when no credentials could be found at all: every family would fail the same way. */
export function isMissingCredentials(error: unknown): boolean {
  return asErrorLike(error).name === 'CredentialsProviderError';
}

/**
 * A successful answer whose body could not be read: the body ended before the document did (a
 * connection closed early, a proxy that cut the response) or is otherwise unreadable. Not a
 * service error (no `$fault`): asking again usually gets the whole answer, as after a reset.
 */
export function isCutOffResponse(error: unknown): boolean {
  const e = asErrorLike(error);
  if (e.$fault !== undefined) return false;
  const status = e.$response?.statusCode;
  return status !== undefined && status >= 200 && status < 300;
}

export function isTimeout(error: unknown): boolean {
  const e = asErrorLike(error);
  return e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.name === 'RequestTimeout';
}

/** One line for an unknown family: what failed, and the permission to grant when it is access. */
export function failureReason(error: unknown): string {
  const e = asErrorLike(error);
  const name = e.name ?? 'Error';
  const command = commandOfError(error);
  const action = command ? iamActionFor(command.service, command.operation) : undefined;
  const attempts = e.$metadata?.attempts;
  const after = attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : '';
  if (isAccessDenied(error)) {
    return action ? `AccessDenied: ${action}${name === 'AccessDenied' ? '' : ` (${name})`}` : `AccessDenied: ${short(e.message)}`;
  }
  const where = action ? ` on ${action}` : '';
  if (isThrottlingError(error)) return `Throttled: ${name}${where}${after}; retries exhausted`;
  if (isTimeout(error)) return `Timeout${where}${after}: ${short(e.message)}`;
  if (isCutOffResponse(error)) {
    const from = action ? ` from ${action}` : '';
    return `Cut-off response${from}${after}: the body could not be read to its end (${short(sdkMessage(e.message))})`;
  }
  const status = e.$metadata?.httpStatusCode;
  const statusText = status !== undefined ? ` (HTTP ${status})` : '';
  return `${name}${where}${statusText}${after}: ${short(e.message)}`;
}

/** The parser's own words, without the SDK's "@aws-sdk" prefix and its hint about $response. */
function sdkMessage(message: string | undefined): string {
  const first = (message ?? '').split('\n')[0] ?? '';
  return first.replace(/^@aws-sdk /, '').replace(/\.$/, '');
}

function asErrorLike(error: unknown): AwsErrorLike {
  if (typeof error === 'object' && error !== null) return error as AwsErrorLike;
  return { name: 'Error', message: String(error) };
}

function short(message: string | undefined): string {
  const text = (message ?? '').replace(/\s+/g, ' ').trim();
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT - 1)}…` : text;
}
