// S3 buckets and their settings, whether declared inline on aws_s3_bucket (provider v3 style) or
// split into aws_s3_bucket_versioning, _server_side_encryption_configuration,
// _public_access_block, _policy and _acl (v4+). After a refresh the provider also copies split
// settings onto aws_s3_bucket as computed attributes; a setting is compared once, on the resource
// that owns it.
import type { Change, Drift } from '../../drift/types.js';
import { compareResourceTags } from '../../drift/tags.js';
import { bool, firstBlock, isRecord, str } from '../../drift/values.js';
import type { Signal } from '../../risk/types.js';
import type { DeclaredResource } from '../../terraform/types.js';
import { compareFields, deletedDrift, deletedObject, keyOf, modifiedDrift, resourceRegion } from '../drifts.js';
import type { DeclareContext, DeclaredObject, GeneratedResource, ResourceFamily } from '../family.js';
import { genericSignals, shellQuote, terraformName, topAttribute } from '../generic-signals.js';
import type { LiveResource } from '../live-types.js';
import { BUCKET_SETTINGS, type BucketSetting } from '../raw-types.js';
import { aclResourceGrants, bucketStateGrants, cannedAcl, grantKey, liveGrants, publicGrantee, type Grant } from './acl.js';
import { policySignals } from './policy-risk.js';

const BUCKET = 'aws_s3_bucket';
const VERSIONING = 'aws_s3_bucket_versioning';
const ENCRYPTION = 'aws_s3_bucket_server_side_encryption_configuration';
const PUBLIC_ACCESS_BLOCK = 'aws_s3_bucket_public_access_block';
const POLICY = 'aws_s3_bucket_policy';
const ACL = 'aws_s3_bucket_acl';

const PAB_FIELDS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;
const SSE_PREFIX = 'rule[0].apply_server_side_encryption_by_default[0]';

/** Buckets AWS services create on an account's behalf (CloudFormation templates, Elastic
 * Beanstalk, Athena results, Glue assets, console-made CloudTrail logs). */
const SERVICE_BUCKET_PREFIXES = ['cf-templates-', 'elasticbeanstalk-', 'aws-athena-query-results-', 'aws-glue-assets-', 'aws-cloudtrail-logs-', 'aws-emr-resources-', 'aws-emr-studio-'];

export const s3Buckets: ResourceFamily = {
  name: 's3-buckets',
  liveType: BUCKET,
  terraformTypes: [BUCKET, VERSIONING, ENCRYPTION, PUBLIC_ACCESS_BLOCK, POLICY, ACL],
  declare,
  liveKey: (live) => keyOf(BUCKET, live.id),
  compare,
  deleted: deletedObject,
  isAwsDefault: (live) => SERVICE_BUCKET_PREFIXES.some((prefix) => live.id.startsWith(prefix)),
  signals,
  cost: () => undefined,
  remediation,
  generate,
};

function bucketName(resource: DeclaredResource): string | null {
  const bucket = str(resource.attributes.bucket);
  if (bucket !== null) return bucket;
  // aws_s3_bucket_acl ids are "bucket", "bucket,owner" or "bucket,owner,acl".
  return str(resource.attributes.id)?.split(',')[0] ?? null;
}

function declare(resources: DeclaredResource[], ctx: DeclareContext): DeclaredObject[] {
  const byBucket = new Map<string, DeclaredObject>();
  for (const resource of resources) {
    const bucket = bucketName(resource);
    if (bucket === null) continue;
    let object = byBucket.get(bucket);
    if (!object) {
      object = { key: keyOf(BUCKET, bucket), type: BUCKET, id: bucket, region: resourceRegion(resource, ctx), primary: null, parts: [] };
      byBucket.set(bucket, object);
    }
    if (resource.type === BUCKET) {
      object.primary = resource;
      object.region = resourceRegion(resource, ctx);
    } else object.parts.push(resource);
  }
  return [...byBucket.values()];
}

/** The settings `compare` reads for this object: the collector asks S3 for these only. Kept
 * beside compare, with the same conditions; a test checks that reading only these changes no
 * drift. */
