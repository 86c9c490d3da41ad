// Buckets some state manages: the only buckets whose settings the collectors read.
import type { ParsedState } from '../terraform/types.js';

export function managedBucketNames(states: readonly ParsedState[]): Set<string> {
  const names = new Set<string>();
  for (const state of states) {
    for (const resource of state.resources) {
      if (!resource.type.startsWith('aws_s3_bucket')) continue;
      const bucket = resource.attributes.bucket ?? resource.attributes.id;
      // aws_s3_bucket_acl ids can be "bucket,owner,acl".
      if (typeof bucket === 'string' && bucket !== '') names.add(bucket.split(',')[0]!);
    }
  }
  return names;
}
