// The drift issues a scan wants: one per workspace and drifted resource (its address, or type:id
// when unmanaged), all of the resource's drifts in one body, and a marker carrying the
// fingerprint the body was made from. Pure: reports (and store findings) in, DesiredIssue[] out.
import { secretScrubber } from '../drift/redact.js';
import type { DriftPatch } from '../patch/types.js';
import type { WorkspaceReport } from '../repository/types.js';
import { DEFAULT_TEMPLATES } from '../report/default-templates.js';
import { codeSpan, escapeMarkdown, escapePlainText } from '../report/escape-markdown.js';
import { formatControls, formatCost } from '../report/format-facts.js';
import { truncate } from '../report/format-value.js';
import { changesTable } from '../report/markdown/changes-table.js';
import { fixSection } from '../report/markdown/fix-section.js';
import { resourceLine } from '../report/markdown/resource-line.js';
import { severityName } from '../report/markdown/severity-name.js';
import { renderTemplate } from '../report/render-template.js';
import { SEVERITIES, sortBySeverity } from '../report/severity-order.js';
import type { ReportDrift } from '../report/types.js';
import type { FindingRecord } from '../store/types.js';
import { bodyWithMarker } from './body-with-marker.js';
import { formatTime } from './format-time.js';
import { ISSUE_TITLE_LIMIT } from './limits.js';
import { attributionList } from './markdown/attribution-list.js';
import { issueCommands } from './markdown/issue-commands.js';
import { linkOrNull } from './markdown/safe-link.js';
import { rebaseDiff, repoPath } from './repo-path.js';
import { identityKey, resourceKey } from './resource-key.js';
import { scrubReport } from './scrub-report.js';
import { sha256 } from './sha256.js';
import type { DesiredIssue, DriftIssueMarker } from './types.js';
import { whatChangedMarkdown } from './what-changed.js';

/** Bump to rewrite every open drift issue once (after a template change). */
export const ISSUE_RENDER_VERSION = 1;

export interface DesiredIssuesInput {
  /** This scan's reports. Only complete and partial ones have drifts; the others want no issue
   * (and resolve none: see ResolutionScope). */
  reports: readonly WorkspaceReport[];
  /** The configuration's `labels`, added to every drift issue. */
  labels?: readonly string[];
  /** The Drift Dashboard issue, when it exists: each body points to it. */
  dashboardUrl?: string | null;
  /** The store's findings for these workspaces (any status): when a drift was last resolved. */
  findings?: readonly FindingRecord[];
}

const MAX_DRIFT_TITLE = 200;
const WHAT_CHANGED_LIMIT = 1_500;

export function desiredIssues(input: DesiredIssuesInput): DesiredIssue[] {
  const out: DesiredIssue[] = [];
  const findings = new Map((input.findings ?? []).map((finding) => [identityKey({ workspace: finding.workspace, resource: finding.resourceKey }), finding]));
  for (const raw of input.reports) {
    if (raw.result === null || (raw.status !== 'complete' && raw.status !== 'partial')) continue;
    const report = scrubReport(raw);
    const context: IssueContext = { report, scrub: secretScrubber(report.secrets), restore: new Map((report.patches.restore?.patches ?? []).map((patch) => [patch.fingerprint, patch])) };
    for (const [key, drifts] of groupByResource(report.result?.drifts ?? [])) {
      out.push(desiredIssue(context, key, drifts, input, lastResolvedAt(findings.get(identityKey({ workspace: raw.workspace, resource: key })))));
    }
  }
  return out;
}

/** One report's pieces every issue of it needs. */
interface IssueContext {
  report: WorkspaceReport;
  scrub: (text: string) => string;
  /** The report's restore patches by fingerprint. */
  restore: ReadonlyMap<string, DriftPatch>;
}

