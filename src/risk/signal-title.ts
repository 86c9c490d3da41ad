// Renders a signal's one-line title from its catalog template.
import type { Signal } from './types.js';
import { catalogRule } from './catalog.js';

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/**
 * The human title of one signal. An unknown id or a param the title needs but the signal lacks
 * is a bug in the family that emitted it, so it throws rather than print "{port}" to a user.
 */
export function signalTitle(signal: Signal): string {
  const rule = catalogRule(signal.id);
  if (rule === undefined) throw new Error(`Unknown risk signal id "${signal.id}": add it to src/risk/catalog.json`);
  const params = signal.params ?? {};
  const missing = rule.params.filter((name) => !Object.hasOwn(params, name));
  if (missing.length > 0) {
    throw new Error(`Risk signal "${signal.id}" is missing title params: ${missing.join(', ')}`);
  }
  // One pass: a param value that itself looks like "{x}" is printed as is, never expanded.
  return rule.title.replace(PLACEHOLDER, (_match, name: string) => String(params[name]));
}
