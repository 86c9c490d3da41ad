// What the S3 collector should read when a test wants everything: every setting of each bucket.
import { BUCKET_SETTINGS, type BucketSetting } from '../../../src/resources/raw-types.js';

export function everySetting(names: Iterable<string>): Map<string, Set<BucketSetting>> {
  return new Map([...names].map((name) => [name, new Set(BUCKET_SETTINGS)]));
}
