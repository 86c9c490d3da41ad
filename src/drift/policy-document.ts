// IAM and bucket policies compared as documents, not strings. The same policy arrives
// URL-encoded from IAM, minified with sorted keys from jsonencode, pretty-printed from a heredoc,
// with a string where another writer used a one-element array, and with statements in any order.
import { isRecord, stableStringify } from './values.js';

export type PolicyDocument = Record<string, unknown>;

/** Parses a policy (URL-encoded or not); null for an empty value. An unparsable text is kept as
 * `{ $raw }` so it still compares equal only to the same text. */
export function parsePolicy(value: unknown): PolicyDocument | null {
  if (value === null || value === undefined) return null;
  if (isRecord(value)) return value;
  if (typeof value !== 'string') return { $raw: String(value) };
  const text = value.trim();
  if (text === '') return null;
  const decoded = text.startsWith('%') || /%7B|%22/i.test(text.slice(0, 12)) ? safeDecode(text) : text;
  try {
    const parsed: unknown = JSON.parse(decoded);
    return isRecord(parsed) ? parsed : { $raw: decoded };
  } catch {
    return { $raw: decoded };
  }
}

// Canonical texts of recently seen policy strings: a scan compares the same trust policy or
// bucket policy text on many resources, and canonicalizing is the costly part of the comparison.
const CACHE_LIMIT = 2_000;
const canonicalCache = new Map<string, string | null>();

/** The policy in one canonical text, or null when there is none. */
export function canonicalPolicy(value: unknown): string | null {
  if (typeof value === 'string') {
    const cached = canonicalCache.get(value);
    if (cached !== undefined) return cached;
  }
  const doc = parsePolicy(value);
  const canonical = doc === null ? null : stableStringify(normalizeDocument(doc));
  if (typeof value === 'string') {
    if (canonicalCache.size >= CACHE_LIMIT) canonicalCache.clear();
    canonicalCache.set(value, canonical);
  }
  return canonical;
}

export function samePolicy(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return canonicalPolicy(a) === canonicalPolicy(b);
}

/** Statements of a policy, each normalized (arrays everywhere, principals expanded). */
export function policyStatements(value: unknown): Record<string, unknown>[] {
  const doc = parsePolicy(value);
  if (doc === null || '$raw' in doc) return [];
  const normalized = normalizeDocument(doc);
  return Array.isArray(normalized.Statement) ? (normalized.Statement as Record<string, unknown>[]) : [];
}

export function normalizeDocument(doc: PolicyDocument): PolicyDocument {
  if ('$raw' in doc) return doc;
  const out: PolicyDocument = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'Statement') continue;
    out[key] = value;
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  // Sorted by their canonical text, computed once per statement.
  out.Statement = statements
    .map((statement) => (isRecord(statement) ? normalizeStatement(statement) : statement))
    .map((statement) => ({ statement, key: stableStringify(statement) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.statement);
  return out;
}

function normalizeStatement(statement: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(statement)) {
    switch (key) {
      case 'Sid':
        if (value !== '' && value !== null) out.Sid = value;
        break;
      case 'Action':
      case 'NotAction':
        // IAM action names are case-insensitive.
        out[key] = toSortedStrings(value).map((action) => action.toLowerCase());
        out[key] = [...new Set(out[key] as string[])].sort();
        break;
      case 'Resource':
      case 'NotResource':
        out[key] = toSortedStrings(value);
        break;
      case 'Principal':
      case 'NotPrincipal':
        out[key] = normalizePrincipal(value);
        break;
      case 'Condition':
        out.Condition = normalizeCondition(value);
        break;
      default:
        out[key] = value;
    }
  }
  return out;
}

function normalizePrincipal(value: unknown): unknown {
  if (value === '*') return '*';
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  // {"AWS": "*"} and "*" grant the same thing.
  if (keys.length === 1 && keys[0] === 'AWS' && toSortedStrings(value.AWS).join() === '*') return '*';
  const out: Record<string, string[]> = {};
  for (const key of keys.sort()) {
    let members = toSortedStrings(value[key]);
    // IAM stores a bare account id as the account's root ARN.
    if (key === 'AWS') members = [...new Set(members.map((m) => (/^\d{12}$/.test(m) ? `arn:aws:iam::${m}:root` : m)))].sort();
    out[key] = members;
  }
  return out;
}

function normalizeCondition(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, Record<string, string[]>> = {};
  for (const operator of Object.keys(value).sort()) {
    const block = value[operator];
    if (!isRecord(block)) continue;
    const keys: Record<string, string[]> = {};
    for (const key of Object.keys(block).sort()) keys[key] = toSortedStrings(block[key]);
    out[operator] = keys;
  }
  return out;
}

function toSortedStrings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return [...new Set(list.map((item) => String(item)))].sort();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
