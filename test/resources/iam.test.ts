import { describe, expect, it } from 'vitest';
import { analyzeFixture } from './analyze-fixture.js';
import type { LiveFiles } from './fixture-inventory.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const gaad = (f: LiveFiles): any => f['iam-GetAccountAuthorizationDetails.json'];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const role = (f: LiveFiles, name: string): any => gaad(f).RoleDetailList.find((r: { RoleName: string }) => r.RoleName === name);

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

describe('IAM roles, attachments, inline policies and customer-managed policies', () => {
  it('AdministratorAccess attached to a role by hand: critical, CIS 1.16, with a detach command', () => {
    const result = analyzeFixture('vpc-rules-new-style', {
      edit: (f) => role(f, 'kiln-worker').AttachedManagedPolicies.push({ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }),
    });
    const drift = result.drifts.find((d) => d.address === 'aws_iam_role.worker')!;
    expect(drift).toMatchObject({ kind: 'modified', id: 'kiln-worker', severity: 'critical', changes: [{ path: 'managed_policy_arns', declared: null, live: ADMIN }] });
    expect(drift.controls.cis).toEqual(['1.16']);
    expect(drift.title).toContain('AdministratorAccess');
  });

  it('an aws_iam_role_policy_attachment detached by hand is that resource deleted', () => {
    const result = analyzeFixture('vpc-rules-new-style', { edit: (f) => (role(f, 'kiln-worker').AttachedManagedPolicies = []) });
    const drift = result.drifts.find((d) => d.address === 'aws_iam_role_policy_attachment.worker_readonly')!;
    expect(drift).toMatchObject({ kind: 'deleted', severity: 'low' });
    // The role's mirrored managed_policy_arns is not reported a second time.
    expect(result.drifts.find((d) => d.address === 'aws_iam_role.worker')).toBeUndefined();
  });

  it('the exclusive aws_iam_policy_attachment losing its role', () => {
    const result = analyzeFixture('legacy-inline', { edit: (f) => (role(f, 'millbrook-app').AttachedManagedPolicies = []) });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ kind: 'modified', address: 'aws_iam_policy_attachment.deploy', changes: [{ path: 'roles', declared: 'millbrook-app', live: null }] });
  });

  it('trust policy opened to any principal: critical', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => {
        role(f, 'millbrook-app').AssumeRolePolicyDocument = encodeURIComponent(JSON.stringify(trust));
        f['iam-GetRole-millbrook-app.json'].Role.AssumeRolePolicyDocument = encodeURIComponent(JSON.stringify(trust));
      },
    });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ address: 'aws_iam_role.app', severity: 'critical' });
    expect(result.drifts[0]!.changes[0]!.path).toBe('assume_role_policy');
    // Stored decoded, so a reviewer reads JSON, not %7B%22…
    expect(result.drifts[0]!.changes[0]!.live).toBe(JSON.stringify(trust));
  });

  it('an inline policy (aws_iam_role_policy) widened to *:* is an admin statement on that resource', () => {
    const admin = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const result = analyzeFixture('legacy-inline', { edit: (f) => (role(f, 'millbrook-app').RolePolicyList[0].PolicyDocument = admin) });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ address: 'aws_iam_role_policy.artifacts_read', severity: 'critical', changes: [{ path: 'policy', live: admin }] });
    expect(result.drifts[0]!.controls.cis).toEqual(['1.16']);
  });

  it('an inline policy that is the same document written differently is not drift', () => {
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => {
        const entry = role(f, 'millbrook-app').RolePolicyList[0];
        const doc = JSON.parse(entry.PolicyDocument);
        doc.Statement[0].Action.reverse();
        doc.Statement[0].Resource.reverse();
        entry.PolicyDocument = encodeURIComponent(JSON.stringify(doc, null, 4));
      },
    });
    expect(result.drifts).toEqual([]);
  });

  it('an extra inline policy on a role that declares none of its own', () => {
    const result = analyzeFixture('vpc-rules-new-style', {
      edit: (f) => (role(f, 'kiln-worker').RolePolicyList = [{ PolicyName: 'debug', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' }]),
    });
    const drift = result.drifts.find((d) => d.address === 'aws_iam_role.worker')!;
    expect(drift).toMatchObject({ severity: 'medium', changes: [{ path: 'inline_policy', declared: null, live: { name: 'debug' } }] });
  });

  it('a description edited in the console (from ListRoles)', () => {
    const result = analyzeFixture('legacy-inline', { edit: (f) => (f['iam-GetRole-millbrook-app.json'].Role.Description = 'temp access') });
    expect(result.drifts[0]).toMatchObject({ address: 'aws_iam_role.app', changes: [{ path: 'description', declared: 'Assumed by millbrook application hosts', live: 'temp access' }], severity: 'low' });
  });

  it('a customer-managed policy given a new default version', () => {
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => (gaad(f).Policies[0].PolicyVersionList[0].Document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'),
    });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ address: 'aws_iam_policy.deploy', severity: 'critical', changes: [{ path: 'policy' }] });
  });

  it('unmanaged: a hand-made admin role is critical; service-linked and SSO roles never count', () => {
    const base = { Path: '/', CreateDate: '2026-11-20T00:00:00Z', AssumeRolePolicyDocument: '{}', RolePolicyList: [], InstanceProfileList: [], Tags: [] };
    const result = analyzeFixture('vpc-rules-new-style', {
      edit: (f) =>
        gaad(f).RoleDetailList.push(
          { ...base, RoleName: 'break-glass', Arn: 'arn:aws:iam::123456789012:role/break-glass', AttachedManagedPolicies: [{ PolicyArn: ADMIN }] },
          { ...base, RoleName: 'AWSServiceRoleForRDS', Path: '/aws-service-role/rds.amazonaws.com/', AttachedManagedPolicies: [] },
          { ...base, RoleName: 'AWSReservedSSO_Admin_0123', Path: '/aws-reserved/sso.amazonaws.com/', AttachedManagedPolicies: [{ PolicyArn: ADMIN }] },
        ),
    });
    const iam = result.drifts.filter((d) => d.type.startsWith('aws_iam'));
    expect(iam.map((d) => [d.kind, d.id, d.severity])).toEqual([['unmanaged', 'break-glass', 'critical']]);
  });
});
