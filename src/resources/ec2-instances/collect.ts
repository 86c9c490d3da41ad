// aws_instance from AWS: DescribeInstances (every page), then DescribeVolumes for the root volumes
// only, in batches, never one call per instance.
import { paginateDescribeInstances, paginateDescribeVolumes, type Instance, type Volume } from '@aws-sdk/client-ec2';
import { chunks, mapLimit } from '../../aws/map-limit.js';
import type { CollectContext, Collector } from '../collectors.js';
import type { RawEc2Instances } from '../raw-types.js';
import { normalizeEc2Instances } from './normalize.js';

// Instances on their way out are not part of the inventory; leaving them out server-side also
// keeps them off the wire.
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];
const GONE_STATES = new Set(['terminated', 'shutting-down']);
const VOLUME_BATCH = 200;
const PARALLEL_BATCHES = 5;

export async function collectEc2Instances(ctx: Pick<CollectContext, 'clients' | 'region'>): Promise<RawEc2Instances> {
  const client = ctx.clients.ec2(ctx.region);
  const instances: Instance[] = [];
  const pages = paginateDescribeInstances(
    { client, pageSize: 1000 },
    { Filters: [{ Name: 'instance-state-name', Values: LIVE_STATES }] },
  );
  for await (const page of pages) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (!GONE_STATES.has(instance.State?.Name ?? '')) instances.push(instance);
      }
    }
  }

  const rootVolumeIds = [...new Set(instances.map(rootVolumeId).filter((id): id is string => id !== undefined))];
  // A volume-id filter rather than VolumeIds: a volume deleted between the two calls is simply
  // absent, where VolumeIds would fail the whole batch with InvalidVolume.NotFound.
  const batches = await mapLimit(chunks(rootVolumeIds, VOLUME_BATCH), PARALLEL_BATCHES, async (ids) => {
    const volumes: Volume[] = [];
    const volumePages = paginateDescribeVolumes({ client, pageSize: 500 }, { Filters: [{ Name: 'volume-id', Values: ids }] });
    for await (const page of volumePages) volumes.push(...(page.Volumes ?? []));
    return volumes;
  });
  return { region: ctx.region, instances, volumes: batches.flat() };
}

function rootVolumeId(instance: Instance): string | undefined {
  const root = (instance.BlockDeviceMappings ?? []).find((mapping) => mapping.DeviceName === instance.RootDeviceName);
  return root?.Ebs?.VolumeId;
}

export const ec2InstancesCollector: Collector = {
  family: 'ec2-instances',
  liveTypes: ['aws_instance'],
  scope: 'region',
  collect: async (ctx) => normalizeEc2Instances(await collectEc2Instances(ctx)),
};
