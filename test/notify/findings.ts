// Stored findings as the store hands them to Slack: titles from the risk catalog, attributions
// as CloudTrail reports them, fingerprints as sha256 hex.
import type { Attribution } from '../../src/drift/types.js';
import type { FindingRecord } from '../../src/store/types.js';

export const REPO = 'acme/infra';

export const tanakaOpensSsh: Attribution = {
  actor: 'tanaka',
  actorType: 'iam-user',
  role: null,
  sessionName: null,
  eventName: 'AuthorizeSecurityGroupIngress',
  eventTime: '2024-05-06T08:41:12Z',
  sourceIp: '203.0.113.24',
  console: true,
  eventId: '6f1c2b7e-2f8a-4d3e-9a51-0c7b1e6d4a90',
};

export const deployRoleTurnsOffBlockPublicAccess: Attribution = {
  actor: 'deploy-bot',
  actorType: 'assumed-role',
  role: 'arn:aws:iam::123456789012:role/ci-deploy',
  sessionName: 'deploy-bot',
  eventName: 'DeletePublicAccessBlock',
  eventTime: '2024-05-07T13:02:55Z',
  sourceIp: null,
  console: false,
  eventId: 'c3d9e0a1-7b44-4f0e-8f65-2a1d9b3c8e17',
};

export function securityGroupFinding(overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    repo: REPO,
    workspace: 'prod',
    resourceKey: 'aws_security_group.web-sg',
    fingerprint: '9c1e5f0b7a2d4c6e8f1a3b5d7c9e0f2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c0d2e',
    address: 'aws_security_group.web-sg',
    type: 'aws_security_group',
    cloudId: 'sg-0a1b2c3d4e5f60718',
    region: 'eu-west-1',
    liveType: 'aws_security_group',
    kind: 'modified',
    severity: 'critical',
    title: 'Opened to the entire internet (0.0.0.0/0)',
    attribution: tanakaOpensSsh,
    costDeltaMonthly: 0,
    status: 'open',
    firstSeenAt: '2024-05-06T09:00:04.000Z',
    lastSeenAt: '2024-05-13T06:00:03.000Z',
    resolvedAt: null,
    lastResolvedAt: null,
    episode: 1,
    issueNumber: 42,
    ...overrides,
  };
}

export function bucketFinding(overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    repo: REPO,
    workspace: 'prod',
    resourceKey: 'module.storage.aws_s3_bucket_public_access_block.assets',
    fingerprint: '1b3d5f7a9c0e2a4c6e8a0b2d4f6a8c0e1b3d5f7a9c0e2a4c6e8a0b2d4f6a8c0e',
    address: 'module.storage.aws_s3_bucket_public_access_block.assets',
    type: 'aws_s3_bucket_public_access_block',
    cloudId: 'acme-prod-assets',
    region: 'eu-west-1',
    liveType: 'aws_s3_bucket',
    kind: 'modified',
    severity: 'high',
    title: 'Block Public Access removed from the bucket',
    attribution: deployRoleTurnsOffBlockPublicAccess,
    costDeltaMonthly: 0,
    status: 'open',
    firstSeenAt: '2024-05-08T06:00:02.000Z',
    lastSeenAt: '2024-05-13T06:00:03.000Z',
    resolvedAt: null,
    lastResolvedAt: null,
    episode: 1,
    issueNumber: 43,
    ...overrides,
  };
}

export function instanceFinding(overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    repo: REPO,
    workspace: 'prod',
    resourceKey: 'aws_instance.api',
    fingerprint: '5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a5c7b9d1f3e5a7c9b1d3f5e7a',
    address: 'aws_instance.api',
    type: 'aws_instance',
    cloudId: 'i-0f1e2d3c4b5a69788',
    region: 'eu-west-1',
    liveType: 'aws_instance',
    kind: 'modified',
    severity: 'medium',
    title: 'Security groups attached to the instance changed',
    attribution: {
      actor: 'sato@acme.example',
      actorType: 'sso-user',
      role: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
      sessionName: 'sato@acme.example',
      eventName: 'ModifyInstanceAttribute',
      eventTime: '2024-05-09T10:15:41Z',
      sourceIp: '198.51.100.7',
      console: true,
      eventId: '0d8f2a6c-5b1e-4c9d-a7e3-6f2b8d0c4a19',
    },
    costDeltaMonthly: 0,
    status: 'open',
    firstSeenAt: '2024-05-09T12:00:05.000Z',
    lastSeenAt: '2024-05-13T06:00:03.000Z',
    resolvedAt: null,
    lastResolvedAt: null,
    episode: 1,
    issueNumber: 44,
    ...overrides,
  };
}

/** A c5.2xlarge started by hand: unmanaged, no address, nobody found in CloudTrail. */
export function unmanagedInstanceFinding(overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    repo: REPO,
    workspace: 'prod',
    resourceKey: 'aws_instance:i-0123456789abcdef0',
    fingerprint: 'a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2',
    address: null,
    type: 'aws_instance',
    cloudId: 'i-0123456789abcdef0',
    region: 'eu-west-1',
    liveType: 'aws_instance',
    kind: 'unmanaged',
    severity: 'medium',
    title: 'c5.2xlarge instance launched outside Terraform',
    attribution: null,
    costDeltaMonthly: 248.2,
    status: 'open',
    firstSeenAt: '2024-05-10T06:00:02.000Z',
    lastSeenAt: '2024-05-13T06:00:03.000Z',
    resolvedAt: null,
    lastResolvedAt: null,
    episode: 1,
    issueNumber: null,
    ...overrides,
  };
}

export function issueUrlOf(finding: FindingRecord): string | null {
  return finding.issueNumber === null ? null : `https://github.com/${finding.repo}/issues/${finding.issueNumber}`;
}

export const DASHBOARD_URL = 'https://github.com/acme/infra/issues/1';

/** The mrkdwn and plain text of a message, for assertions on what a reader could see. */
export function allText(message: { text: string; blocks: unknown[] }): string {
  return JSON.stringify(message);
}
