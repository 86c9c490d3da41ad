// DescribeInstances + DescribeVolumes → aws_instance live objects (docs/inventory.md).
import type { Instance, Volume } from '@aws-sdk/client-ec2';
import { launchedBy, tagsFromList } from '../../drift/tags.js';
import { isoDate, sortedStrings, str } from '../../drift/values.js';
import type { LiveResource } from '../live-types.js';
import type { RawEc2Instances } from '../raw-types.js';

const GONE = new Set(['terminated', 'shutting-down']);

export function normalizeEc2Instances(raw: RawEc2Instances): LiveResource[] {
  const volumes = new Map<string, Volume>();
  for (const volume of raw.volumes) if (volume.VolumeId) volumes.set(volume.VolumeId, volume);
  const out: LiveResource[] = [];
  for (const instance of raw.instances) {
    const state = instance.State?.Name ?? null;
    if (!instance.InstanceId || (state !== null && GONE.has(state))) continue;
    out.push({ type: 'aws_instance', id: instance.InstanceId, region: raw.region, attributes: instanceAttributes(instance, volumes) });
  }
  return out;
}

function instanceAttributes(instance: Instance, volumes: Map<string, Volume>): Record<string, unknown> {
  const metadata = instance.MetadataOptions;
  return {
    instance_type: instance.InstanceType ?? null,
    state: instance.State?.Name ?? null,
    ami: instance.ImageId ?? null,
    subnet_id: instance.SubnetId ?? null,
    vpc_id: instance.VpcId ?? null,
    availability_zone: instance.Placement?.AvailabilityZone ?? null,
    key_name: str(instance.KeyName),
    iam_instance_profile: profileName(instance.IamInstanceProfile?.Arn),
    vpc_security_group_ids: sortedStrings((instance.SecurityGroups ?? []).map((group) => group.GroupId)),
    monitoring: instance.Monitoring?.State === 'enabled' || instance.Monitoring?.State === 'pending',
    source_dest_check: instance.SourceDestCheck ?? null,
    ebs_optimized: instance.EbsOptimized ?? false,
    metadata_options: metadata
      ? {
          http_endpoint: metadata.HttpEndpoint ?? null,
          http_tokens: metadata.HttpTokens ?? null,
          http_put_response_hop_limit: metadata.HttpPutResponseHopLimit ?? null,
          instance_metadata_tags: metadata.InstanceMetadataTags ?? null,
        }
      : null,
    root_block_device: rootBlockDevice(instance, volumes),
    public_ip: str(instance.PublicIpAddress),
    private_ip: str(instance.PrivateIpAddress),
    platform: str(instance.PlatformDetails),
    tenancy: instance.Placement?.Tenancy ?? null,
    launch_time: isoDate(instance.LaunchTime),
    launched_by: launchedBy(instance.Tags),
    tags: tagsFromList(instance.Tags),
  };
}

function rootBlockDevice(instance: Instance, volumes: Map<string, Volume>): Record<string, unknown> | null {
  const mapping = (instance.BlockDeviceMappings ?? []).find((m) => m.DeviceName === instance.RootDeviceName);
  if (!mapping?.Ebs) return null;
  const volume = mapping.Ebs.VolumeId ? volumes.get(mapping.Ebs.VolumeId) : undefined;
  return {
    volume_id: mapping.Ebs.VolumeId ?? null,
    device_name: mapping.DeviceName ?? null,
    volume_size: volume?.Size ?? null,
    volume_type: volume?.VolumeType ?? null,
    encrypted: volume?.Encrypted ?? null,
    iops: volume?.Iops ?? null,
    throughput: volume?.Throughput ?? null,
    kms_key_id: str(volume?.KmsKeyId),
    // The instance's mapping is what Terraform reads; the volume attachment's flag can disagree.
    delete_on_termination: mapping.Ebs.DeleteOnTermination ?? null,
  };
}

/** arn:aws:iam::123456789012:instance-profile/path/name → name */
function profileName(arn: string | undefined): string | null {
  if (!arn) return null;
  const slash = arn.lastIndexOf('/');
  return slash === -1 ? null : arn.slice(slash + 1);
}
