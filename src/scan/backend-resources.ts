// What the workspace's backend keeps its state in: never unmanaged, whichever way the scan read
// the state (a `--state` copy leaves the backend block naming the bucket all the same).
import { keyOf } from '../resources/drifts.js';
import type { HclBackend } from '../terraform/types.js';

/** Live keys of the state bucket the scan read from and of the backend block's bucket and lock table. */
export function backendResourceKeys(stateBucket: string | null, backend: HclBackend | null): Set<string> {
  const keys = new Set<string>();
  if (stateBucket) keys.add(keyOf('aws_s3_bucket', stateBucket));
  const s3 = backend?.type === 's3' ? backend.s3 : null;
  if (s3?.bucket) keys.add(keyOf('aws_s3_bucket', s3.bucket));
  // No family lists DynamoDB tables yet; the day one does, the lock table is already spared.
  if (s3?.dynamodbTable) keys.add(keyOf('aws_dynamodb_table', s3.dynamodbTable));
  return keys;
}
