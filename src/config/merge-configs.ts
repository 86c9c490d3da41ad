// Merges configuration files the way Probot's context.config does (deepmerge's defaults), so a
// repository's .github/driftwatch.yml over what it `_extends` means the same in driftwatch as in
// every other Probot app: later files win, maps merge key by key, lists are concatenated, and a
// value of another kind replaces what was there.

/** `configs` in merge order: the base first, the repository's own file last. */
export function mergeConfigs(configs: readonly Record<string, unknown>[]): Record<string, unknown> {
  return configs.reduce<Record<string, unknown>>((merged, config) => deepMerge(merged, config) as Record<string, unknown>, {});
}

function deepMerge(target: unknown, source: unknown): unknown {
  if (Array.isArray(source)) return Array.isArray(target) ? [...target, ...source].map(clone) : clone(source);
  if (!isRecord(source)) return source;
  if (!isRecord(target)) return clone(source);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(target)) define(out, key, clone(target[key]));
  for (const key of Object.keys(source)) {
    const value = source[key];
    define(out, key, Object.hasOwn(target, key) && (isRecord(value) || Array.isArray(value)) ? deepMerge(target[key], value) : clone(value));
  }
  return out;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  return isRecord(value) ? deepMerge({}, value) : value;
}

/** An own data property even for "__proto__", so the strict schema reports it as unknown rather
 * than the merge swallowing it. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
