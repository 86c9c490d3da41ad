// EC2 instances: aws_instance.
import type { Change, Drift } from '../../drift/types.js';
import { compareResourceTags } from '../../drift/tags.js';
import { firstBlock, isRecord, str } from '../../drift/values.js';
import { ec2MonthlyPrice, monthlyDelta } from '../../cost/price.js';
import type { PriceTable } from '../../cost/types.js';
import type { Signal } from '../../risk/types.js';
import type { DeclaredResource } from '../../terraform/types.js';
import { compareFields, deletedObject, keyOf, modifiedDrift, resourceRegion } from '../drifts.js';
import type { DeclareContext, DeclaredObject, GeneratedResource, ResourceFamily } from '../family.js';
import { genericSignals, shellQuote, terraformName, topAttribute } from '../generic-signals.js';
import type { LiveResource } from '../live-types.js';

const TYPE = 'aws_instance';

export const ec2Instances: ResourceFamily = {
  name: 'ec2-instances',
  liveType: TYPE,
  terraformTypes: [TYPE],
  declare,
  liveKey: (live) => keyOf(TYPE, live.id),
  compare,
  deleted: deletedObject,
  // Instances an Auto Scaling group, a fleet, EKS or another AWS service launched belong to that
  // service, not to nobody.
  isAwsDefault: (live) => typeof live.attributes.launched_by === 'string',
  signals,
  cost,
  remediation,
  generate,
};

function declare(resources: DeclaredResource[], ctx: DeclareContext): DeclaredObject[] {
  const objects: DeclaredObject[] = [];
  for (const resource of resources) {
    const id = str(resource.attributes.id);
    if (id === null) continue;
    objects.push({ key: keyOf(TYPE, id), type: TYPE, id, region: resourceRegion(resource, ctx), primary: resource, parts: [] });
  }
  return objects;
}

function compare(object: DeclaredObject, live: LiveResource): Drift[] {
  const resource = object.primary;
  if (!resource) return [];
  const declared = resource.attributes;
  const actual = live.attributes;
  const skip = new Set(Object.keys(live.unknownAttributes ?? {}));
  const metadata = firstBlock(declared.metadata_options);
  const liveMetadata = isRecord(actual.metadata_options) ? actual.metadata_options : null;
  // The provider writes metadata_options = [] when the API did not return them; nothing to compare.
  const hasMetadata = Object.keys(metadata).length > 0 && liveMetadata !== null && !skip.has('metadata_options');
  const root = firstBlock(declared.root_block_device);
  const liveRoot = isRecord(actual.root_block_device) ? actual.root_block_device : null;
  const hasRoot = Object.keys(root).length > 0 && liveRoot !== null && !skip.has('root_block_device');
  const rootField = (name: string) => ({
    path: `root_block_device[0].${name}`,
    declared: root[name],
    live: liveRoot?.[name],
    when: hasRoot && liveRoot?.[name] !== null && liveRoot?.[name] !== undefined,
  });
  const metadataField = (name: string) => ({
    path: `metadata_options[0].${name}`,
    declared: metadata[name],
    live: liveMetadata?.[name],
    when: hasMetadata && liveMetadata?.[name] !== null && liveMetadata?.[name] !== undefined,
  });
  const changes: Change[] = compareFields([
    { path: 'instance_type', declared: declared.instance_type, live: actual.instance_type },
    { path: 'vpc_security_group_ids', declared: declared.vpc_security_group_ids, live: actual.vpc_security_group_ids, compare: 'set' },
    { path: 'iam_instance_profile', declared: declared.iam_instance_profile, live: actual.iam_instance_profile },
    { path: 'monitoring', declared: declared.monitoring, live: actual.monitoring },
    { path: 'source_dest_check', declared: declared.source_dest_check, live: actual.source_dest_check, when: typeof actual.source_dest_check === 'boolean' },
    { path: 'ebs_optimized', declared: declared.ebs_optimized, live: actual.ebs_optimized },
    metadataField('http_tokens'),
    metadataField('http_endpoint'),
    metadataField('http_put_response_hop_limit'),
    metadataField('instance_metadata_tags'),
    rootField('volume_size'),
    rootField('volume_type'),
    rootField('encrypted'),
    rootField('iops'),
    rootField('throughput'),
  ]);
  if (!skip.has('tags')) changes.push(...compareResourceTags(declared, actual.tags));
  return modifiedDrift(resource, object, live, changes);
}

