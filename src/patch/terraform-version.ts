// Whether `terraform { required_version }` guarantees a minimum Terraform release: `import`
// blocks need 1.5, `removed` blocks need 1.7.

/** True when every version the constraint allows is at least `minimum` ("1.7.0"). */
export function guaranteesVersion(constraint: string | null, minimum: string): boolean {
  if (constraint === null) return false;
  const floor = parseVersion(minimum);
  if (!floor) return false;
  let best: number[] | null = null;
  for (const part of constraint.split(',')) {
    const match = /^\s*(>=|>|~>|=|!=|<=|<)?\s*v?(\d+(?:\.\d+){0,2})(?:[-+][\w.]+)?\s*$/.exec(part);
    if (!match) continue;
    const operator = match[1] ?? '=';
    if (operator === '<' || operator === '<=' || operator === '!=') continue;
    const version = parseVersion(match[2] as string);
    if (version && (best === null || compare(version, best) > 0)) best = version;
  }
  return best !== null && compare(best, floor) >= 0;
}

function parseVersion(text: string): number[] | null {
  const parts = text.split('.').map(Number);
  if (parts.some((part) => !Number.isInteger(part))) return null;
  while (parts.length < 3) parts.push(0);
  return parts;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
