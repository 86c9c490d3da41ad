// The Drift Dashboard a repository wants: every current drift by workspace and severity with its
// issue, what could not be read and what to fix, when each workspace was last scanned and why, a
// checkbox per drift and per workspace, and the trend. Its marker's contentHash covers everything
// but the times (the "last scanned" lines and the trend), so an unchanged rescan changes nothing
// and the times alone refresh it at most once a day (planDashboard).
import { secretScrubber } from '../drift/redact.js';
import type { DriftKind } from '../drift/types.js';
import type { ScanReason, ScanTrigger } from '../repository/types.js';
import { DEFAULT_TEMPLATES } from '../report/default-templates.js';
import { codeBlock, codeSpan, escapeMarkdown } from '../report/escape-markdown.js';
import { truncate } from '../report/format-value.js';
import { severityName } from '../report/markdown/severity-name.js';
import { renderTemplate } from '../report/render-template.js';
import { SEVERITIES } from '../report/severity-order.js';
import type { ScanRecord } from '../store/types.js';
import { fitMarkdown } from './fit-markdown.js';
import { requestCheckbox } from './dashboard-requests.js';
import type { DashboardDrift, DashboardWorkspace } from './dashboard-workspace.js';
import { formatTime } from './format-time.js';
import { BODY_LIMIT } from './limits.js';
import { formatMarker } from './marker.js';
import { identityKey } from './resource-key.js';
import { sha256 } from './sha256.js';
import { DEFAULT_TREND_LENGTH, trendChart } from './trend-chart.js';
import { DASHBOARD_TITLE, type DashboardMarker, type DesiredDashboard } from './types.js';

/** Bump to rewrite the dashboard once (after a template change). */
export const DASHBOARD_RENDER_VERSION = 1;

export interface DesiredDashboardInput {
  /** Every configured workspace, in config order: dashboardWorkspaceFromReport for those this
   * scan covered, dashboardWorkspaceFromStore for the others. */
  workspaces: readonly DashboardWorkspace[];
  /** Drift issue numbers by identityKey({ workspace, resource }): from the store's findings or
   * from this scan's issue writes. */
  issueNumbers: ReadonlyMap<string, number>;
  /** The store's scans of this repository (any order): the trend. Empty without a store. */
  history: readonly ScanRecord[];
  /** Now: the marker's refreshedAt. */
  now: string;
  /** Points in the trend. */
  trendLength?: number;
  /** The state's secrets of the reports behind `workspaces`: a last scrub of the body. */
  secrets?: readonly string[];
}

const MAX_TITLE = 160;
const TRIGGERS: Record<ScanTrigger, string> = {
  installation: 'the app was installed',
  push: 'a push',
  pull_request: 'a pull request',
  command: 'a /drift command',
  dashboard: 'a dashboard checkbox',
  check_run: 'a check run button',
  schedule: 'its schedule',
};

const ACCEPT_DOES: Record<DriftKind, string> = {
  modified: 'write the live values into the configuration',
  deleted: 'drop it from the configuration',
  unmanaged: 'import it',
};

interface RenderOptions {
  times: boolean;
  scrub: (text: string) => string;
  /** A checkbox per drift; off when the body would not fit otherwise. */
  driftBoxes: boolean;
}

export function desiredDashboard(input: DesiredDashboardInput): DesiredDashboard {
  let options: RenderOptions = { times: true, driftBoxes: true, scrub: secretScrubber(input.secrets ?? []) };
  if (render(input, options).length > roomForBody()) options = { ...options, driftBoxes: false };
  // The hash of the body without its times: what changes only when drift (or a status) does.
  const contentHash = sha256(render(input, { ...options, times: false }));
  const marker: DashboardMarker = { kind: 'dashboard', v: DASHBOARD_RENDER_VERSION, contentHash, refreshedAt: input.now };
  const tail = `\n\n${formatMarker(marker)}\n`;
  const note = '> [!NOTE]\n> This dashboard was cut to fit GitHub\'s limit of 65,536 characters. Every drift still has its issue (label `drift`), and `driftwatch scan` prints the whole report.';
  const body = `${fitMarkdown(render(input, options), BODY_LIMIT - tail.length, note)}${tail}`;
  return { title: DASHBOARD_TITLE, body, marker };
}

function roomForBody(): number {
  return BODY_LIMIT - 400;
}