function signals(drift: Drift): Signal[] {
  if (drift.kind === 'deleted') return [{ id: 'ec2.deleted', params: { id: drift.id } }];
  const live = drift.live?.attributes ?? {};
  if (drift.kind === 'unmanaged') {
    const instanceType = String(live.instance_type ?? 'unknown type');
    const ip = str(live.public_ip);
    return ip ? [{ id: 'ec2.unmanaged_public', params: { instance_type: instanceType, ip } }] : [{ id: 'ec2.unmanaged', params: { instance_type: instanceType } }];
  }
  const out: Signal[] = [];
  const rootChanges: string[] = [];
  const handled = (change: Change): boolean => {
    const attribute = topAttribute(change.path);
    switch (attribute) {
      case 'instance_type':
        out.push({ id: 'ec2.instance_type_changed', params: { declared: String(change.declared ?? '(none)'), live: String(change.live ?? '(none)') } });
        return true;
      case 'metadata_options':
        if (change.path.endsWith('http_tokens') && change.live === 'optional') out.push({ id: 'ec2.imdsv1_enabled' });
        else out.push({ id: 'ec2.metadata_changed' });
        return true;
      case 'vpc_security_group_ids':
        out.push({ id: 'ec2.security_groups_changed' });
        return true;
      case 'iam_instance_profile':
        out.push({ id: 'ec2.instance_profile_changed', params: { declared: String(change.declared ?? '(none)'), live: String(change.live ?? '(none)') } });
        return true;
      case 'root_block_device':
        rootChanges.push(change.path.replace('root_block_device[0].', ''));
        return true;
      case 'monitoring':
        out.push({ id: 'ec2.monitoring_changed' });
        return true;
      default:
        return false;
    }
  };
  const generic = genericSignals(drift.changes, handled);
  if (rootChanges.length > 0) out.push({ id: 'ec2.root_volume_changed', params: { attributes: rootChanges.join(', ') } });
  return [...out, ...generic];
}

function cost(drift: Drift, prices: PriceTable): number | null | undefined {
  const live = drift.live?.attributes ?? {};
  if (live.platform && !String(live.platform).startsWith('Linux')) return null;
  if (drift.kind === 'unmanaged') {
    if (live.state !== 'running' && live.state !== 'pending') return 0;
    return ec2MonthlyPrice(prices, drift.region, String(live.instance_type));
  }
  if (drift.kind === 'deleted') {
    const declared = ec2MonthlyPrice(prices, drift.region, String(drift.declared?.instance_type));
    return monthlyDelta(declared, 0);
  }
  const change = drift.changes.find((c) => c.path === 'instance_type');
  if (!change) return undefined;
  return monthlyDelta(ec2MonthlyPrice(prices, drift.region, String(change.declared)), ec2MonthlyPrice(prices, drift.region, String(change.live)));
}

function remediation(drift: Drift): string | null {
  if (drift.kind !== 'unmanaged') return null;
  return `aws ec2 terminate-instances --region ${shellQuote(drift.region)} --instance-ids ${shellQuote(drift.id)}`;
}

function generate(live: LiveResource): GeneratedResource {
  const a = live.attributes;
  const tags = isRecord(a.tags) ? a.tags : {};
  const attributes: Record<string, unknown> = { ami: a.ami, instance_type: a.instance_type };
  if (a.subnet_id) attributes.subnet_id = a.subnet_id;
  if (Array.isArray(a.vpc_security_group_ids) && a.vpc_security_group_ids.length > 0) attributes.vpc_security_group_ids = a.vpc_security_group_ids;
  if (a.key_name) attributes.key_name = a.key_name;
  if (a.iam_instance_profile) attributes.iam_instance_profile = a.iam_instance_profile;
  if (a.monitoring === true) attributes.monitoring = true;
  if (Object.keys(tags).length > 0) attributes.tags = tags;
  const blocks: Record<string, Record<string, unknown>[]> = {};
  const metadata = isRecord(a.metadata_options) ? a.metadata_options : null;
  if (metadata?.http_tokens) blocks.metadata_options = [{ http_tokens: metadata.http_tokens, http_endpoint: metadata.http_endpoint ?? 'enabled' }];
  const root = isRecord(a.root_block_device) ? a.root_block_device : null;
  if (root?.volume_size) blocks.root_block_device = [{ volume_size: root.volume_size, volume_type: root.volume_type, encrypted: root.encrypted === true }];
  return { type: TYPE, name: terraformName(str(tags.Name), live.id), importId: live.id, attributes, blocks };
}
