// SARIF 2.1.0 for GitHub code scanning: one result per drift, anchored where the resource is
// written, with a stable partial fingerprint so GitHub tracks an alert across scans.
import type { Severity } from '../drift/types.js';
import { catalogRule } from '../risk/catalog.js';
import { formatValue } from './format-value.js';
import { redactChange } from './redact-change.js';
import { SEVERITIES, sortBySeverity } from './severity-order.js';
import { toSingleLine } from './strip-control.js';
import type { ReportDrift, ScanResult } from './types.js';

export interface SarifOptions {
  /** Path of the root module inside the repository (`infra/prod/`), put before each file. */
  uriPrefix?: string;
  /** Where drifts with no location (unmanaged) are anchored, e.g. the workspace's main.tf;
   * without it they have no `locations`. */
  fallbackLocation?: { file: string; line: number };
  /** driftwatch's version, for `tool.driver.version`. */
  toolVersion?: string;
  /** The project's home page, for `tool.driver.informationUri` (left out when not given). */
  informationUri?: string;
}

type SarifLevel = 'error' | 'warning' | 'note';

const LEVELS: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
// GitHub reads security-severity as a CVSS-like score in a string: ≥9 critical, ≥7 high, ≥4 medium.
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0' };
const KIND_RULES: Record<ReportDrift['kind'], string> = {
  modified: 'Resource modified outside Terraform',
  deleted: 'Resource deleted outside Terraform',
  unmanaged: 'Resource not managed by Terraform',
};
const CATALOG_PLACEHOLDER = /\{[A-Za-z0-9_]+\}/g;
const MAX_CHANGES_IN_MESSAGE = 5;
const MAX_VALUE_LENGTH = 120;

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

interface RuleDraft {
  id: string;
  index: number;
  severity: Severity;
  tags: Set<string>;
  description: string;
}

export function renderSarif(result: ScanResult, options: SarifOptions = {}): string {
  const rules = new Map<string, RuleDraft>();
  const results = sortBySeverity(result.drifts).map((drift) => {
    const ruleId = ruleIdOf(drift);
    const draft = rules.get(ruleId) ?? newRule(ruleId, rules.size, drift);
    // A catalog rule keeps its catalog grade; a kind rule takes the worst drift it covers.
    if (catalogRule(ruleId) === undefined && rank(drift.severity) < rank(draft.severity)) draft.severity = drift.severity;
    for (const tag of controlTags(drift.controls)) draft.tags.add(tag);
    rules.set(ruleId, draft);
    return sarifResult(drift, ruleId, draft.index, options);
  });
  const driver = {
    name: 'driftwatch',
    ...(options.informationUri === undefined ? {} : { informationUri: options.informationUri }),
    version: options.toolVersion ?? '0.0.0',
    rules: [...rules.values()].map(sarifRule),
  };
  const run = {
    tool: { driver },
    automationDetails: { id: `driftwatch/${toSingleLine(result.workspace)}/` },
    invocations: [{
      executionSuccessful: true,
      ...(result.unknown.length === 0 ? {} : {
        toolExecutionNotifications: result.unknown.map((family) => ({
          level: 'warning',
          message: { text: plainText(`${family.type} could not be read, so its drift is unknown: ${family.reason}`) },
        })),
      }),
    }],
    results,
  };
  return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2)}\n`;
}

function ruleIdOf(drift: ReportDrift): string {
  return drift.signals[0]?.id ?? `driftwatch.${drift.kind}`;
}

function rank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

function controlTags(controls: { cis: string[]; mitre: string[] }): string[] {
  return [...controls.cis.map((id) => `cis/${id}`), ...controls.mitre.map((id) => `mitre/${id}`)];
}

function newRule(id: string, index: number, drift: ReportDrift): RuleDraft {
  const entry = catalogRule(id);
  if (entry === undefined) return { id, index, severity: drift.severity, tags: new Set(), description: KIND_RULES[drift.kind] };
  // GitHub titles every alert of a rule with its short description, so it must hold for all of
  // them: the catalog title with its per-drift values left out.
  const description = entry.title.replace(CATALOG_PLACEHOLDER, '…');
  return { id, index, severity: entry.severity, tags: new Set(controlTags(entry)), description };
}

function sarifRule(draft: RuleDraft) {
  return {
    id: draft.id,
    shortDescription: { text: plainText(draft.description) },
    defaultConfiguration: { level: LEVELS[draft.severity] },
    // "security" makes GitHub treat the alerts as security alerts and read security-severity.
    properties: { 'security-severity': SECURITY_SEVERITY[draft.severity], tags: ['security', 'drift', ...draft.tags] },
  };
}

function sarifResult(drift: ReportDrift, ruleId: string, ruleIndex: number, options: SarifOptions) {
  const anchor = drift.location ?? options.fallbackLocation ?? null;
  return {
    ruleId,
    ruleIndex,
    level: LEVELS[drift.severity],
    message: { text: message(drift) },
    ...(anchor === null ? {} : {
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: artifactUri(options.uriPrefix ?? '', anchor.file) },
          region: { startLine: Math.max(1, Math.floor(anchor.line)) },
        },
      }],
    }),
    partialFingerprints: { 'driftwatch/v1': drift.fingerprint },
    properties: {
      severity: drift.severity,
      'security-severity': SECURITY_SEVERITY[drift.severity],
      tags: controlTags(drift.controls),
    },
  };
}

function message(drift: ReportDrift): string {
  const subject = drift.kind === 'unmanaged' || drift.address === null ? `${drift.type} ${drift.id}` : `${drift.address} (${drift.id})`;
  if (drift.kind === 'deleted' && drift.changes.length === 0) return plainText(`${drift.title}. ${subject} is in the Terraform state and no longer in AWS.`);
  if (drift.kind === 'unmanaged' && drift.changes.length === 0) return plainText(`${drift.title}. ${subject} is in AWS and in no Terraform state.`);
  const changes = drift.changes.map(redactChange);
  const shown = changes.slice(0, MAX_CHANGES_IN_MESSAGE)
    .map((change) => `${change.path}: ${formatValue(change.declared, MAX_VALUE_LENGTH)} → ${formatValue(change.live, MAX_VALUE_LENGTH)}`);
  if (changes.length > MAX_CHANGES_IN_MESSAGE) shown.push(`and ${changes.length - MAX_CHANGES_IN_MESSAGE} more`);
  return plainText(`${drift.title}. ${subject}: ${shown.join('; ')}`);
}

/** SARIF plain-text messages turn `[text](target)` into links; a literal bracket is escaped
 * with a backslash. Control characters go, and the message is one line. */
function plainText(text: string): string {
  return toSingleLine(text).replace(/[[\]]/g, '\\$&');
}

/** Joins the prefix and a module-relative path with one slash, percent-encoding each segment
 * (a space or `#` in a file name would otherwise break the URI). */
function artifactUri(prefix: string, file: string): string {
  const path = file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  const encoded = path.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  if (prefix === '') return encoded;
  return prefix.endsWith('/') ? `${prefix}${encoded}` : `${prefix}/${encoded}`;
}