export function comparedSettings(object: DeclaredObject): BucketSetting[] {
  const wanted = new Set<BucketSetting>();
  const split = new Set(object.parts.map((part) => part.type));
  if (object.primary) {
    const d = object.primary.attributes;
    wanted.add('tagging');
    wanted.add('policy');
    if (Object.keys(firstBlock(d.versioning)).length > 0) wanted.add('versioning');
    if (Object.keys(firstBlock(firstBlock(d.server_side_encryption_configuration).rule)).length > 0) wanted.add('encryption');
    if (Array.isArray(d.grant) && d.grant.length > 0) wanted.add('acl');
  }
  if (split.has(VERSIONING)) wanted.add('versioning');
  if (split.has(ENCRYPTION)) wanted.add('encryption');
  if (split.has(PUBLIC_ACCESS_BLOCK)) wanted.add('publicAccessBlock');
  if (split.has(POLICY)) wanted.add('policy');
  if (split.has(ACL)) wanted.add('acl');
  return BUCKET_SETTINGS.filter((setting) => wanted.has(setting));
}

function compare(object: DeclaredObject, live: LiveResource): Drift[] {
  const unknown = live.unknownAttributes ?? {};
  const a = live.attributes;
  const known = (name: string) => !unknown[name] && a[name] !== undefined;
  const split = new Map(object.parts.map((part) => [part.type, part]));
  const drifts: Drift[] = [];

  if (object.primary) {
    const d = object.primary.attributes;
    const changes: Change[] = [];
    if (known('tags')) changes.push(...compareResourceTags(d, a.tags));
    if (!split.has(VERSIONING) && known('versioning')) {
      const versioning = firstBlock(d.versioning);
      const liveVersioning = isRecord(a.versioning) ? a.versioning : {};
      if (Object.keys(versioning).length > 0) {
        changes.push(
          ...compareFields([
            { path: 'versioning[0].enabled', declared: bool(versioning.enabled) ?? false, live: liveVersioning.status === 'Enabled' },
            { path: 'versioning[0].mfa_delete', declared: bool(versioning.mfa_delete) ?? false, live: liveVersioning.mfa_delete === 'Enabled' },
          ]),
        );
      }
    }
    if (!split.has(ENCRYPTION) && known('encryption')) {
      const rule = firstBlock(firstBlock(d.server_side_encryption_configuration).rule);
      // An empty block in state means the setting was never read or declared: nothing to compare.
      if (Object.keys(rule).length > 0) changes.push(...encryptionChanges(rule, a.encryption, 'server_side_encryption_configuration[0].'));
    }
    if (!split.has(POLICY) && known('policy')) changes.push(...compareFields([{ path: 'policy', declared: d.policy, live: a.policy, compare: 'policy' }]));
    if (!split.has(ACL) && known('acl') && Array.isArray(d.grant) && d.grant.length > 0) {
      changes.push(...grantChanges('grant', bucketStateGrants(d.grant), liveGrants(a.acl)));
    }
    drifts.push(...modifiedDrift(object.primary, object, live, changes));
  }

  for (const part of object.parts) {
    const d = part.attributes;
    switch (part.type) {
      case VERSIONING: {
        if (!known('versioning')) break;
        const declared = firstBlock(d.versioning_configuration);
        const liveVersioning = isRecord(a.versioning) ? a.versioning : {};
        const liveStatus = str(liveVersioning.status) ?? 'Disabled';
        const liveMfa = str(liveVersioning.mfa_delete) ?? 'Disabled';
        const changes: Change[] = [];
        // Suspended, Disabled and never-enabled all mean "not versioning".
        if ((declared.status === 'Enabled') !== (liveStatus === 'Enabled')) {
          changes.push({ path: 'versioning_configuration[0].status', declared: declared.status ?? null, live: liveStatus });
        }
        if ((declared.mfa_delete === 'Enabled') !== (liveMfa === 'Enabled')) {
          changes.push({ path: 'versioning_configuration[0].mfa_delete', declared: str(declared.mfa_delete), live: liveMfa });
        }
        drifts.push(...modifiedDrift(part, object, live, changes));
        break;
      }
      case ENCRYPTION: {
        if (!known('encryption')) break;
        if (a.encryption === null) drifts.push(deletedDrift(part, object, live));
        else drifts.push(...modifiedDrift(part, object, live, encryptionChanges(firstBlock(d.rule), a.encryption, '')));
        break;
      }
      case PUBLIC_ACCESS_BLOCK: {
        if (!known('public_access_block')) break;
        const block = isRecord(a.public_access_block) ? a.public_access_block : null;
        if (block === null) drifts.push(deletedDrift(part, object, live));
        else drifts.push(...modifiedDrift(part, object, live, compareFields(PAB_FIELDS.map((f) => ({ path: f, declared: bool(d[f]) ?? false, live: block[f] === true })))));
        break;
      }
      case POLICY: {
        if (!known('policy')) break;
        if (a.policy === null) drifts.push(deletedDrift(part, object, live));
        else drifts.push(...modifiedDrift(part, object, live, compareFields([{ path: 'policy', declared: d.policy, live: a.policy, compare: 'policy' }])));
        break;
      }
      case ACL: {
        if (!known('acl')) break;
        const grants = liveGrants(a.acl);
        const canned = str(d.acl);
        if (canned !== null) {
          const actual = cannedAcl(grants, isRecord(a.acl) ? str(a.acl.owner_id) : null);
          drifts.push(...modifiedDrift(part, object, live, actual === canned ? [] : [{ path: 'acl', declared: canned, live: actual }]));
        } else {
          const declared = aclResourceGrants(firstBlock(d.access_control_policy).grant);
          drifts.push(...modifiedDrift(part, object, live, grantChanges('access_control_policy[0].grant', declared, grants)));
        }
        break;
      }
    }
  }
  return drifts;
}

