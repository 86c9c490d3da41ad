// The buckets this workspace's state manages, each with the settings the scan compares for it:
// what the S3 collector reads. Buckets of the repository's other workspaces need no settings
// (they are only "not unmanaged"), and a setting nothing compares costs no call.
import type { DeclareContext } from '../resources/family.js';
import type { BucketSetting } from '../resources/raw-types.js';
import { comparedSettings, s3Buckets } from '../resources/s3-buckets/index.js';
import type { ParsedState } from '../terraform/types.js';

export function bucketSettingsToRead(state: ParsedState | null, context: DeclareContext): Map<string, Set<BucketSetting>> {
  const wanted = new Map<string, Set<BucketSetting>>();
  if (!state) return wanted;
  const types = new Set(s3Buckets.terraformTypes);
  const resources = state.resources.filter((resource) => types.has(resource.type));
  for (const object of s3Buckets.declare(resources, context)) {
    const settings = wanted.get(object.id) ?? new Set<BucketSetting>();
    for (const setting of comparedSettings(object)) settings.add(setting);
    wanted.set(object.id, settings);
  }
  return wanted;
}
