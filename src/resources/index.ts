// The registry of resource families. Adding coverage = a folder under resources/ exporting a
// ResourceFamily, registered here (and its collector in collectors.ts); the conformance test in
// test/resources/conformance.test.ts checks every entry.
import { ec2Instances } from './ec2-instances/index.js';
import type { ResourceFamily } from './family.js';
import { familiesByType } from './families-by-type.js';
import { iamPolicies } from './iam/policies.js';
import { iamRoles } from './iam/roles.js';
import { rdsInstances } from './rds-instances/index.js';
import { s3Buckets } from './s3-buckets/index.js';
import { securityGroups } from './security-groups/index.js';

export const families: readonly ResourceFamily[] = [ec2Instances, securityGroups, s3Buckets, rdsInstances, iamRoles, iamPolicies];

const byTerraformType = familiesByType(families);

/** The family covering a Terraform type, or undefined when driftwatch does not cover it. */
export function familyForType(type: string): ResourceFamily | undefined {
  return byTerraformType.get(type);
}

export function familyForLiveType(type: string): ResourceFamily | undefined {
  return families.find((family) => family.liveType === type);
}
