// Findings and scans as the scan pipeline hands them to the store: real Terraform addresses,
// AWS ids, titles from the risk rules and CloudTrail attribution.
import { createHash } from 'node:crypto';
import type { Attribution } from '../../src/drift/types.js';
import type { FindingInput, ScanRecordInput } from '../../src/store/types.js';

export const REPO = 'acme/infra';

export function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

export const mariaAuthorizedIngress: Attribution = {
  actor: 'maria.garcia',
  actorType: 'iam-user',
  role: null,
  sessionName: null,
  eventName: 'AuthorizeSecurityGroupIngress',
  eventTime: '2026-11-21T09:14:27.000Z',
  sourceIp: '203.0.113.45',
  console: true,
  eventId: 'b7c1d9e2-4f3a-4c5b-8d6e-0a1b2c3d4e5f',
};

/** 0.0.0.0/0 on port 22 added to the web tier's security group (via an aws_security_group_rule). */
export function openSsh(workspace = 'prod', change = 'ingress 22/tcp 0.0.0.0/0'): FindingInput {
  return {
    workspace,
    resourceKey: 'aws_security_group_rule.web_ssh',
    fingerprint: fingerprint(workspace, 'modified', 'aws_security_group_rule.web_ssh', change),
    address: 'aws_security_group_rule.web_ssh',
    type: 'aws_security_group_rule',
    cloudId: 'sgrule-2887245162',
    region: 'us-east-1',
    liveType: 'aws_security_group',
    kind: 'modified',
    severity: 'critical',
    title: 'Opened to the entire internet (0.0.0.0/0)',
    attribution: mariaAuthorizedIngress,
    costDeltaMonthly: null,
  };
}

export function publicExportsBucket(workspace = 'prod'): FindingInput {
  return {
    workspace,
    resourceKey: 'aws_s3_bucket_public_access_block.exports',
    fingerprint: fingerprint(workspace, 'modified', 'aws_s3_bucket_public_access_block.exports', 'block_public_policy true→false'),
    address: 'aws_s3_bucket_public_access_block.exports',
    type: 'aws_s3_bucket_public_access_block',
    cloudId: 'granary-prod-exports',
    region: 'us-east-1',
    liveType: 'aws_s3_bucket',
    kind: 'modified',
    severity: 'high',
    title: 'Public access block disabled',
    attribution: {
      actor: 'AWSReservedSSO_AdministratorAccess_4f2c1a/kenji.tanaka@acme.example',
      actorType: 'sso-user',
      role: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_4f2c1a',
      sessionName: 'kenji.tanaka@acme.example',
      eventName: 'DeletePublicAccessBlock',
      eventTime: '2026-11-20T16:02:11.000Z',
      sourceIp: '198.51.100.7',
      console: false,
      eventId: '3e9f1c7a-0b2d-4e6f-9a8b-7c6d5e4f3a2b',
    },
    costDeltaMonthly: null,
  };
}

/** An instance launched by hand in the workspace's VPC, in no state. */
export function unmanagedInstance(workspace = 'prod'): FindingInput {
  return {
    workspace,
    resourceKey: 'aws_instance:i-0f1e2d3c4b5a69788',
    fingerprint: fingerprint(workspace, 'unmanaged', 'aws_instance', 'i-0f1e2d3c4b5a69788'),
    address: null,
    type: 'aws_instance',
    cloudId: 'i-0f1e2d3c4b5a69788',
    region: 'eu-west-1',
    liveType: 'aws_instance',
    kind: 'unmanaged',
    severity: 'medium',
    title: 'Instance not managed by Terraform (m5.large)',
    attribution: null,
    costDeltaMonthly: 70.08,
  };
}

export function deletedOrdersDb(workspace = 'prod'): FindingInput {
  return {
    workspace,
    resourceKey: 'module.orders.aws_db_instance.this',
    fingerprint: fingerprint(workspace, 'deleted', 'module.orders.aws_db_instance.this'),
    address: 'module.orders.aws_db_instance.this',
    type: 'aws_db_instance',
    cloudId: 'orders-prod',
    region: 'us-west-2',
    liveType: 'aws_db_instance',
    kind: 'deleted',
    severity: 'high',
    title: 'Database deleted outside Terraform',
    attribution: null,
    costDeltaMonthly: -182.5,
  };
}

export function scanInput(overrides: Partial<ScanRecordInput> & { finishedAt: string }): ScanRecordInput {
  return {
    repo: REPO,
    installationId: 48_213_907,
    workspace: 'prod',
    commitSha: '9f2c4e1b7a3d5f6e8c0b1a2d3e4f5a6b7c8d9e0f',
    trigger: 'schedule',
    status: 'complete',
    error: null,
    // A scan takes about 41 s.
    startedAt: overrides.startedAt ?? new Date(Date.parse(overrides.finishedAt) - 41_250).toISOString(),
    counts: { critical: 0, high: 0, medium: 0, low: 0 },
    postureScore: 100,
    apiCalls: 37,
    unknown: [],
    ...overrides,
  };
}
