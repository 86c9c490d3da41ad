// The "driftwatch" check run on a pull request (the workspaces it touches, scanned at its head),
// or on a push to the default branch (the workspaces the push touched, at its commit).
// Summary and text from templates/, annotations on the exact lines of drifted blocks (paths
// relative to the repository), and above all the collision: a pull request that edits a block
// whose live resource drifted will, once applied, revert that live change.
import { secretScrubber } from '../drift/redact.js';
import type { AssessedDrift, Severity } from '../drift/types.js';
import type { WorkspaceReport } from '../repository/types.js';
import { DEFAULT_TEMPLATES } from '../report/default-templates.js';
import { codeBlock, codeSpan, escapeMarkdown } from '../report/escape-markdown.js';
import { formatAttribution, formatPercent } from '../report/format-facts.js';
import { formatValue, truncate } from '../report/format-value.js';
import { severityName } from '../report/markdown/severity-name.js';
import { redactChange } from '../report/redact-change.js';
import { renderTemplate } from '../report/render-template.js';
import { SEVERITIES, sortBySeverity } from '../report/severity-order.js';
import type { ReportDrift } from '../report/types.js';
import { fitMarkdown } from './fit-markdown.js';
import { formatDate } from './format-time.js';
import { ANNOTATION_BYTES_LIMIT, ANNOTATION_TITLE_LIMIT, CHECK_TEXT_LIMIT, CHECK_TITLE_LIMIT } from './limits.js';
import type { LineRange } from './patch-line-ranges.js';
import { firstTouched, touches } from './patch-line-ranges.js';
import { plainText, truncateBytes } from './plain-text.js';
import { repoPath } from './repo-path.js';
import { resourceKey } from './resource-key.js';
import { scrubReport } from './scrub-report.js';
import type { Annotation, CheckAction, CheckConclusion, DesiredCheckRun } from './types.js';
import { whatChangedText } from './what-changed.js';

export interface CheckRunInput {
  headSha: string;
  /** The reports of the workspaces the pull request touches, scanned at its head. */
  reports: readonly WorkspaceReport[];
  /** The configuration's fail_on; 'none' never fails on drift. */
  failOn: Severity | 'none';
  /** What the check is for: a pull request (default), or a push to the default branch (its
   * commit's check: the workspaces the push touched, no collisions). */
  subject?: 'pull-request' | 'push';
  /** Changed lines of the head per repository-relative path (changedLineRanges). */
  changedLines: ReadonlyMap<string, readonly LineRange[]>;
}

export const FIX_ACTION: CheckAction = { label: 'Open fix PR', description: 'A restore pull request for these drifts', identifier: 'fix' };
export const RESCAN_ACTION: CheckAction = { label: 'Rescan', description: 'Scan these workspaces again', identifier: 'rescan' };

const LEVELS: Record<Severity, Annotation['annotation_level']> = { critical: 'failure', high: 'failure', medium: 'warning', low: 'notice' };
const MAX_TABLE_VALUE = 60;

interface Located {
  report: WorkspaceReport;
  drift: ReportDrift;
  path: string;
  start: number;
  end: number;
  collides: boolean;
  /** Where the annotation goes: the first line the pull request changes inside the block (so it
   * shows in the diff), else the block's first line. */
  line: number;
}

export function desiredCheckRun(input: CheckRunInput): DesiredCheckRun {
  const reports = input.reports.map(scrubReport);
  const scrub = secretScrubber(reports.flatMap((report) => report.secrets));
  const scanned = reports.filter((report) => report.result !== null && (report.status === 'complete' || report.status === 'partial'));
  const failed = reports.filter((report) => report.status === 'failed');
  const drifts = scanned.flatMap((report) => sortBySeverity(report.result?.drifts ?? []).map((drift) => ({ report, drift })));
  const located = locate(scanned, input.changedLines);
  const collisions = located.filter((entry) => entry.collides);
  const what = input.subject === 'push' ? 'this push' : 'this pull request';
  const conclusion = conclusionOf(input.failOn, drifts.map((entry) => entry.drift.severity), failed.length > 0, scanned.some((report) => report.status === 'partial'));

  const summary = renderTemplate(DEFAULT_TEMPLATES.checkSummary, {
    headline: headline(conclusion, input.failOn, drifts.map((entry) => entry.drift.severity), reports, failed, what),
    collisions: collisionsSection(collisions),
    counts: drifts.length === 0 ? '' : countsTable(drifts.map((entry) => entry.drift.severity)),
    workspaces: workspacesSection(reports),
  });
  const text = renderTemplate(DEFAULT_TEMPLATES.checkText, {
    drifts: drifts.length === 0 ? `_None in the workspaces ${what} touches._` : driftsTable(drifts, located),
    unread: unreadSection(scanned),
    actions: actionsText(drifts.length > 0, input.subject === 'push' ? 'in the drift issue' : 'on this pull request'),
  });
  const note = (what: string) => `> [!NOTE]\n> This ${what} was cut to fit GitHub's limit. \`driftwatch scan\` prints the whole report, and each drift has its issue once the default branch is scanned.`;
  return {
    name: 'driftwatch',
    headSha: input.headSha,
    conclusion,
    output: {
      title: scrub(truncate(title(drifts.map((entry) => entry.drift.severity), failed, collisions.length, reports), CHECK_TITLE_LIMIT)),
      summary: fitMarkdown(scrub(summary.trimEnd()), CHECK_TEXT_LIMIT, note('summary')),
      text: fitMarkdown(scrub(text.trimEnd()), CHECK_TEXT_LIMIT, note('text')),
    },
    annotations: annotations(located, scrub),
    actions: drifts.length > 0 ? [FIX_ACTION, RESCAN_ACTION] : [RESCAN_ACTION],
  };
}

