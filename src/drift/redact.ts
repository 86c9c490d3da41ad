// Secrets from the state never reach an output. Values the provider marks sensitive and values
// under secret-like names are replaced in every change; and every rendered text is scrubbed of
// the state's secret values as a last line of defence.
import type { DeclaredResource, ParsedState, PathStep } from '../terraform/types.js';
import { parsePath } from './path.js';
import type { Change } from './types.js';
import { isRecord } from './values.js';

export const REDACTED = '(sensitive)';

const SECRET_NAME = /(^|_)(password|passwd|passphrase|secret|token|private_key|secret_key|access_key|api_key|credentials?)(_|$)|^password_wo$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function redactChanges(changes: Change[], sensitivePaths: readonly PathStep[][]): Change[] {
  return changes.map((change) => {
    const steps = parsePath(change.path);
    const covered = steps.some((step) => typeof step === 'string' && isSecretName(step)) || sensitivePaths.some((path) => isPrefix(path, steps));
    if (covered) return { path: change.path, declared: change.declared === null ? null : REDACTED, live: change.live === null ? null : REDACTED };
    const inner = sensitivePaths.filter((path) => isPrefix(steps, path)).map((path) => path.slice(steps.length));
    return { path: change.path, declared: redactValue(change.declared, inner), live: redactValue(change.live, inner) };
  });
}

function isPrefix(prefix: readonly PathStep[], path: readonly PathStep[]): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((step, i) => String(step) === String(path[i]));
}

function redactValue(value: unknown, paths: PathStep[][]): unknown {
  if (paths.some((path) => path.length === 0)) return value === null ? null : REDACTED;
  if (Array.isArray(value)) return value.map((item, i) => redactValue(item, paths.filter((p) => String(p[0]) === String(i)).map((p) => p.slice(1))));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretName(key) && item !== null ? REDACTED : redactValue(item, paths.filter((p) => String(p[0]) === key).map((p) => p.slice(1)));
    }
    return out;
  }
  return value;
}

/** A copy of a resource's state attributes with sensitive and secret-like values replaced: what
 * the rest of the pipeline may keep of them. */
export function redactAttributes(attributes: Record<string, unknown>, sensitivePaths: readonly PathStep[][]): Record<string, unknown> {
  return redactValue(attributes, sensitivePaths.map((path) => [...path])) as Record<string, unknown>;
}

/** Every secret value the state holds: sensitive paths and secret-like attribute names. */
export function collectSecrets(state: ParsedState): string[] {
  const secrets = new Set<string>();
  for (const resource of state.resources) collectFromResource(resource, secrets);
  // Longest first, so a secret containing another is replaced whole.
  return [...secrets].sort((a, b) => b.length - a.length);
}

function collectFromResource(resource: DeclaredResource, secrets: Set<string>): void {
  for (const path of resource.sensitivePaths) addStrings(valueAt(resource.attributes, path), secrets);
  walk(resource.attributes, secrets);
}

function walk(value: unknown, secrets: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) walk(item, secrets);
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (isSecretName(key)) addStrings(item, secrets);
      else walk(item, secrets);
    }
  }
}

function addStrings(value: unknown, secrets: Set<string>): void {
  // Short values ("", "on", "123") would scrub ordinary words out of reports.
  if (typeof value === 'string' && value.length >= 6) secrets.add(value);
  else if (Array.isArray(value)) for (const item of value) addStrings(item, secrets);
  else if (isRecord(value)) for (const item of Object.values(value)) addStrings(item, secrets);
}

function valueAt(value: unknown, path: readonly PathStep[]): unknown {
  let current = value;
  for (const step of path) {
    if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (isRecord(current)) current = current[String(step)];
    else return undefined;
  }
  return current;
}

/** Replaces every occurrence of a secret value in a rendered text (also JSON-escaped, as a
 * JSON or SARIF renderer writes it). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const variant of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (out.includes(variant)) out = out.split(variant).join(REDACTED);
    }
  }
  return out;
}

/** scrubSecrets for many texts with the same secrets (every string of a report): the variants
 * are worked out once, and a text that holds none of them costs one regular-expression test. */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const variants = secrets.flatMap((secret) => [...new Set([secret, JSON.stringify(secret).slice(1, -1)])]).filter((variant) => variant !== '');
  if (variants.length === 0) return (text) => text;
  const any = new RegExp(variants.map((variant) => variant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
  return (text) => {
    if (!any.test(text)) return text;
    let out = text;
    for (const variant of variants) if (out.includes(variant)) out = out.split(variant).join(REDACTED);
    return out;
  };
}
