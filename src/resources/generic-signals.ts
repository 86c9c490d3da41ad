// Signals for changes a family has no specific rule for: tag-only changes and other attributes.
import type { Change } from '../drift/types.js';
import { parsePath } from '../drift/path.js';
import type { Signal } from '../risk/types.js';

export function topAttribute(path: string): string {
  const first = parsePath(path)[0];
  return typeof first === 'string' ? first : path;
}

export function genericSignals(changes: Change[], handled: (change: Change) => boolean = () => false): Signal[] {
  const tagKeys: string[] = [];
  const attributes = new Set<string>();
  for (const change of changes) {
    if (handled(change)) continue;
    const steps = parsePath(change.path);
    if (steps[0] === 'tags' && steps.length === 2) tagKeys.push(String(steps[1]));
    else attributes.add(topAttribute(change.path));
  }
  const signals: Signal[] = [];
  if (attributes.size > 0) signals.push({ id: 'generic.attribute_changed', params: { attributes: [...attributes].sort().join(', ') } });
  if (tagKeys.length > 0) signals.push({ id: 'generic.tags_changed', params: { keys: tagKeys.sort().join(', ') } });
  return signals;
}

/** A valid Terraform identifier from a name tag or id: `web-1` → `web_1`. */
export function terraformName(candidate: string | null | undefined, fallback: string): string {
  const base = (candidate && candidate.trim() !== '' ? candidate : fallback).toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  const name = base === '' ? 'imported' : base;
  return /^[a-z_]/.test(name) ? name : `r_${name}`;
}

/** Quote a value for a POSIX shell command line. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
