// aws_security_group from AWS: DescribeSecurityGroups (every page) and DescribeSecurityGroupRules
// for the same groups, filtered by group id in batches, so rule ids and rule tags can be attached.
import {
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  type SecurityGroup,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { chunks, mapLimit } from '../../aws/map-limit.js';
import type { CollectContext, Collector } from '../collectors.js';
import type { RawSecurityGroups } from '../raw-types.js';
import { normalizeSecurityGroups } from './normalize.js';

const GROUP_BATCH = 200;
const PARALLEL_BATCHES = 5;

export async function collectSecurityGroups(ctx: Pick<CollectContext, 'clients' | 'region'>): Promise<RawSecurityGroups> {
  const client = ctx.clients.ec2(ctx.region);
  const groups: SecurityGroup[] = [];
  for await (const page of paginateDescribeSecurityGroups({ client, pageSize: 1000 }, {})) {
    groups.push(...(page.SecurityGroups ?? []));
  }
  const groupIds = groups.map((group) => group.GroupId).filter((id): id is string => typeof id === 'string');
  const batches = await mapLimit(chunks(groupIds, GROUP_BATCH), PARALLEL_BATCHES, async (ids) => {
    const rules: SecurityGroupRule[] = [];
    const pages = paginateDescribeSecurityGroupRules({ client, pageSize: 1000 }, { Filters: [{ Name: 'group-id', Values: ids }] });
    for await (const page of pages) rules.push(...(page.SecurityGroupRules ?? []));
    return rules;
  });
  return { region: ctx.region, groups, rules: batches.flat() };
}

export const securityGroupsCollector: Collector = {
  family: 'security-groups',
  liveTypes: ['aws_security_group'],
  scope: 'region',
  collect: async (ctx) => normalizeSecurityGroups(await collectSecurityGroups(ctx)),
};
