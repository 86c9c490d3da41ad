// GetAccountAuthorizationDetails (+ ListRoles) → aws_iam_role and aws_iam_policy live objects.
// IAM returns policy documents URL-encoded; they are decoded here so that every later step sees
// plain JSON.
import type { ManagedPolicyDetail, Role, RoleDetail } from '@aws-sdk/client-iam';
import { tagsFromList } from '../../drift/tags.js';
import { isoDate, sortedStrings } from '../../drift/values.js';
import type { LiveResource } from '../live-types.js';
import type { RawIam } from '../raw-types.js';

export function normalizeIam(raw: RawIam): LiveResource[] {
  const listed = new Map<string, Role>();
  for (const role of raw.listedRoles ?? []) if (role.RoleName) listed.set(role.RoleName, role);
  const out: LiveResource[] = [];
  for (const role of raw.roles) {
    if (!role.RoleName) continue;
    out.push({ type: 'aws_iam_role', id: role.RoleName, region: 'global', attributes: roleAttributes(role, listed.get(role.RoleName), raw.listedRoles !== undefined) });
  }
  for (const policy of raw.policies) {
    if (!policy.Arn) continue;
    out.push({ type: 'aws_iam_policy', id: policy.Arn, region: 'global', attributes: policyAttributes(policy) });
  }
  return out;
}

function roleAttributes(role: RoleDetail, listed: Role | undefined, listingRan: boolean): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    name: role.RoleName,
    arn: role.Arn ?? null,
    path: role.Path ?? '/',
    permissions_boundary: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    assume_role_policy: decodeDocument(role.AssumeRolePolicyDocument),
    inline_policies: (role.RolePolicyList ?? []).map((p) => ({ name: p.PolicyName ?? '', policy: decodeDocument(p.PolicyDocument) })),
    managed_policy_arns: sortedStrings((role.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn)),
    create_date: isoDate(role.CreateDate),
    tags: tagsFromList(role.Tags),
  };
  // GetAccountAuthorizationDetails leaves these two out; they come from ListRoles when it ran.
  if (listingRan) {
    attributes.description = listed?.Description ?? null;
    attributes.max_session_duration = listed?.MaxSessionDuration ?? null;
  }
  return attributes;
}

function policyAttributes(policy: ManagedPolicyDetail): Record<string, unknown> {
  const version = (policy.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? policy.PolicyVersionList?.[0];
  return {
    name: policy.PolicyName ?? null,
    arn: policy.Arn,
    path: policy.Path ?? '/',
    description: policy.Description ?? null,
    policy: decodeDocument(version?.Document),
    attachment_count: policy.AttachmentCount ?? 0,
  };
}

export function decodeDocument(document: string | undefined): string | null {
  if (document === undefined || document === '') return null;
  if (!/^\s*%7B/i.test(document) && !/^%/.test(document)) return document;
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}
