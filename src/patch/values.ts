// Comparing a written value with the intended one: state values are JSON, HCL literals are
// typed loosely ("8" and 8 are the same number to Terraform), and policies are documents.
import { samePolicy } from '../drift/policy-document.js';
import type { PathStep } from '../terraform/types.js';
import { parsePolicyText } from './render-hcl.js';

export const SENSITIVE = '(sensitive)';

const POLICY_ATTRIBUTES = new Set(['policy', 'assume_role_policy']);

/** True when the attribute (last name in the path) holds an IAM-style JSON policy. */
export function isPolicyPath(steps: readonly PathStep[], ...values: unknown[]): boolean {
  const name = [...steps].reverse().find((step): step is string => typeof step === 'string');
  if (name !== undefined && POLICY_ATTRIBUTES.has(name)) return true;
  return values.some((value) => {
    const doc = parsePolicyText(value);
    return doc !== null && 'Statement' in doc;
  });
}

export function sameWritten(written: unknown, intended: unknown, policy: boolean): boolean {
  if (policy) {
    if (isAbsent(written) || isAbsent(intended)) return isAbsent(written) && isAbsent(intended);
    return samePolicy(written, intended);
  }
  return looseEqual(written, intended);
}

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function looseEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => looseEqual(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!looseEqual(a[key], b[key])) return false;
    return true;
  }
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'boolean') return a === String(b);
  return false;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function containsSensitive(value: unknown): boolean {
  if (value === SENSITIVE) return true;
  if (Array.isArray(value)) return value.some(containsSensitive);
  if (isRecord(value)) return Object.values(value).some(containsSensitive);
  return false;
}

/** False when a string in the value changes under Unicode NFC normalization: HCL normalizes
 * every string it reads, so such a value cannot be written into a configuration exactly. */
export function survivesHcl(value: unknown): boolean {
  if (typeof value === 'string') return value.normalize('NFC') === value;
  if (Array.isArray(value)) return value.every(survivesHcl);
  if (isRecord(value)) return Object.entries(value).every(([key, item]) => survivesHcl(key) && survivesHcl(item));
  return true;
}

export const NOT_NFC = 'the value has characters that HCL rewrites (it normalizes strings to Unicode NFC), so it cannot be written exactly';

/** A short, one-line rendering of a value for notes. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'unset';
  if (value === SENSITIVE) return '(sensitive)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Reads `path` out of a parsed value (objects by key, arrays by index). */
export function readPath(value: unknown, path: readonly PathStep[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[step];
    }
  }
  return current;
}
