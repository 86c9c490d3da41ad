// Ignore rules, gitignore-style: one pattern per line, `#` comments, `!` to un-ignore, the last
// matching rule wins. A pattern names a resource (`aws_instance.web`, `aws_s3_bucket.*`,
// `module.app.aws_instance.this`), or an attribute under it (`aws_instance.web.tags.Owner`).
// driftctl's `.driftignore` uses `<type>.<cloud id>[.<attribute path>]` with `\.` for dots inside
// ids; those patterns work unchanged.
import { DriftwatchError } from '../errors.js';
import { parsePath } from './path.js';
import type { Change, Drift } from './types.js';

export interface IgnoreRule {
  negate: boolean;
  pattern: string;
  regex: RegExp;
  /** Where the rule was written, for messages: ".driftignore:3". */
  source: string;
}

export function parseIgnoreRules(text: string, source: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const negate = line.startsWith('!');
    const pattern = negate ? line.slice(1).trim() : line;
    if (pattern === '') throw new DriftwatchError('config', `${source}:${index + 1}: "!" needs a pattern after it, e.g. "!aws_s3_bucket.logs".`);
    rules.push({ negate, pattern, regex: compile(pattern), source: `${source}:${index + 1}` });
  });
  return rules;
}

/** Rules from a list (the repository config's `ignore:` entries). */
export function ignoreRulesFromList(patterns: readonly string[], source: string): IgnoreRule[] {
  return parseIgnoreRules(patterns.join('\n'), source);
}

function compile(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\' && pattern[i + 1] === '.') {
      out += '\\.';
      i += 1;
    } else if (ch === '*') out += '.*';
    else out += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Drifts with ignored drifts and ignored changes removed; `ignored` counts what was dropped. */
export function applyIgnoreRules(drifts: Drift[], rules: readonly IgnoreRule[]): { drifts: Drift[]; ignored: number } {
  if (rules.length === 0) return { drifts, ignored: 0 };
  const kept: Drift[] = [];
  let ignored = 0;
  for (const drift of drifts) {
    const keys = resourceKeys(drift);
    const resourceIgnored = decide(rules, (rule) => keys.some((key) => rule.regex.test(key)), false);
    if (drift.changes.length === 0) {
      if (resourceIgnored) ignored += 1;
      else kept.push(drift);
      continue;
    }
    const changes = drift.changes.filter((change) => !changeIgnored(rules, keys, change));
    if (changes.length === 0) {
      ignored += 1;
      continue;
    }
    if (changes.length < drift.changes.length) ignored += 1;
    kept.push(changes.length === drift.changes.length ? drift : { ...drift, changes });
  }
  return { drifts: kept, ignored };
}

function changeIgnored(rules: readonly IgnoreRule[], keys: string[], change: Change): boolean {
  const prefixes = pathPrefixes(change.path);
  return decide(rules, (rule) => keys.some((key) => rule.regex.test(key) || prefixes.some((p) => rule.regex.test(`${key}.${p}`))), false);
}

function decide(rules: readonly IgnoreRule[], matches: (rule: IgnoreRule) => boolean, initial: boolean): boolean {
  let ignored = initial;
  for (const rule of rules) if (matches(rule)) ignored = !rule.negate;
  return ignored;
}

/** Names a pattern can use for the drift's resource. */
function resourceKeys(drift: Drift): string[] {
  const keys = new Set<string>([`${drift.type}.${drift.id}`]);
  if (drift.address) {
    const local = drift.address.replace(/^(module\.[^.[]+(\[[^\]]*\])?\.)+/, '');
    keys.add(drift.address);
    keys.add(local);
    keys.add(stripIndex(drift.address));
    keys.add(stripIndex(local));
    keys.add(stripModuleKeys(drift.address));
    keys.add(stripIndex(stripModuleKeys(drift.address)));
  }
  return [...keys];
}

function stripIndex(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

function stripModuleKeys(address: string): string {
  return address.replace(/(module\.[^.[]+)\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, '$1');
}

/** `versioning_configuration[0].status` → ["versioning_configuration", "versioning_configuration.0",
 * "versioning_configuration.0.status"]: patterns write paths with dots. */
function pathPrefixes(path: string): string[] {
  const steps = parsePath(path).map(String);
  return steps.map((_, i) => steps.slice(0, i + 1).join('.'));
}