/**
 * failure: a workspace could not be scanned (its drift is unknown: a state that cannot be read
 * fails the check), or a drift at or above fail_on; neutral: drift only below it, or a partial
 * scan that found none (what it could not read is unknown); success: no drift at all. Never
 * action_required.
 */
function conclusionOf(failOn: Severity | 'none', severities: readonly Severity[], anyFailed: boolean, anyPartial: boolean): CheckConclusion {
  if (anyFailed) return 'failure';
  if (failOn !== 'none' && severities.some((severity) => SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(failOn))) return 'failure';
  if (severities.length > 0 || anyPartial) return 'neutral';
  return 'success';
}

function locate(reports: readonly WorkspaceReport[], changed: ReadonlyMap<string, readonly LineRange[]>): Located[] {
  const out: Located[] = [];
  for (const report of reports) {
    for (const drift of sortBySeverity(report.result?.drifts ?? [])) {
      if (drift.location === null) continue;
      const path = repoPath(report.dir, drift.location.file);
      if (path === null) continue;
      const start = drift.location.line;
      const end = Math.max(start, drift.location.endLine ?? start);
      const ranges = changed.get(path);
      out.push({ report, drift, path, start, end, collides: touches(ranges, start, end), line: firstTouched(ranges, start, end) ?? start });
    }
  }
  return out;
}

function title(severities: readonly Severity[], failed: readonly WorkspaceReport[], collisions: number, reports: readonly WorkspaceReport[]): string {
  const parts: string[] = [];
  if (failed.length === 1) parts.push(`Could not scan ${failed[0]?.workspace ?? ''}`);
  else if (failed.length > 1) parts.push(`${failed.length} workspaces could not be scanned`);
  if (severities.length > 0) parts.push(`${severities.length} ${severities.length === 1 ? 'drift' : 'drifts'} (${countsText(severities)})`);
  else if (failed.length < reports.filter((report) => report.status !== 'disabled').length) parts.push('No drift');
  if (collisions > 0) parts.push(`applying this PR reverts ${collisions} live ${collisions === 1 ? 'change' : 'changes'}`);
  if (parts.length === 0) return 'No workspace to scan';
  return parts.join(' · ');
}

function headline(conclusion: CheckConclusion, failOn: Severity | 'none', severities: readonly Severity[], reports: readonly WorkspaceReport[], failed: readonly WorkspaceReport[], what: string): string {
  const count = severities.length;
  const threshold = failOn === 'none' ? 'drift never fails this check (`fail_on: none`)' : `this check fails on drift at or above ${codeSpan(`fail_on: ${failOn}`)}`;
  if (reports.length === 0) return `✅ ${what.charAt(0).toUpperCase()}${what.slice(1)} touches no workspace driftwatch scans.`;
  const lines: string[] = [];
  if (failed.length > 0) lines.push(`❌ **${failed.length === 1 ? 'A workspace' : `${failed.length} workspaces`} could not be scanned**, so drift there is unknown. See below for what to fix.`);
  if (count > 0) {
    const atOrAbove = conclusionOf(failOn, severities, false, false) === 'failure';
    lines.push(`${atOrAbove ? '❌' : '⚠️'} **${count} ${count === 1 ? 'drift' : 'drifts'}** in the workspaces ${what} touches: ${threshold}.`);
  } else if (failed.length === 0) {
    lines.push(conclusion === 'success' ? `✅ **No drift** in the workspaces ${what} touches.` : '⚠️ **No drift in what could be read**, but some resource types could not be read.');
  }
  return lines.join('\n\n');
}

