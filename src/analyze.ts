// The pure heart of a scan: state + live inventory (+ the HCL model for locations) in, the neutral
// report out. Steps, in order:
//   1. diff declared against live                       drift/diff.ts
//   2. drop what ignore rules say to ignore             drift/ignore.ts
//   3. redact secrets from every change                 drift/redact.ts
//   4. grade each drift: signals → severity, CIS, MITRE  resources/*, risk/
//   5. price it                                         resources/*, cost/
//   6. fingerprint it and find where it is written      drift/fingerprint.ts, terraform/
//   7. summarize: counts, posture score, status (partial when live or configuration was not fully read)
// Attribution (CloudTrail) and patches need I/O or more input and are added by scan.ts.
import type { PriceTable } from './cost/types.js';
import { diff } from './drift/diff.js';
import { fingerprint } from './drift/fingerprint.js';
import { applyIgnoreRules, type IgnoreRule } from './drift/ignore.js';
import { redactAttributes, redactChanges } from './drift/redact.js';
import type { AssessedDrift, Drift, Severity } from './drift/types.js';
import type { ScanResult } from './report/types.js';
import { assessRisk, SEVERITIES } from './risk/assess-risk.js';
import { postureScore } from './risk/posture-score.js';
import type { DeclareContext, ResourceFamily } from './resources/family.js';
import { familiesByType } from './resources/families-by-type.js';
import type { LiveInventory } from './resources/live-types.js';
import { configuredArguments } from './terraform/configured-arguments.js';
import { locateResource } from './terraform/locate-resource.js';
import type { HclModel, ParsedState, PathStep } from './terraform/types.js';

export interface AnalyzeInput {
  workspace: string;
  state: ParsedState;
  inventory: LiveInventory;
  /** The configuration, for the file and line of each drifted resource; null when not loaded. */
  model: HclModel | null;
  families: readonly ResourceFamily[];
  context: DeclareContext;
  prices: PriceTable;
  now: Date;
  ignore?: readonly IgnoreRule[];
  managedElsewhere?: ReadonlySet<string>;
  excluded?: ReadonlySet<string>;
  reportUnmanaged?: boolean;
  notes?: string[];
}

export function analyze(input: AnalyzeInput): ScanResult {
  const found = diff({
    state: input.state,
    inventory: input.inventory,
    families: input.families,
    // What each block writes tells computed attributes from declared ones (security group rules).
    context: input.model ? { ...input.context, configuredArguments: configuredArguments(input.model) } : input.context,
    managedElsewhere: input.managedElsewhere,
    excluded: input.excluded,
    reportUnmanaged: input.reportUnmanaged,
  });
  const { drifts: kept, ignored } = applyIgnoreRules(found.drifts, input.ignore ?? []);

  const sensitive = new Map<string, PathStep[][]>();
  for (const resource of input.state.resources) if (resource.sensitivePaths.length > 0) sensitive.set(resource.address, resource.sensitivePaths);
  const byType = familiesByType(input.families);
  const familyOf = (type: string) => byType.get(type);

  const drifts = kept.map((drift) => assess(drift, input, familyOf(drift.type), sensitive.get(drift.address ?? '') ?? []));
  drifts.sort(byImportance);

  const summary: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const drift of drifts) summary[drift.severity] += 1;
  const notes = [...(input.notes ?? []), ...found.notes];
  if (ignored > 0) notes.push(`${ignored} drift(s) matched ignore rules and are not shown.`);

  const configErrors = (input.model?.errors ?? []).map((error) => ({ file: error.file, line: error.line, column: error.column, message: error.message }));

  return {
    version: 1,
    status: found.unknown.length > 0 || configErrors.length > 0 ? 'partial' : 'complete',
    workspace: input.workspace,
    scannedAt: input.now.toISOString(),
    coverage: found.coverage,
    unknown: found.unknown,
    configErrors,
    summary,
    postureScore: postureScore(
      drifts.map((d) => d.severity),
      found.coverage.managed + found.coverage.unmanaged,
    ),
    drifts: drifts.map((drift) => ({ ...drift, patch: null })),
    notes,
  };
}

function assess(drift: Drift, input: AnalyzeInput, family: ResourceFamily | undefined, sensitivePaths: PathStep[][]): AssessedDrift {
  const redacted: Drift = {
    ...drift,
    changes: redactChanges(drift.changes, sensitivePaths),
    declared: drift.declared ? redactAttributes(drift.declared, sensitivePaths) : null,
  };
  const risk = assessRisk(family ? family.signals(redacted) : []);
  const cost = family ? family.cost(redacted, input.prices) : undefined;
  const block = redacted.address && input.model ? locateResource(input.model, redacted.address) : null;
  return {
    ...redacted,
    signals: risk.signals,
    fingerprint: fingerprint(input.workspace, redacted),
    severity: risk.severity,
    title: risk.title,
    controls: risk.controls,
    // A drift that does not touch the bill changes it by exactly 0; null means "unknown price".
    costDeltaMonthly: cost === undefined ? 0 : cost,
    attribution: null,
    location: block ? { file: block.file, line: block.startLine, endLine: block.endLine } : null,
  };
}

function byImportance(a: AssessedDrift, b: AssessedDrift): number {
  const severity = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
  if (severity !== 0) return severity;
  const left = a.address ?? `${a.type}.${a.id}`;
  const right = b.address ?? `${b.type}.${b.id}`;
  return left < right ? -1 : left > right ? 1 : 0;
}