function encryptionChanges(rule: Record<string, unknown>, liveEncryption: unknown, prefix: string): Change[] {
  const byDefault = firstBlock(rule.apply_server_side_encryption_by_default);
  const liveRule = isRecord(liveEncryption) && Array.isArray(liveEncryption.rules) && isRecord(liveEncryption.rules[0]) ? liveEncryption.rules[0] : null;
  return compareFields([
    { path: `${prefix}${SSE_PREFIX}.sse_algorithm`, declared: byDefault.sse_algorithm, live: liveRule?.sse_algorithm ?? null },
    { path: `${prefix}${SSE_PREFIX}.kms_master_key_id`, declared: byDefault.kms_master_key_id, live: liveRule?.kms_master_key_id ?? null },
    { path: `${prefix}rule[0].bucket_key_enabled`, declared: bool(rule.bucket_key_enabled) ?? false, live: liveRule?.bucket_key_enabled === true },
  ]);
}

function grantChanges(path: string, declared: Grant[], live: Grant[]): Change[] {
  const liveKeys = new Set(live.map(grantKey));
  const declaredKeys = new Set(declared.map(grantKey));
  const changes: Change[] = [];
  for (const grant of declared) if (!liveKeys.has(grantKey(grant))) changes.push({ path, declared: { ...grant }, live: null });
  for (const grant of live) if (!declaredKeys.has(grantKey(grant))) changes.push({ path, declared: null, live: { ...grant } });
  return changes;
}

