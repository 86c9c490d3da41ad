// Credentials of a role a workspace names in its config, for `createAwsClients({ credentials })`.
// The allowlist is checked when the provider is made, before any call: a repository must not be
// able to make the app assume a role the operator did not list (the confused-deputy problem). The
// GitHub App always passes a list; `null` (no restriction) is for the local CLI, where the user's
// own credentials decide what they may assume anyway.
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { DriftwatchError } from '../errors.js';
import { roleAllowed } from './role-allowlist.js';

export interface AssumeRoleOptions {
  roleArn: string;
  /** Sent as ExternalId; the role's trust policy should require it (sts:ExternalId). */
  externalId?: string | null;
  /** Shows in the role's CloudTrail events; defaults to "driftwatch". */
  sessionName?: string;
  /** DRIFTWATCH_ASSUME_ROLE_ALLOWLIST patterns; null means no restriction (local CLI only). */
  allowlist: readonly string[] | null;
  /** The STS client that signs AssumeRole with the base credentials (the default chain's). */
  stsClient: Pick<STSClient, 'send'>;
  /** Session length; the role's MaxSessionDuration caps it. */
  durationSeconds?: number;
  now?: () => Date;
}

// Renew this long before expiry, so a scan that started with fresh credentials never signs a
// request with ones that expire on the way.
const REFRESH_BEFORE_MS = 5 * 60_000;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export function assumeRoleCredentials(options: AssumeRoleOptions): AwsCredentialIdentityProvider {
  const { roleArn, allowlist, stsClient } = options;
  const shownArn = roleArn.slice(0, 300);
  if (!ROLE_ARN.test(roleArn)) {
    throw new DriftwatchError('aws', `"${shownArn}" is not an IAM role ARN: write it as arn:aws:iam::<account-id>:role/<name>`);
  }
  if (allowlist !== null && !roleAllowed(roleArn, allowlist)) {
    throw new DriftwatchError('aws', `role ${shownArn} is not in DRIFTWATCH_ASSUME_ROLE_ALLOWLIST; ask the driftwatch operator to add it`);
  }
  const sessionName = options.sessionName ?? 'driftwatch';
  if (!SESSION_NAME.test(sessionName)) {
    throw new DriftwatchError('aws', `session name "${sessionName.slice(0, 80)}" is not valid for AssumeRole: use 2 to 64 letters, digits or +=,.@_-`);
  }
  const now = options.now ?? (() => new Date());
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;

  async function assume(): Promise<AwsCredentialIdentity> {
    let output;
    try {
      output = await stsClient.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          ...(options.externalId ? { ExternalId: options.externalId } : {}),
          ...(options.durationSeconds ? { DurationSeconds: options.durationSeconds } : {}),
        }),
      );
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      const message = String((error as { message?: string }).message ?? '').slice(0, 300);
      throw new DriftwatchError(
        'aws',
        `could not assume role ${shownArn} (${name}: ${message}); check that its trust policy lets driftwatch's identity assume it with the configured external id`,
        { cause: error },
      );
    }
    const credentials = output.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new DriftwatchError('aws', `STS AssumeRole for ${shownArn} returned no credentials; try again, and report it if it persists`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration ? { expiration: new Date(credentials.Expiration) } : {}),
    };
  }

  function fresh(identity: AwsCredentialIdentity | undefined): identity is AwsCredentialIdentity {
    if (!identity) return false;
    if (!identity.expiration) return true;
    return identity.expiration.getTime() - now().getTime() > REFRESH_BEFORE_MS;
  }

  return async () => {
    if (fresh(cached)) return cached;
    // Every client of the factory asks at once on the first scan; they share one AssumeRole.
    pending ??= assume().finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached;
  };
}