function render(input: DesiredDashboardInput, options: RenderOptions): string {
  const body = renderTemplate(DEFAULT_TEMPLATES.dashboard, {
    title: DASHBOARD_TITLE,
    overview: overview(input.workspaces),
    workspaces: input.workspaces.map((workspace) => workspaceSection(workspace, input.issueNumbers, options)).join('\n\n'),
    trend: options.times ? trendChart(input.history, input.trendLength ?? DEFAULT_TREND_LENGTH) : '',
    help: HELP,
  });
  return options.scrub(body.trimEnd());
}

function overview(workspaces: readonly DashboardWorkspace[]): string {
  const drifts = workspaces.flatMap((workspace) => workspace.drifts);
  const drifted = workspaces.filter((workspace) => workspace.drifts.length > 0).length;
  const unread = workspaces.filter((workspace) => workspace.status === 'failed').length;
  const partial = workspaces.filter((workspace) => workspace.status === 'partial').length;
  const lines: string[] = [];
  if (drifts.length === 0) lines.push(`✅ **No drift** in ${workspaces.length === 1 ? 'the workspace' : `any of the ${workspaces.length} workspaces`}.`);
  else {
    const counts = SEVERITIES.map((severity) => [severity, drifts.filter((drift) => drift.severity === severity).length] as const).filter(([, count]) => count > 0);
    lines.push(`**${drifts.length} ${drifts.length === 1 ? 'drift' : 'drifts'}** in ${drifted} of ${workspaces.length} ${workspaces.length === 1 ? 'workspace' : 'workspaces'}: ${counts.map(([severity, count]) => `${count} ${severity}`).join(', ')}.`);
  }
  if (unread > 0) lines.push(`⚠️ ${unread} ${unread === 1 ? 'workspace' : 'workspaces'} could not be scanned: see below for what to fix.`);
  if (partial > 0) lines.push(`⚠️ ${partial} ${partial === 1 ? 'workspace was' : 'workspaces were'} scanned only in part: drift in what could not be read is unknown.`);
  return lines.join('\n\n');
}

function workspaceSection(workspace: DashboardWorkspace, issues: ReadonlyMap<string, number>, options: RenderOptions): string {
  return renderTemplate(DEFAULT_TEMPLATES.dashboardWorkspace, {
    title: workspaceTitle(workspace),
    status: statusText(workspace),
    scanned: options.times ? scannedLine(workspace) : '',
    drifts: driftList(workspace, issues, options),
    actions: workspaceActions(workspace),
  }).trimEnd();
}

function workspaceTitle(workspace: DashboardWorkspace): string {
  const where = workspace.dir === null || workspace.dir === '' || workspace.dir === '.' ? '' : ` · ${codeSpan(workspace.dir)}`;
  return `${codeSpan(workspace.workspace)}${where}`;
}

function statusText(workspace: DashboardWorkspace): string {
  if (workspace.status === 'disabled') return '⏸️ **Disabled** (`enabled: false` in `.github/driftwatch.yml`): not scanned.';
  if (workspace.status === 'failed') {
    const error = workspace.error?.trim() || 'The scan failed without saying why.';
    return `❌ **Could not be scanned.** Nothing in it is reported or resolved until a scan succeeds.\n\n${codeBlock(error, 'text')}`;
  }
  const parts: string[] = [];
  if (workspace.status === 'partial') parts.push(partialText(workspace.unknown));
  const score = workspace.postureScore === null ? '' : ` · posture score **${workspace.postureScore}**/100`;
  if (workspace.drifts.length === 0) parts.push(`✅ **No drift**${workspace.status === 'partial' ? ' in what could be read' : ''}${score}.`);
  else parts.push(`**${workspace.drifts.length} ${workspace.drifts.length === 1 ? 'drift' : 'drifts'}**${score}.`);
  return parts.join('\n\n');
}

function partialText(unknown: readonly { type: string; reason: string }[]): string {
  const items = unknown.slice(0, 20).map((family) => `> - ${codeSpan(family.type)}: ${escapeMarkdown(truncate(family.reason, 300))}`);
  if (unknown.length > 20) items.push(`> - …and ${unknown.length - 20} more`);
  const denied = unknown.some((family) => /AccessDenied|not authorized|UnauthorizedOperation|Forbidden/i.test(family.reason));
  const fix = denied
    ? "> **To fix:** give driftwatch's role the read-only permissions in `docs/iam-policy.json`, then tick Rescan."
    : '> **To fix:** tick Rescan once AWS answers again.';
  return ['> [!WARNING]', '> **Partial scan.** These resource types could not be read, so their drift is unknown; none of their resources is reported as deleted or unmanaged, and no issue of theirs is closed.', ...items, '>', fix].join('\n');
}