function desiredIssue(context: IssueContext, rawKey: string, drifts: ReportDrift[], input: DesiredIssuesInput, resolvedAt: string | null): DesiredIssue {
  const { report, scrub } = context;
  const main = drifts[0] as ReportDrift;
  const severity = main.severity;
  const resource = scrub(rawKey);
  const marker: DriftIssueMarker = {
    kind: 'drift-issue',
    v: ISSUE_RENDER_VERSION,
    workspace: report.workspace,
    resource,
    type: main.type,
    region: main.region,
    fingerprint: drifts.length === 1 ? main.fingerprint : sha256(drifts.map((drift) => drift.fingerprint).sort().join('\n')),
    state: 'drifted',
    resolvedAt: null,
  };
  const dashboard = linkOrNull('the Drift Dashboard', input.dashboardUrl ?? null);
  const body = issueBody(context, drifts, resolvedAt, dashboard, { showDiffs: true });
  const full = bodyWithMarker(body, marker, { scrub, truncationNote: truncationNote(report, dashboard) });
  // A body cut short loses whole drifts: without their diffs, every drift may still fit.
  const fitted = full.includes(TRUNCATED_MARK)
    ? bodyWithMarker(issueBody(context, drifts, resolvedAt, dashboard, { showDiffs: false }), marker, { scrub, truncationNote: truncationNote(report, dashboard) })
    : full;
  return {
    workspace: report.workspace,
    resource,
    title: scrub(issueTitle(report.workspace, drifts)),
    body: fitted,
    labels: unique(['drift', `severity:${severity}`, ...(input.labels ?? []).map((label) => label.trim()).filter((label) => label !== '')]),
    severity,
    marker,
    whatChanged: scrub(truncate(whatChangedMarkdown(drifts), WHAT_CHANGED_LIMIT)),
    lastResolvedAt: resolvedAt,
  };
}

/** Drifts by resource key, most severe resource first; inside one, most severe drift first. */
function groupByResource(drifts: readonly ReportDrift[]): Map<string, ReportDrift[]> {
  const groups = new Map<string, ReportDrift[]>();
  for (const drift of sortBySeverity(drifts)) {
    const key = resourceKey(drift);
    groups.set(key, [...(groups.get(key) ?? []), drift]);
  }
  return groups;
}

/** `[HIGH] aws_security_group.web drifted in prod`, plain text within GitHub's 256 characters. */
function issueTitle(workspace: string, drifts: readonly ReportDrift[]): string {
  const main = drifts[0] as ReportDrift;
  const kinds = new Set(drifts.map((drift) => drift.kind));
  const verb = kinds.size > 1 || main.kind === 'modified' ? 'drifted' : main.kind === 'deleted' ? 'deleted' : 'unmanaged';
  const prefix = `[${main.severity.toUpperCase()}] `;
  const suffix = ` ${verb} in ${escapePlainText(workspace)}`;
  const subject = main.address ?? `${main.type} ${main.id}`;
  const room = ISSUE_TITLE_LIMIT - prefix.length - Math.min(suffix.length, 100);
  return truncate(`${prefix}${truncate(escapePlainText(subject), room)}${truncate(suffix, 100)}`, ISSUE_TITLE_LIMIT);
}

function issueBody(context: IssueContext, drifts: ReportDrift[], resolvedAt: string | null, dashboard: string | null, options: { showDiffs: boolean }): string {
  const { report } = context;
  const main = drifts[0] as ReportDrift;
  return renderTemplate(DEFAULT_TEMPLATES.issue, {
    heading: `${severityName(main.severity)} · ${subjectMarkdown(main)} ${headingVerb(drifts)} in ${codeSpan(report.workspace)}`,
    summary: summaryLine(report, drifts),
    recurrence: resolvedAt === null ? '' : `> [!NOTE]\n> This drift came back: it was last resolved on ${escapeMarkdown(formatTime(resolvedAt))}.`,
    drifts: drifts.map((drift) => driftSection(context, drift, options)).join('\n\n'),
    commands: issueCommands(main, report.workspace),
    footer: dashboard === null ? '' : `Every drift in this repository is listed on ${dashboard}.`,
  });
}

function subjectMarkdown(drift: ReportDrift): string {
  return drift.address === null ? `${codeSpan(drift.type)} ${codeSpan(drift.id)}` : codeSpan(drift.address);
}