function signals(drift: Drift): Signal[] {
  const declared = drift.declared ?? {};
  if (drift.kind === 'unmanaged') return [{ id: 's3.unmanaged', params: { bucket: drift.id } }];
  if (drift.kind === 'deleted') {
    switch (drift.type) {
      case PUBLIC_ACCESS_BLOCK:
        return [{ id: 's3.public_access_block_removed' }];
      case POLICY:
        return policySignals(declared.policy, null);
      case ENCRYPTION:
        return [{ id: 's3.encryption_removed' }];
      case BUCKET:
        return [{ id: 's3.deleted', params: { bucket: drift.id } }];
      default:
        return [{ id: 'generic.deleted' }];
    }
  }
  const out: Signal[] = [];
  const weakened: string[] = [];
  let encryptionDone = false;
  const handled = (change: Change): boolean => {
    const path = change.path;
    const attribute = topAttribute(path);
    if (drift.type === PUBLIC_ACCESS_BLOCK && (PAB_FIELDS as readonly string[]).includes(path)) {
      if (change.live === false) weakened.push(path);
      return change.live === false;
    }
    if (attribute === 'policy') {
      out.push(...policySignals(change.declared, change.live));
      return true;
    }
    if (path.endsWith('.status') || path === 'versioning[0].enabled') {
      const wasOn = change.declared === 'Enabled' || change.declared === true;
      const isOn = change.live === 'Enabled' || change.live === true;
      out.push(wasOn && !isOn ? { id: 's3.versioning_suspended' } : { id: 's3.versioning_changed', params: { declared: label(change.declared), live: label(change.live) } });
      return true;
    }
    if (path.endsWith('mfa_delete')) {
      const wasOn = change.declared === 'Enabled' || change.declared === true;
      if (wasOn) out.push({ id: 's3.mfa_delete_disabled' });
      return wasOn;
    }
    if (path.includes('sse_algorithm') || path.includes('kms_master_key_id') || path.includes('bucket_key_enabled')) {
      if (encryptionDone) return true;
      encryptionDone = true;
      const algorithm = drift.changes.find((c) => c.path.endsWith('sse_algorithm'));
      if (algorithm && (algorithm.live === null || algorithm.live === undefined)) out.push({ id: 's3.encryption_removed' });
      else {
        const before = algorithm ? label(algorithm.declared) : 'KMS key';
        const after = algorithm ? label(algorithm.live) : 'another KMS key';
        out.push({ id: 's3.encryption_changed', params: { declared: before, live: after } });
      }
      return true;
    }
    if (attribute === 'grant' || attribute === 'access_control_policy' || path === 'acl') {
      out.push(aclSignal(change));
      return true;
    }
    return false;
  };
  const generic = genericSignals(drift.changes, handled);
  if (weakened.length > 0) out.unshift({ id: 's3.public_access_block_weakened', params: { settings: weakened.join(', ') } });
  return [...out, ...generic];
}

function aclSignal(change: Change): Signal {
  if (change.path === 'acl') {
    if (change.live === 'public-read' || change.live === 'public-read-write') return { id: 's3.acl_public', params: { permission: change.live === 'public-read' ? 'READ' : 'READ and WRITE', grantee: 'everyone (AllUsers)' } };
    if (change.live === 'authenticated-read') return { id: 's3.acl_public', params: { permission: 'READ', grantee: 'any AWS account (AuthenticatedUsers)' } };
    return { id: 's3.acl_changed' };
  }
  const grant = isRecord(change.live) ? change.live : null;
  const grantee = grant ? publicGrantee(String(grant.grantee)) : null;
  if (grant && grantee) return { id: 's3.acl_public', params: { permission: String(grant.permission), grantee } };
  return { id: 's3.acl_changed' };
}

function label(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (value === true) return 'Enabled';
  if (value === false) return 'Disabled';
  return String(value);
}

function remediation(drift: Drift): string | null {
  const bucket = shellQuote(drift.id);
  if (drift.kind === 'unmanaged') return `aws s3 rb s3://${drift.id} --region ${shellQuote(drift.region)}`;
  if (drift.kind !== 'modified' || drift.type !== BUCKET) return null;
  // Settings Terraform does not own on a v4+ bucket are not put back by apply.
  const commands: string[] = [];
  if (drift.changes.some((c) => c.path === 'policy' && (c.declared === null || c.declared === '') && c.live)) commands.push(`aws s3api delete-bucket-policy --bucket ${bucket}`);
  if (drift.changes.some((c) => c.path === 'grant' && c.declared === null)) commands.push(`aws s3api put-bucket-acl --bucket ${bucket} --acl private`);
  return commands.length > 0 ? commands.join('\n') : null;
}

function generate(live: LiveResource): GeneratedResource {
  const tags = isRecord(live.attributes.tags) ? live.attributes.tags : {};
  const attributes: Record<string, unknown> = { bucket: live.id };
  if (Object.keys(tags).length > 0) attributes.tags = tags;
  return { type: BUCKET, name: terraformName(live.id, live.id), importId: live.id, attributes, blocks: {} };
}
