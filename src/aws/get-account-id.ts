// The account the credentials belong to: the inventory records it, and the scan checks it against
// the account a workspace expects before comparing anything.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DriftwatchError, isDriftwatchError } from '../errors.js';
import type { AwsClients } from './clients.js';
import { failureReason, isMissingCredentials } from './sdk-failure.js';

/** STS GetCallerIdentity, which needs no permission; `region` picks the partition's endpoint. */
export async function getAccountId(clients: AwsClients, region = 'us-east-1'): Promise<string> {
  let account: string | undefined;
  try {
    account = (await clients.sts(region).send(new GetCallerIdentityCommand({}))).Account;
  } catch (error) {
    if (isDriftwatchError(error)) throw error;
    const hint = isMissingCredentials(error)
      ? 'set AWS_PROFILE (or run `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
      : 'check that the credentials are valid and not expired';
    throw new DriftwatchError('aws', `could not identify the AWS account (${failureReason(error)}); ${hint}`, { cause: error });
  }
  if (!account) throw new DriftwatchError('aws', 'STS GetCallerIdentity returned no account; check the STS endpoint (AWS_ENDPOINT_URL_STS)');
  return account;
}