function headingVerb(drifts: readonly ReportDrift[]): string {
  const kinds = new Set(drifts.map((drift) => drift.kind));
  if (kinds.size > 1 || kinds.has('modified')) return 'drifted';
  return kinds.has('deleted') ? 'was deleted' : 'is not managed by Terraform';
}

function summaryLine(report: WorkspaceReport, drifts: readonly ReportDrift[]): string {
  const parts = [`Workspace ${codeSpan(report.workspace)}`];
  if (report.dir !== '' && report.dir !== '.') parts.push(`root module ${codeSpan(report.dir)}`);
  parts.push(`scanned ${escapeMarkdown(formatTime(report.finishedAt))} at ${codeSpan(report.commitSha)}`);
  if (drifts.length > 1) {
    const counts = SEVERITIES.map((severity) => [severity, drifts.filter((drift) => drift.severity === severity).length] as const).filter(([, count]) => count > 0);
    parts.push(`${drifts.length} drifts: ${counts.map(([severity, count]) => `${count} ${severity}`).join(', ')}`);
  }
  const partial = report.status === 'partial' ? '\n\n> [!WARNING]\n> This scan was partial: some resource types could not be read (see the Drift Dashboard).' : '';
  return `${parts.join(' · ')}${partial}`;
}

function driftSection(context: IssueContext, drift: ReportDrift, options: { showDiffs: boolean }): string {
  const { report } = context;
  const located: ReportDrift = drift.location === null ? drift : { ...drift, location: { ...drift.location, file: repoPath(report.dir, drift.location.file) ?? drift.location.file } };
  const patch = restorePatch(context, drift);
  const fix = fixSection(patch === null ? null : rebasePatch(patch, report.dir), { showDiff: options.showDiffs });
  return renderTemplate(DEFAULT_TEMPLATES.issueDrift, {
    title: `${severityName(drift.severity)} · ${escapeMarkdown(truncate(drift.title, MAX_DRIFT_TITLE))}`,
    resource: resourceLine(located),
    changes: changesTable(drift.kind, drift.changes) || '_No attribute-level change recorded._',
    attribution: attributionList(drift.attribution),
    facts: factsLine(drift),
    fix: fix === '' ? `_No patch was built for this drift: comment ${codeSpan('/drift fix')} to have one made._` : fix,
  }).trimEnd();
}

function factsLine(drift: ReportDrift): string {
  const controls = formatControls(drift.controls);
  return `**Controls** ${controls === '' ? 'none mapped' : escapeMarkdown(controls)} · **Cost** ${drift.costDeltaMonthly === null ? 'unknown (no price for this change)' : formatCost(drift.costDeltaMonthly)}`;
}

/** The restore patch for the drift: from the report's restore set, else the drift's own when it
 * is a restore patch. */
function restorePatch(context: IssueContext, drift: ReportDrift): DriftPatch | null {
  const fromSet = context.restore.get(drift.fingerprint);
  if (fromSet) return fromSet;
  return drift.patch?.direction === 'restore' ? drift.patch : null;
}

function rebasePatch(patch: DriftPatch, dir: string): DriftPatch {
  return { ...patch, files: patch.files.map((file) => ({ ...file, path: repoPath(dir, file.path) ?? file.path, diff: rebaseDiff(file.diff, dir) })) };
}

const TRUNCATED_MARK = 'This issue was cut to fit';

function truncationNote(report: WorkspaceReport, dashboard: string | null): string {
  const where = dashboard === null ? '' : ` ${dashboard} lists every drift, and`;
  const dir = report.dir === '' ? '.' : report.dir;
  return `> [!NOTE]\n> ${TRUNCATED_MARK} GitHub's limit of 65,536 characters.${where} ${codeSpan(`driftwatch scan --dir ${dir} --patch restore`)} prints the whole report.`;
}

function lastResolvedAt(finding: FindingRecord | undefined): string | null {
  if (finding === undefined) return null;
  // Before the store records this scan the finding is still resolved; after, it is open again and
  // remembers the previous episode's end.
  return finding.status === 'resolved' ? finding.resolvedAt : finding.lastResolvedAt;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
