// What an IAM change grants.
import { policyStatements } from '../../drift/policy-document.js';
import { isRecord } from '../../drift/values.js';

/** AWS-managed policies that amount to full administrative access (IAMFullAccess can grant
 * itself anything). */
const ADMIN_POLICIES = new Set(['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/IAMFullAccess']);

export function isAdminPolicyArn(arn: string): boolean {
  return ADMIN_POLICIES.has(arn.replace(/^arn:aws[\w-]*:/, 'arn:aws:'));
}

/** An Allow of every action on every resource: CIS "*:*". */
export function hasAdminStatement(policy: unknown): boolean {
  return policyStatements(policy).some((s) => {
    if (s.Effect !== 'Allow') return false;
    const actions = Array.isArray(s.Action) ? s.Action : [];
    const resources = Array.isArray(s.Resource) ? s.Resource : [];
    return (actions.includes('*') || actions.includes('*:*')) && resources.includes('*');
  });
}

/** Whether a trust policy lets any principal assume the role. */
export function trustsEveryone(policy: unknown): boolean {
  return policyStatements(policy).some((s) => s.Effect === 'Allow' && s.Principal === '*');
}

/** Accounts a trust policy lets assume the role. */
export function trustedAccounts(policy: unknown): Set<string> {
  const found = new Set<string>();
  for (const s of policyStatements(policy)) {
    if (s.Effect !== 'Allow' || !isRecord(s.Principal) || !Array.isArray(s.Principal.AWS)) continue;
    for (const principal of s.Principal.AWS) {
      const match = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(String(principal));
      if (match?.[1]) found.add(match[1]);
    }
  }
  return found;
}

export function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
