// Tags: live tags are compared with `tags_all` (the resource's own tags merged with the
// provider's default_tags), never with `tags` alone, and AWS-reserved `aws:*` tags, which AWS
// adds and Terraform ignores, are left out on both sides.
import type { Change } from './types.js';
import { formatPath } from './path.js';
import { isRecord, str } from './values.js';

export function tagsFromList(list: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!Array.isArray(list)) return tags;
  for (const item of list) {
    if (!isRecord(item)) continue;
    const key = str(item.Key);
    if (key === null || key.startsWith('aws:')) continue;
    tags[key] = typeof item.Value === 'string' ? item.Value : '';
  }
  return tags;
}

/** Declared tags of a state resource: tags_all when the provider wrote it, else tags. */
export function declaredTags(attributes: Record<string, unknown>): Record<string, string> {
  return cleanTags(declaredTagSource(attributes));
}

function declaredTagSource(attributes: Record<string, unknown>): unknown {
  return isRecord(attributes.tags_all) ? attributes.tags_all : attributes.tags;
}

/** Tag changes between a state resource and live tags, without copying either when they agree
 * (the common case, on every resource of a scan). */
export function compareResourceTags(attributes: Record<string, unknown>, live: unknown): Change[] {
  const declared = declaredTagSource(attributes);
  if (sameTags(declared, live)) return [];
  return compareTags(cleanTags(declared), cleanTags(live));
}

function sameTags(a: unknown, b: unknown): boolean {
  const left = isRecord(a) ? a : {};
  const right = isRecord(b) ? b : {};
  let count = 0;
  for (const key in left) {
    if (key.startsWith('aws:') || key === '%') continue;
    const value = left[key];
    const other = right[key];
    if (other === undefined || String(other ?? '') !== String(value ?? '')) return false;
    count += 1;
  }
  for (const key in right) if (!key.startsWith('aws:') && key !== '%') count -= 1;
  return count === 0;
}

export function cleanTags(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!isRecord(value)) return tags;
  for (const [key, raw] of Object.entries(value)) {
    if (key.startsWith('aws:') || key === '%') continue;
    tags[key] = raw === null || raw === undefined ? '' : String(raw);
  }
  return tags;
}

/** One change per differing key, path `tags.<key>`. */
export function compareTags(declared: Record<string, string>, live: Record<string, string>, prefix = 'tags'): Change[] {
  // Most resources have not drifted: check that cheaply before sorting keys.
  const declaredKeys = Object.keys(declared);
  if (declaredKeys.length === Object.keys(live).length && declaredKeys.every((key) => Object.hasOwn(live, key) && live[key] === declared[key])) return [];
  const changes: Change[] = [];
  const keys = [...new Set([...Object.keys(declared), ...Object.keys(live)])].sort();
  for (const key of keys) {
    const before = Object.hasOwn(declared, key) ? declared[key] : null;
    const after = Object.hasOwn(live, key) ? live[key] : null;
    if (before === after) continue;
    changes.push({ path: formatPath([prefix, key]), declared: before ?? null, live: after ?? null });
  }
  return changes;
}

/** The "who owns this" marker AWS services leave in reserved tags, read before they are dropped:
 * an instance an Auto Scaling group launched is that group's, not an unmanaged one. */
export function launchedBy(list: unknown): string | null {
  if (!Array.isArray(list)) return null;
  const owners: [string, string][] = [
    ['aws:autoscaling:groupName', 'autoscaling'],
    ['aws:cloudformation:stack-name', 'cloudformation'],
    ['aws:ec2spot:fleet-request-id', 'spot-fleet'],
    ['aws:ec2:fleet-id', 'ec2-fleet'],
    ['aws:elasticmapreduce:job-flow-id', 'emr'],
    ['aws:eks:cluster-name', 'eks'],
    ['eks:nodegroup-name', 'eks'],
    ['elasticbeanstalk:environment-name', 'elasticbeanstalk'],
  ];
  for (const [key, owner] of owners) {
    const tag = list.find((item) => isRecord(item) && item.Key === key);
    if (isRecord(tag)) return `${owner}:${String(tag.Value ?? '')}`;
  }
  return null;
}
