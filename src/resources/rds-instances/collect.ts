// aws_db_instance from AWS: DescribeDBInstances, every page (tags come with it).
import { paginateDescribeDBInstances, type DBInstance } from '@aws-sdk/client-rds';
import type { CollectContext, Collector } from '../collectors.js';
import type { RawDbInstances } from '../raw-types.js';
import { normalizeDbInstances } from './normalize.js';

// The RDS API also lists DocumentDB and Neptune instances; Terraform manages those as
// aws_docdb_cluster_instance and aws_neptune_cluster_instance, so as aws_db_instance they would
// all look unmanaged.
const OTHER_SERVICES = new Set(['docdb', 'neptune']);

export async function collectDbInstances(ctx: Pick<CollectContext, 'clients' | 'region'>): Promise<RawDbInstances> {
  const client = ctx.clients.rds(ctx.region);
  const instances: DBInstance[] = [];
  for await (const page of paginateDescribeDBInstances({ client, pageSize: 100 }, {})) {
    for (const instance of page.DBInstances ?? []) {
      if (!OTHER_SERVICES.has(instance.Engine ?? '')) instances.push(instance);
    }
  }
  return { region: ctx.region, instances };
}

export const rdsInstancesCollector: Collector = {
  family: 'rds-instances',
  liveTypes: ['aws_db_instance'],
  scope: 'region',
  collect: async (ctx) => normalizeDbInstances(await collectDbInstances(ctx)),
};
