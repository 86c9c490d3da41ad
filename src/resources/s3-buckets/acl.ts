// Bucket ACLs as sets of grants, and the canned ACL a set of grants amounts to.
import { isRecord, str } from '../../drift/values.js';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

export interface Grant {
  type: string;
  grantee: string;
  permission: string;
}

export function grantKey(grant: Grant): string {
  return `${grant.type}|${grant.grantee}|${grant.permission}`;
}

/** Live grants (docs/inventory.md shape). */
export function liveGrants(acl: unknown): Grant[] {
  if (!isRecord(acl) || !Array.isArray(acl.grants)) return [];
  return acl.grants.filter(isRecord).map((g) => ({
    type: String(g.type ?? ''),
    grantee: str(g.id) ?? str(g.uri) ?? str(g.email) ?? '',
    permission: String(g.permission ?? ''),
  }));
}

/** `aws_s3_bucket.grant` in state: one entry per grantee with a list of permissions. */
export function bucketStateGrants(value: unknown): Grant[] {
  if (!Array.isArray(value)) return [];
  const grants: Grant[] = [];
  for (const entry of value.filter(isRecord)) {
    const grantee = str(entry.id) ?? str(entry.uri) ?? '';
    for (const permission of Array.isArray(entry.permissions) ? entry.permissions : []) {
      grants.push({ type: String(entry.type ?? ''), grantee, permission: String(permission) });
    }
  }
  return grants;
}

/** `aws_s3_bucket_acl.access_control_policy[0].grant` in state. */
export function aclResourceGrants(value: unknown): Grant[] {
  if (!Array.isArray(value)) return [];
  const grants: Grant[] = [];
  for (const entry of value.filter(isRecord)) {
    const grantee = Array.isArray(entry.grantee) && isRecord(entry.grantee[0]) ? entry.grantee[0] : {};
    grants.push({
      type: String(grantee.type ?? ''),
      grantee: str(grantee.id) ?? str(grantee.uri) ?? str(grantee.email_address) ?? '',
      permission: String(entry.permission ?? ''),
    });
  }
  return grants;
}

/** The canned ACL these grants amount to, or "custom". */
export function cannedAcl(grants: Grant[], ownerId: string | null): string {
  const others = grants.filter((g) => !(g.type === 'CanonicalUser' && g.grantee === ownerId && g.permission === 'FULL_CONTROL'));
  const set = new Set(others.map((g) => `${g.grantee}|${g.permission}`));
  const is = (...members: string[]) => set.size === members.length && members.every((m) => set.has(m));
  if (set.size === 0) return 'private';
  if (is(`${ALL_USERS}|READ`)) return 'public-read';
  if (is(`${ALL_USERS}|READ`, `${ALL_USERS}|WRITE`)) return 'public-read-write';
  if (is(`${AUTHENTICATED_USERS}|READ`)) return 'authenticated-read';
  if (is(`${LOG_DELIVERY}|WRITE`, `${LOG_DELIVERY}|READ_ACP`)) return 'log-delivery-write';
  return 'custom';
}

export function publicGrantee(grantee: string): string | null {
  if (grantee === ALL_USERS) return 'everyone (AllUsers)';
  if (grantee === AUTHENTICATED_USERS) return 'any AWS account (AuthenticatedUsers)';
  return null;
}
