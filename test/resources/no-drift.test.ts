// The real-provider fixtures were read right after `terraform apply -refresh-only`: state and live
// agree. Anything reported here is a false positive, except the emulator artifacts their NOTES.md
// list.
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/drift/diff.js';
import { families } from '../../src/resources/index.js';
import { fixtureInventory, fixtureState } from './fixture-inventory.js';

const context = { defaultRegion: 'us-east-1', regionByAlias: {} };

function run(folder: string) {
  return diff({ state: fixtureState(folder), inventory: fixtureInventory(folder), families, context });
}

describe('no drift on the real-provider fixtures', () => {
  it('count-foreach-modules: module for_each, count, aws_security_group_rule, split S3 settings, default_tags', () => {
    const result = run('count-foreach-modules');
    expect(result.drifts).toEqual([]);
    // 4 instances, 2 groups, 2 buckets; the default VPC's default group is not unmanaged.
    expect(result.coverage).toEqual({ managed: 8, unmanaged: 0, percent: 100 });
    expect(result.unknown).toEqual([]);
  });

  it('legacy-inline: inline rules, inline S3 settings, heredoc IAM policies, RDS with a password', () => {
    const result = run('legacy-inline');
    expect(result.drifts).toEqual([]);
    expect(result.coverage).toEqual({ managed: 7, unmanaged: 0, percent: 100 });
  });

  it('vpc-rules-new-style: only the descriptions the two EC2 rule APIs disagree on (NOTES.md artifact 1)', () => {
    const result = run('vpc-rules-new-style');
    // DescribeSecurityGroupRules drops these descriptions and the provider stored null;
    // DescribeSecurityGroups, which driftwatch reads rule contents from, keeps them.
    expect(result.drifts.map((d) => [d.kind, d.address, d.changes])).toEqual([
      ['modified', 'aws_vpc_security_group_egress_rule.lb_to_workers', [{ path: 'description', declared: null, live: 'Forward to the workers' }]],
      ['modified', 'aws_vpc_security_group_ingress_rule.worker_from_lb', [{ path: 'description', declared: null, live: 'Traffic from the load balancer' }]],
    ]);
    // The VPC's own default group and the default VPC's are AWS-created.
    expect(result.coverage.unmanaged).toBe(0);
  });
});
