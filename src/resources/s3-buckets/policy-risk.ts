// What a bucket policy change opens up.
import { policyStatements } from '../../drift/policy-document.js';
import { isRecord } from '../../drift/values.js';
import type { Signal } from '../../risk/types.js';

/** Allow statements to everyone with no condition narrowing who can use them. */
export function isPublicPolicy(policy: unknown): boolean {
  return policyStatements(policy).some((s) => s.Effect === 'Allow' && s.Principal === '*' && !narrowed(s.Condition));
}

function narrowed(condition: unknown): boolean {
  if (!isRecord(condition)) return false;
  // aws:SecureTransport alone limits the protocol, not who gets in.
  return Object.values(condition).some((block) => isRecord(block) && Object.keys(block).some((key) => key.toLowerCase() !== 'aws:securetransport'));
}

export function deniesInsecureTransport(policy: unknown): boolean {
  return policyStatements(policy).some((s) => {
    if (s.Effect !== 'Deny' || !isRecord(s.Condition)) return false;
    const bool = s.Condition.Bool;
    return isRecord(bool) && Array.isArray(bool['aws:SecureTransport']) && bool['aws:SecureTransport'].includes('false');
  });
}

/** Account ids granted access in `live` that `declared` did not name. */
export function newAccounts(declared: unknown, live: unknown): string[] {
  const known = accounts(declared);
  return [...accounts(live)].filter((account) => !known.has(account)).sort();
}

function accounts(policy: unknown): Set<string> {
  const found = new Set<string>();
  for (const statement of policyStatements(policy)) {
    if (statement.Effect !== 'Allow' || !isRecord(statement.Principal)) continue;
    const aws = statement.Principal.AWS;
    for (const principal of Array.isArray(aws) ? aws : []) {
      const match = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(String(principal));
      if (match?.[1]) found.add(match[1]);
    }
  }
  return found;
}

/** Signals for a bucket policy going from `declared` to `live`. */
export function policySignals(declared: unknown, live: unknown): Signal[] {
  const out: Signal[] = [];
  if (live === null || live === undefined || live === '') {
    out.push(deniesInsecureTransport(declared) ? { id: 's3.policy_secure_transport_removed' } : { id: 's3.policy_removed' });
    return out;
  }
  if (isPublicPolicy(live) && !isPublicPolicy(declared)) out.push({ id: 's3.policy_public' });
  for (const account of newAccounts(declared, live)) out.push({ id: 's3.policy_cross_account', params: { account } });
  if (deniesInsecureTransport(declared) && !deniesInsecureTransport(live)) out.push({ id: 's3.policy_secure_transport_removed' });
  if (out.length === 0) out.push({ id: 's3.policy_changed' });
  return out;
}