function collisionsSection(collisions: readonly Located[]): string {
  if (collisions.length === 0) return '';
  const items = collisions.slice(0, 30).map((entry) => `> - ${codeSpan(`${entry.path}:${entry.line}`)} ${codeSpan(resourceKey(entry.drift))}: ${escapeMarkdown(revertLine(entry.drift))}`);
  if (collisions.length > 30) items.push(`> - …and ${collisions.length - 30} more (see the annotations)`);
  return [
    '> [!WARNING]',
    `> **Applying this pull request will revert ${collisions.length === 1 ? 'a live change' : `${collisions.length} live changes`}.** It edits ${collisions.length === 1 ? 'a block' : 'blocks'} whose resource was changed outside Terraform; \`terraform apply\` will put the declared values back:`,
    ...items,
  ].join('\n');
}

function countsTable(severities: readonly Severity[]): string {
  const rows = SEVERITIES.map((severity) => `| ${severityName(severity)} | ${severities.filter((candidate) => candidate === severity).length} |`);
  return ['| Severity | Drifts |', '| --- | ---: |', ...rows].join('\n');
}

function workspacesSection(reports: readonly WorkspaceReport[]): string {
  if (reports.length === 0) return '';
  const rows = reports.map((report) => {
    const status = { complete: '✅ complete', partial: '⚠️ partial', failed: '❌ failed', disabled: '⏸️ disabled' }[report.status];
    const score = report.result === null ? '—' : `${report.result.postureScore}/100`;
    const coverage = report.result === null ? '—' : formatPercent(report.result.coverage.percent);
    const drifts = report.result === null ? '—' : String(report.result.drifts.length);
    const dir = report.dir === '' ? '.' : report.dir;
    return `| ${codeSpan(report.workspace, { table: true })} | ${codeSpan(dir, { table: true })} | ${status} | ${drifts} | ${score} | ${coverage} |`;
  });
  const table = ['| Workspace | Directory | Scan | Drifts | Posture score | Coverage |', '| --- | --- | --- | ---: | ---: | ---: |', ...rows].join('\n');
  const failures = reports
    .filter((report) => report.status === 'failed')
    .map((report) => `**${codeSpan(report.workspace)} could not be scanned.**\n\n${codeBlock(report.error?.trim() || 'The scan failed without saying why.', 'text')}`);
  const disabled = reports.filter((report) => report.status === 'disabled').map((report) => `${codeSpan(report.workspace)} is disabled (\`enabled: false\`): not scanned.`);
  return [table, ...failures, ...disabled].join('\n\n');
}