function scannedLine(workspace: DashboardWorkspace): string {
  if (workspace.scannedAt === null) return workspace.status === 'disabled' ? '' : '_Not scanned yet._';
  const commit = workspace.commitSha === null ? '' : ` at ${codeSpan(workspace.commitSha.slice(0, 12))}`;
  const what = workspace.status === 'failed' ? 'Last scan attempted' : 'Last scanned';
  return `${what} ${escapeMarkdown(formatTime(workspace.scannedAt))}${commit}${reasonText(workspace.reason)}.`;
}

function reasonText(reason: ScanReason | null): string {
  if (reason === null) return '';
  const detail = reason.detail === null || reason.detail.trim() === '' ? '' : ` (${escapeMarkdown(truncate(reason.detail, 200))})`;
  const actor = reason.actor === null ? '' : ` by ${codeSpan(reason.actor)}`;
  return `, because of ${TRIGGERS[reason.trigger]}${detail}${actor}`;
}

function driftList(workspace: DashboardWorkspace, issues: ReadonlyMap<string, number>, options: RenderOptions): string {
  if (workspace.drifts.length === 0) return '';
  const blocks: string[] = [];
  for (const severity of SEVERITIES) {
    const drifts = workspace.drifts.filter((drift) => drift.severity === severity);
    if (drifts.length === 0) continue;
    blocks.push(`**${severityName(severity)} (${drifts.length})**`);
    blocks.push(drifts.map((drift) => driftItem(workspace.workspace, drift, issues, options)).join('\n'));
  }
  return blocks.join('\n\n');
}

function driftItem(workspace: string, drift: DashboardDrift, issues: ReadonlyMap<string, number>, options: RenderOptions): string {
  const number = issues.get(identityKey({ workspace, resource: drift.resource }));
  const issue = number === undefined ? '_no issue yet_' : `#${number}`;
  const subject = drift.address === null ? `${codeSpan(drift.type)} ${codeSpan(drift.id)}` : codeSpan(drift.address);
  const line = `- ${subject}: ${escapeMarkdown(truncate(drift.title, MAX_TITLE))} · ${issue}`;
  if (!options.driftBoxes) return line;
  const boxes = [line];
  // An unmanaged resource is in no configuration to restore: its issue gives the command instead.
  if (drift.kind !== 'unmanaged') boxes.push(requestCheckbox({ kind: 'fix', direction: 'restore', workspace, resource: drift.resource }, 'open a restore pull request', '  '));
  boxes.push(requestCheckbox({ kind: 'fix', direction: 'accept', workspace, resource: drift.resource }, `open an accept pull request (${ACCEPT_DOES[drift.kind]})`, '  '));
  return boxes.join('\n');
}

function workspaceActions(workspace: DashboardWorkspace): string {
  if (workspace.status === 'disabled') return '';
  const name = codeSpan(workspace.workspace);
  const boxes = [requestCheckbox({ kind: 'rescan', workspace: workspace.workspace }, `rescan ${name}`)];
  if (workspace.drifts.length > 0) {
    boxes.push(requestCheckbox({ kind: 'fix', direction: 'restore', workspace: workspace.workspace, resource: null }, `open a restore pull request for every drift in ${name}`));
    boxes.push(requestCheckbox({ kind: 'fix', direction: 'accept', workspace: workspace.workspace, resource: null }, `open an accept pull request for every drift in ${name}`));
  }
  return `**Actions**\n\n${boxes.join('\n')}`;
}

const HELP = [
  'Tick a box to ask driftwatch for it: a **restore** pull request changes the configuration so that `terraform apply` puts the declared values back; an **accept** pull request changes the configuration to match what is live; **rescan** scans the workspace again. driftwatch unticks the box once it has acted. Boxes ticked by people without write access to the repository are ignored.',
  '',
  'This issue is rewritten when drift changes; the scan times alone are refreshed at most once a day. Each drift also has its own issue (label `drift`) with the details and the `/drift` commands.',
].join('\n');
