// Value helpers shared by the families. State values and live values reach the diff in
// slightly different spellings of "nothing" (null, "", 0, false, [], {}), and legacy flatmap
// states carry numbers and booleans as strings; the comparison treats those as equal so that
// only real differences surface.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** null, undefined, "", 0, false, [] and {} all mean "not set". */
export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.keys(value).length === 0;
  return false;
}

/** Scalars compared with "not set" equivalence and string/number/boolean coercion. */
export function sameScalar(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'boolean') return a === String(b);
  return false;
}

/** Structural equality with scalar coercion; empty containers equal missing ones. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const left = Array.isArray(a) ? a : [];
    const right = Array.isArray(b) ? b : [];
    if (!Array.isArray(a) && !isEmpty(a)) return false;
    if (!Array.isArray(b) && !isEmpty(b)) return false;
    return left.length === right.length && left.every((item, i) => sameValue(item, right[i]));
  }
  if (isRecord(a) || isRecord(b)) {
    const left = isRecord(a) ? a : {};
    const right = isRecord(b) ? b : {};
    if (!isRecord(a) && !isEmpty(a)) return false;
    if (!isRecord(b) && !isEmpty(b)) return false;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) if (!sameValue(left[key], right[key])) return false;
    return true;
  }
  return sameScalar(a, b);
}

/** Same members, order ignored (security group ids, log exports, ARNs). */
export function sameSet(a: unknown, b: unknown): boolean {
  const left = new Set(stringList(a));
  const right = new Set(stringList(b));
  if (left.size !== right.size) return false;
  for (const item of left) if (!right.has(item)) return false;
  return true;
}

const NO_STRINGS: readonly string[] = [];

/** Non-empty strings of a list. The result may be the input itself: read it, never change it. */
export function stringList(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) return NO_STRINGS;
  // Usually already a list of non-empty strings: hand it back without copying.
  if (value.every((item) => typeof item === 'string' && item !== '')) return value as readonly string[];
  return value.filter((item) => item !== null && item !== undefined && item !== '').map((item) => String(item));
}

export function sortedStrings(value: unknown): string[] {
  return [...new Set(stringList(value))].sort();
}

export function str(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}

export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/** First element of a nested-block list (`versioning[0]`), or an empty object. */
export function firstBlock(value: unknown): Record<string, unknown> {
  if (Array.isArray(value) && isRecord(value[0])) return value[0];
  return {};
}

/** ISO string for a Date or a date-like string from SDK output or fixtures. */
export function isoDate(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && value !== '') return value;
  return null;
}

/** JSON with sorted object keys: the same value always gives the same text. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item)).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