function driftsTable(drifts: readonly { report: WorkspaceReport; drift: ReportDrift }[], located: readonly Located[]): string {
  const where = new Map(located.map((entry) => [`${entry.report.workspace}\n${entry.drift.fingerprint}`, entry]));
  const rows = drifts.map(({ report, drift }) => {
    const place = where.get(`${report.workspace}\n${drift.fingerprint}`);
    const location = place === undefined ? '—' : codeSpan(`${place.path}:${place.start}`, { table: true });
    const by = drift.attribution === null ? '_unknown_' : codeSpan(formatValue(`${drift.attribution.actor} via ${drift.attribution.eventName}`, 120), { table: true });
    const collision = place?.collides ? ' ⚠️ this PR reverts it' : '';
    return `| ${severityName(drift.severity)} | ${codeSpan(report.workspace, { table: true })} | ${codeSpan(resourceKey(drift), { table: true })} | ${escapeMarkdown(truncate(drift.title, 150))}${collision} | ${changesCell(drift)} | ${location} | ${by} |`;
  });
  return ['| Severity | Workspace | Resource | Drift | What changed | Where | Changed by |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function changesCell(drift: ReportDrift): string {
  if (drift.kind === 'deleted') return 'deleted outside Terraform';
  if (drift.kind === 'unmanaged') return 'created outside Terraform';
  const shown = drift.changes.slice(0, 3).map(redactChange).map((change) => codeSpan(`${change.path}: ${formatValue(change.declared, MAX_TABLE_VALUE)} → ${formatValue(change.live, MAX_TABLE_VALUE)}`, { table: true }));
  return `${shown.join(', ')}${drift.changes.length > 3 ? ` and ${drift.changes.length - 3} more` : ''}`;
}

function unreadSection(reports: readonly WorkspaceReport[]): string {
  const partial = reports.filter((report) => (report.result?.unknown.length ?? 0) > 0);
  if (partial.length === 0) return '';
  const items = partial.flatMap((report) => (report.result?.unknown ?? []).slice(0, 20).map((family) => `- ${codeSpan(report.workspace)} ${codeSpan(family.type)}: ${escapeMarkdown(truncate(family.reason, 300))}`));
  const denied = partial.some((report) => report.result?.unknown.some((family) => /AccessDenied|not authorized|UnauthorizedOperation|Forbidden/i.test(family.reason)));
  const fix = denied ? "To fix: give driftwatch's role the read-only permissions in `docs/iam-policy.json`, then press Rescan." : 'To fix: press Rescan once AWS answers again.';
  return ['### Not read', '', 'Drift in these resource types is unknown: none of their resources is reported as deleted or unmanaged.', '', ...items, '', fix].join('\n');
}

function actionsText(anyDrift: boolean, where: string): string {
  const lines = ['- **Rescan** (above) scans these workspaces again at this commit.'];
  if (anyDrift) {
    lines.unshift('- **Open fix PR** (above) opens a pull request that restores the declared values of these drifts.');
    lines.push(`- Or comment ${codeSpan('/drift fix')}, ${codeSpan('/drift accept')} or ${codeSpan('/drift ignore <address> [reason]')} ${where}.`);
  }
  return lines.join('\n');
}

function annotations(located: readonly Located[], scrub: (text: string) => string): Annotation[] {
  // One annotation per block: several drifts of one resource (or instances of one block) share it.
  const groups = new Map<string, Located[]>();
  for (const entry of located) {
    const key = `${entry.path}\n${entry.start}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()].map((group) => annotation(group, scrub));
}

function annotation(group: readonly Located[], scrub: (text: string) => string): Annotation {
  const first = group[0] as Located;
  const severity = SEVERITIES.find((candidate) => group.some((entry) => entry.drift.severity === candidate)) ?? first.drift.severity;
  const collides = group.some((entry) => entry.collides);
  const line = Math.min(...group.map((entry) => entry.line));
  const subject = group.length === 1 ? resourceKey(first.drift) : `${resourceKey(first.drift)} and ${group.length - 1} more`;
  const rawTitle = collides ? `Applying this PR reverts a live change to ${subject}` : `[${severity.toUpperCase()}] ${subject} drifted outside Terraform`;
  const lines: string[] = [];
  for (const entry of group) {
    if (entry.collides) lines.push(revertLine(entry.drift));
  }
  for (const entry of group) lines.push(...driftLines(entry.drift));
  lines.push('Fix: press "Open fix PR" on this check, or comment /drift fix on the pull request.');
  const raw = group.flatMap((entry) => rawDetails(entry.drift)).join('\n');
  return {
    path: first.path,
    start_line: line,
    end_line: line,
    annotation_level: LEVELS[severity],
    title: truncate(plainText(rawTitle, scrub, { singleLine: true }), ANNOTATION_TITLE_LIMIT),
    message: truncateBytes(plainText(lines.join('\n'), scrub), ANNOTATION_BYTES_LIMIT),
    ...(raw === '' ? {} : { raw_details: truncateBytes(plainText(raw, scrub), ANNOTATION_BYTES_LIMIT) }),
  };
}

/** "Applying this PR will revert a live change: <what> changed by <actor> via <event> on <date>". */
function revertLine(drift: AssessedDrift): string {
  const what = whatChangedText(drift);
  const who = drift.attribution === null
    ? 'by an unknown actor'
    : `by ${drift.attribution.actor} via ${drift.attribution.eventName} on ${formatDate(drift.attribution.eventTime)}`;
  return `Applying this PR will revert a live change: ${what} changed ${who}.`;
}

function driftLines(drift: ReportDrift): string[] {
  const kind = { modified: 'was modified outside Terraform', deleted: 'was deleted outside Terraform', unmanaged: 'is not managed by Terraform' }[drift.kind];
  const lines = [`${drift.severity.toUpperCase()}: ${resourceKey(drift)} (${drift.id}) ${kind}: ${drift.title}.`];
  if (drift.kind === 'modified') lines.push(`What changed: ${whatChangedText(drift)}.`);
  lines.push(drift.attribution === null ? 'Changed by: unknown (no CloudTrail event found).' : `Changed by ${formatAttribution(drift.attribution)}.`);
  return lines;
}

function rawDetails(drift: ReportDrift): string[] {
  return drift.changes.map(redactChange).map((change) => `${resourceKey(drift)} ${change.path}: declared ${formatValue(change.declared)}, live ${formatValue(change.live)}`);
}

function countsText(severities: readonly Severity[]): string {
  return SEVERITIES.map((severity) => [severity, severities.filter((candidate) => candidate === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
}
