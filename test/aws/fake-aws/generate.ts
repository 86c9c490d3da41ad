// A simulated account of any size, every object cloned from a real fixture response and given
// fresh ids, for the benchmark and for tests that need more objects than one page or one batch.
import type { Instance, SecurityGroup, SecurityGroupRule, Volume } from '@aws-sdk/client-ec2';
import type { ManagedPolicyDetail, RoleDetail } from '@aws-sdk/client-iam';
import type { DBInstance } from '@aws-sdk/client-rds';
import { emptyRegion, type FakeAccountData, type FakeBucket, type FakeRole } from './account.js';
import { fixtureAccount, readLive } from './fixtures.js';

export interface AccountSize {
  instances: number;
  securityGroups: number;
  /** Rules per security group. */
  rulesPerGroup?: number;
  buckets: number;
  dbInstances: number;
  roles: number;
  /** Inline policies per role. */
  inlinePoliciesPerRole?: number;
  policies?: number;
  regions?: string[];
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export function simulatedAccount(size: AccountSize): FakeAccountData {
  const regionNames = size.regions ?? ['us-east-1'];
  const ec2 = fixtureAccount('count-foreach-modules');
  const legacy = fixtureAccount('legacy-inline');
  const instanceTemplate = ec2.regions['us-east-1']?.instances[0] as Instance;
  const volumeTemplate = ec2.regions['us-east-1']?.volumes[0] as Volume;
  const groupTemplate = legacy.regions['us-east-1']?.securityGroups.find((g) => g.GroupName === 'millbrook-web') as SecurityGroup;
  const ruleTemplate = legacy.regions['us-east-1']?.securityGroupRules[0] as SecurityGroupRule;
  const dbTemplate = legacy.regions['us-east-1']?.dbInstances[0] as DBInstance;
  const roleTemplate = legacy.roles[0] as RoleDetail;
  const policyTemplate = legacy.policies[0] as ManagedPolicyDetail;
  const bucketTemplate = ec2.buckets[0] as FakeBucket;

  const regions: FakeAccountData['regions'] = {};
  regionNames.forEach((regionName, r) => {
    const region = emptyRegion();
    for (let i = 0; i < size.instances; i++) {
      const id = `i-${hex(r, 2)}${hex(i, 15)}`;
      const volumeId = `vol-${hex(r, 2)}${hex(i, 15)}`;
      const instance = clone(instanceTemplate);
      instance.InstanceId = id;
      instance.BlockDeviceMappings = [{ DeviceName: instance.RootDeviceName, Ebs: { ...instance.BlockDeviceMappings?.[0]?.Ebs, VolumeId: volumeId } }];
      instance.Tags = [{ Key: 'Name', Value: `app-${i}` }];
      region.instances.push(instance);
      const volume = clone(volumeTemplate);
      volume.VolumeId = volumeId;
      volume.Attachments = [{ ...volume.Attachments?.[0], VolumeId: volumeId, InstanceId: id }];
      region.volumes.push(volume);
    }
    for (let g = 0; g < size.securityGroups; g++) {
      const groupId = `sg-${hex(r, 2)}${hex(g, 15)}`;
      const group = clone(groupTemplate);
      group.GroupId = groupId;
      group.GroupName = `app-${g}`;
      region.securityGroups.push(group);
      for (let k = 0; k < (size.rulesPerGroup ?? 4); k++) {
        const rule = clone(ruleTemplate);
        rule.SecurityGroupRuleId = `sgr-${hex(r, 2)}${hex(g, 11)}${hex(k, 4)}`;
        rule.GroupId = groupId;
        rule.FromPort = 1000 + k;
        rule.ToPort = 1000 + k;
        region.securityGroupRules.push(rule);
      }
    }
    for (let d = 0; d < size.dbInstances; d++) {
      const db = clone(dbTemplate);
      db.DBInstanceIdentifier = `db-${r}-${d}`;
      db.DbiResourceId = `db-${hex(r, 2)}${hex(d, 24)}`;
      db.DBInstanceArn = `arn:aws:rds:${regionName}:123456789012:db:db-${r}-${d}`;
      region.dbInstances.push(db);
    }
    regions[regionName] = region;
  });

  const buckets: FakeBucket[] = [];
  for (let b = 0; b < size.buckets; b++) {
    const bucket = clone(bucketTemplate);
    bucket.name = `sim-bucket-${b}`;
    bucket.region = regionNames[b % regionNames.length] as string;
    bucket.listsRegion = true;
    buckets.push(bucket);
  }

  const roles: FakeRole[] = [];
  for (let n = 0; n < size.roles; n++) {
    const role: FakeRole = clone(roleTemplate);
    role.RoleName = `sim-role-${n}`;
    role.RoleId = `AROA${hex(n, 16).toUpperCase()}`;
    role.Arn = `arn:aws:iam::123456789012:role/service/sim-role-${n}`;
    const inline = role.RolePolicyList?.[0];
    role.RolePolicyList = inline ? Array.from({ length: size.inlinePoliciesPerRole ?? 1 }, (_, i) => ({ ...inline, PolicyName: `inline-${i}` })) : [];
    role.Description = `simulated role ${n}`;
    role.MaxSessionDuration = 3600;
    roles.push(role);
  }
  const policies: ManagedPolicyDetail[] = [];
  for (let n = 0; n < (size.policies ?? 0); n++) {
    const policy = clone(policyTemplate);
    policy.PolicyName = `sim-policy-${n}`;
    policy.Arn = `arn:aws:iam::123456789012:policy/sim-policy-${n}`;
    policies.push(policy);
  }

  return { accountId: '123456789012', regions, buckets, roles, policies };
}

/** What a fresh account holds before anyone builds anything: the default VPC's default security
 * group and the service-linked roles AWS creates on its own. */
export function defaultsOnlyAccount(): FakeAccountData {
  const region = emptyRegion();
  const groups = readLive<{ SecurityGroups: SecurityGroup[] }>('legacy-inline', 'ec2-DescribeSecurityGroups.json').SecurityGroups;
  const defaultGroup = groups.find((g) => g.GroupName === 'default') as SecurityGroup;
  region.securityGroups = [defaultGroup];
  region.securityGroupRules = [
    {
      SecurityGroupRuleId: 'sgr-0default0egress',
      GroupId: defaultGroup.GroupId,
      GroupOwnerId: '123456789012',
      IsEgress: true,
      IpProtocol: '-1',
      FromPort: -1,
      ToPort: -1,
      CidrIpv4: '0.0.0.0/0',
      Tags: [],
    },
  ];
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const roles: FakeRole[] = [
    {
      Path: '/aws-service-role/support.amazonaws.com/',
      RoleName: 'AWSServiceRoleForSupport',
      RoleId: 'AROADEFAULTSUPPORT0001',
      Arn: 'arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
      CreateDate: new Date('2026-01-05T10:00:00Z'),
      AssumeRolePolicyDocument: encodeURIComponent(trust),
      RolePolicyList: [],
      AttachedManagedPolicies: [{ PolicyName: 'AWSSupportServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy' }],
      Tags: [],
      InstanceProfileList: [],
      Description: 'Enables resource access for AWS to provide billing, administrative and support services',
      MaxSessionDuration: 3600,
    },
  ];
  return { accountId: '123456789012', regions: { 'us-east-1': region }, buckets: [], roles, policies: [] };
}
