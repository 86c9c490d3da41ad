// What is known statically in a configuration: literal values, and `var.x` references resolved
// through variables with a known value. Everything else (functions, resource attributes,
// each/count) is unknown here and reads as null.

/** True for values with no expression anywhere inside: strings without `${`/`%{`, numbers, etc. */
export function isLiteral(value: unknown): boolean {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value === 'string') return !value.includes('${') && !value.includes('%{');
  if (Array.isArray(value)) return value.every(isLiteral);
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).every(isLiteral);
  return false;
}

/** The literal string, or null. */
export function literalString(value: unknown): string | null {
  return typeof value === 'string' && isLiteral(value) ? value : null;
}

/** `name` for a value that is exactly `${var.name}`. */
export function variableReference(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}$/.exec(value);
  return match ? match[1]! : null;
}

/** A literal value, or a `var.x` reference whose value is known in `scope`; undefined otherwise. */
export function resolveValue(value: unknown, scope: Record<string, unknown>): unknown {
  if (isLiteral(value)) return value;
  const name = variableReference(value);
  if (name !== null && Object.hasOwn(scope, name)) return scope[name];
  return undefined;
}

/** A string known statically (literal or resolved variable), or null. */
export function resolveString(value: unknown, scope: Record<string, unknown>): string | null {
  const resolved = resolveValue(value, scope);
  return typeof resolved === 'string' ? resolved : null;
}

/** The first nested block: hcl2-parser gives blocks as arrays, Terraform JSON as object or array. */
export function firstBlock(value: unknown): Record<string, unknown> | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : null;
}

/** The attributes of a body whose value is literal. */
export function literalAttributes(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (isLiteral(value)) out[key] = value;
  return out;
}
