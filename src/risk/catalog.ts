// The risk catalog: catalog.json is the data (one entry per signal id the resource families
// emit); this module checks its shape once, at load, so a bad edit fails every test at once
// instead of producing a wrong grade in a report.
import raw from './catalog.json' with { type: 'json' };
import type { CatalogEntry } from './types.js';
import { isSeverity } from './severity.js';

/** A catalog entry plus the names of the params its title needs (the signal's contract). */
export interface CatalogRule extends CatalogEntry {
  params: string[];
}

const ID_PATTERN = /^[a-z0-9]+\.[a-z0-9_]+$/;
const CIS_PATTERN = /^\d+(\.\d+)+$/;
const MITRE_PATTERN = /^T\d{4}(\.\d{3})?$/;
const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/** The `{name}` placeholders a title uses, in order of first use. */
export function titlePlaceholders(title: string): string[] {
  const names = [...title.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  return [...new Set(names)];
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function checkRule(value: unknown, index: number): CatalogRule {
  const where = `risk catalog entry #${index}`;
  if (typeof value !== 'object' || value === null) throw new Error(`${where} is not an object`);
  const entry = value as Record<string, unknown>;
  const { id, severity, title, cis, mitre, params } = entry;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new Error(`${where} has an invalid id: ${String(id)}`);
  const at = `risk catalog entry ${id}`;
  if (!isSeverity(severity)) throw new Error(`${at} has an invalid severity: ${String(severity)}`);
  if (typeof title !== 'string' || title.trim() === '' || /[\r\n]/.test(title)) {
    throw new Error(`${at} needs a one-line title`);
  }
  if (!isStringArray(cis) || !cis.every((control) => CIS_PATTERN.test(control))) {
    throw new Error(`${at} has an invalid CIS control id`);
  }
  if (!isStringArray(mitre) || !mitre.every((technique) => MITRE_PATTERN.test(technique))) {
    throw new Error(`${at} has an invalid MITRE ATT&CK technique id`);
  }
  if (new Set(cis).size !== cis.length || new Set(mitre).size !== mitre.length) {
    throw new Error(`${at} lists a control twice`);
  }
  if (!isStringArray(params) || new Set(params).size !== params.length) {
    throw new Error(`${at} needs a list of distinct param names`);
  }
  // Every placeholder must be documented, and every documented param used, so `params` is
  // exactly what a family has to pass.
  const used = titlePlaceholders(title);
  const undocumented = used.filter((name) => !params.includes(name));
  const unused = params.filter((name) => !used.includes(name));
  if (undocumented.length > 0) throw new Error(`${at} uses undocumented params: ${undocumented.join(', ')}`);
  if (unused.length > 0) throw new Error(`${at} documents params its title does not use: ${unused.join(', ')}`);
  return { id, severity, title, cis: [...cis], mitre: [...mitre], params: [...params] };
}

/** Checks a parsed catalog file and returns its rules; throws on the first problem. */
export function parseCatalog(value: unknown): CatalogRule[] {
  if (!Array.isArray(value)) throw new Error('risk catalog must be a JSON array');
  const rules = value.map((entry, index) => checkRule(entry, index));
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`risk catalog lists ${rule.id} twice`);
    seen.add(rule.id);
  }
  return rules;
}

/** The shipped catalog, checked. */
export const CATALOG: readonly CatalogRule[] = Object.freeze(
  parseCatalog(raw).map((rule) => Object.freeze(rule)),
);

const BY_ID: ReadonlyMap<string, CatalogRule> = new Map(CATALOG.map((rule) => [rule.id, rule]));

/** Every signal id the catalog grades (a family may only emit these). */
export const SIGNAL_IDS: readonly string[] = Object.freeze(CATALOG.map((rule) => rule.id));

export function catalogRule(id: string): CatalogRule | undefined {
  return BY_ID.get(id);
}
