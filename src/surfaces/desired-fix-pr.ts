// The fix pull request a workspace wants for one direction: the patch engine's files for the
// selected drifts, committed on driftwatch/<workspace>/<direction>, and a body that says what each
// fixed drift was, who made it, what `terraform apply` then does, and why every other selected
// drift is left out. When nothing needs an edit there is no pull request, and the reply says why
// and what to run instead. Pure.
import { secretScrubber } from '../drift/redact.js';
import type { Severity } from '../drift/types.js';
import type { DriftPatch, FileEdit, PatchDirection, PatchSet } from '../patch/types.js';
import type { WorkspaceReport } from '../repository/types.js';
import { DEFAULT_TEMPLATES } from '../report/default-templates.js';
import { codeBlock, codeSpan, escapeMarkdown, escapePlainText } from '../report/escape-markdown.js';
import { formatValue, truncate } from '../report/format-value.js';
import { severityName } from '../report/markdown/severity-name.js';
import { redactChange } from '../report/redact-change.js';
import { renderTemplate } from '../report/render-template.js';
import { SEVERITIES, sortBySeverity } from '../report/severity-order.js';
import type { ReportDrift } from '../report/types.js';
import { bodyWithMarker } from './body-with-marker.js';
import { formatTime } from './format-time.js';
import { repoPath } from './repo-path.js';
import { resourceKey } from './resource-key.js';
import { scrubReport } from './scrub-report.js';
import { sha256 } from './sha256.js';
import type { DesiredFixPr, FixPrMarker } from './types.js';

/** Bump to rewrite every open fix pull request once (after a template change). */
export const FIX_PR_RENDER_VERSION = 1;

/** Which drifts a fix pull request is for: all of them, the ones a command names (addresses, or
 * `type:id` for unmanaged; an address without its instance key names every instance), or those at
 * or above autofix's min_severity. */
export type FixSelection =
  | { kind: 'all' }
  | { kind: 'addresses'; addresses: readonly string[] }
  | { kind: 'min-severity'; severity: Severity };

export interface FixPrInput {
  report: WorkspaceReport;
  direction: PatchDirection;
  selection: FixSelection;
}

/** The pull request, or why there is none: a Markdown reply for the command or the dashboard. */
export type FixPrPlan = { desired: DesiredFixPr; reply: null } | { desired: null; reply: string };

const PR_TITLE_LIMIT = 256;
const MAX_TITLE = 200;

interface LeftOut {
  drift: ReportDrift;
  reason: string;
  remediation: string | null;
}

interface Fixed {
  drift: ReportDrift;
  patch: DriftPatch;
  /** Set when it was not selected but its edit is merged into a file a selected drift needs. */
  alongside: boolean;
}

export function desiredFixPr(input: FixPrInput): FixPrPlan {
  const { direction, selection } = input;
  const report = scrubReport(input.report);
  const dir = report.dir === '' ? '.' : report.dir;
  const scrub = secretScrubber(report.secrets);
  const noPr = (reply: string): FixPrPlan => ({ desired: null, reply: scrub(reply) });
  if (report.result === null || (report.status !== 'complete' && report.status !== 'partial')) {
    return noPr(`No pull request: ${codeSpan(report.workspace)} could not be scanned${report.error ? `:\n\n${codeBlock(report.error, 'text')}` : '.'}`);
  }
  const drifts = sortBySeverity(report.result.drifts);
  const { selected, unmatched } = select(drifts, selection);
  if (selected.length === 0) return noPr(nothingSelected(report, drifts, selection, unmatched));
  const patchSet = report.patches[direction];
  if (patchSet === undefined) {
    return noPr(`No pull request: the ${direction} patch was not built for this scan of ${codeSpan(report.workspace)}. Comment ${codeSpan(`/drift ${direction === 'restore' ? 'fix' : 'accept'}`)} to scan again and build it.`);
  }

  const byFingerprint = new Map(patchSet.patches.map((patch) => [patch.fingerprint, patch]));
  const leftOut: LeftOut[] = [];
  const candidates = new Map<string, { drift: ReportDrift; patch: DriftPatch }>();
  for (const drift of selected) {
    const patch = byFingerprint.get(drift.fingerprint) ?? null;
    if (patch !== null && patch.status === 'edit' && patch.files.length > 0) candidates.set(drift.fingerprint, { drift, patch });
    else leftOut.push({ drift, reason: leftOutReason(patch, direction), remediation: patch?.remediation?.trim() || null });
  }

  const built = buildFiles(patchSet, candidates, drifts, report);
  leftOut.push(...built.refused);
  if (built.files.length === 0) return noPr(nothingToEdit(report, direction, leftOut, dir));

  const fixed = built.fixed;
  const fingerprints = fixed.map((entry) => entry.drift.fingerprint).sort();
  const files = built.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const marker: FixPrMarker = {
    kind: 'fix-pr',
    v: FIX_PR_RENDER_VERSION,
    workspace: report.workspace,
    direction,
    patchHash: sha256(files.map((file) => `${file.path}\0${file.content}`).join('\0')),
    fingerprints,
    state: 'open',
  };
  const title = prTitle(report.workspace, direction, fixed.map((entry) => entry.drift));
  const covered = new Set<ReportDrift>([...selected, ...fixed.map((entry) => entry.drift)]);
  const unselected = drifts.filter((drift) => !covered.has(drift));
  const body = renderTemplate(DEFAULT_TEMPLATES.fixPr, {
    title: escapeMarkdown(title),
    intro: intro(report, direction, dir),
    fixed: fixed.map((entry) => fixedItem(entry, direction)).join('\n'),
    leftOut: leftOutSection(leftOut, unselected, unmatched, selection),
    files: files.map((file) => `- ${codeSpan(file.path)}`).join('\n'),
    after: afterMerging(direction, dir, fixed, leftOut),
    footer: FOOTER,
  });
  const truncationNote = `> [!NOTE]\n> This description was cut to fit GitHub's limit. ${codeSpan(`driftwatch scan --dir ${dir} --patch ${direction}`)} prints every drift and its patch.`;
  return {
    desired: {
      workspace: report.workspace,
      direction,
      branch: `driftwatch/${report.workspace}/${direction}`,
      title: scrub(title),
      body: bodyWithMarker(body, marker, { scrub, truncationNote }),
      files,
      marker,
    },
    reply: null,
  };
}

function select(drifts: readonly ReportDrift[], selection: FixSelection): { selected: ReportDrift[]; unmatched: string[] } {
  if (selection.kind === 'all') return { selected: [...drifts], unmatched: [] };
  if (selection.kind === 'min-severity') {
    const limit = SEVERITIES.indexOf(selection.severity);
    return { selected: drifts.filter((drift) => SEVERITIES.indexOf(drift.severity) <= limit), unmatched: [] };
  }
  const unmatched: string[] = [];
  const chosen = new Set<ReportDrift>();
  for (const wanted of selection.addresses) {
    const matches = drifts.filter((drift) => drift.address === wanted || resourceKey(drift) === wanted || (drift.address !== null && drift.address.replace(/\[[^\]]*\]$/, '') === wanted));
    if (matches.length === 0) unmatched.push(wanted);
    for (const match of matches) chosen.add(match);
  }
  return { selected: drifts.filter((drift) => chosen.has(drift)), unmatched };
}

/**
 * The files to commit. The patch set merged every drift's edits per file; a file is taken merged
 * when every drift that edits it is selected, as the selected drift's own edit when only one of
 * its drifts is selected (each drift's patch is the whole file against the configuration as it
 * is), and otherwise merged with the other drifts' edits along (the engine does not merge an
 * arbitrary subset: those drifts are then fixed too, and the body says so). An edit that would
 * add a secret of the state to the repository, or a file outside it, is refused.
 */
function buildFiles(patchSet: PatchSet, candidates: ReadonlyMap<string, { drift: ReportDrift; patch: DriftPatch }>, drifts: readonly ReportDrift[], report: WorkspaceReport): { files: DesiredFixPr['files']; fixed: Fixed[]; refused: LeftOut[] } {
  const driftOf = new Map(drifts.map((drift) => [drift.fingerprint, drift]));
  const editors = (path: string) => patchSet.patches.filter((patch) => patch.status === 'edit' && patch.files.some((file) => file.path === path));
  const files: DesiredFixPr['files'] = [];
  const fixed = new Map<string, Fixed>();
  const refused = new Map<string, LeftOut>();
  for (const merged of patchSet.files) {
    const all = editors(merged.path);
    const chosen = all.filter((patch) => candidates.has(patch.fingerprint));
    if (chosen.length === 0) continue;
    let edit: FileEdit | undefined = merged;
    let contributors = all;
    if (chosen.length === 1 && all.length > 1) {
      edit = chosen[0]?.files.find((file) => file.path === merged.path);
      contributors = chosen;
    }
    if (edit === undefined) continue;
    const path = repoPath(report.dir, edit.path);
    const refusal = path === null ? 'its file is outside the repository, so a pull request cannot change it.' : addsSecret(edit, report.secrets) ? 'its edit would write a secret value from the Terraform state into the repository; make this change by hand, from your secret store.' : null;
    for (const patch of contributors) {
      const drift = candidates.get(patch.fingerprint)?.drift ?? driftOf.get(patch.fingerprint);
      if (drift === undefined) continue;
      if (refusal !== null) refused.set(patch.fingerprint, { drift, reason: refusal, remediation: patch.remediation?.trim() || null });
      else if (!fixed.has(patch.fingerprint)) fixed.set(patch.fingerprint, { drift, patch, alongside: !candidates.has(patch.fingerprint) });
    }
    if (refusal === null && path !== null) files.push({ path, content: edit.after });
  }
  // A file that a refused drift edits is not committed, and a drift is fixed only when every
  // file of its edit is.
  const kept = files.filter((file) => [...refused.keys()].every((fingerprint) => !editsFile(patchSet, fingerprint, file.path, report.dir)));
  const keptPaths = new Set(kept.map((file) => file.path));
  const complete = (patch: DriftPatch) => patch.files.every((file) => keptPaths.has(repoPath(report.dir, file.path) ?? ''));
  for (const [fingerprint, { drift, patch }] of candidates) {
    if (refused.has(fingerprint) || complete(patch)) continue;
    refused.set(fingerprint, { drift, reason: 'its edit shares a file with an edit that was refused.', remediation: patch.remediation?.trim() || null });
  }
  const position = new Map(drifts.map((drift, index) => [drift.fingerprint, index]));
  const order = (fingerprint: string) => position.get(fingerprint) ?? -1;
  return {
    files: kept,
    fixed: [...fixed.values()].filter((entry) => !refused.has(entry.drift.fingerprint) && (entry.alongside || complete(entry.patch))).sort((a, b) => order(a.drift.fingerprint) - order(b.drift.fingerprint)),
    refused: [...refused.values()],
  };
}

function editsFile(patchSet: PatchSet, fingerprint: string, repoFile: string, dir: string): boolean {
  const patch = patchSet.patches.find((candidate) => candidate.fingerprint === fingerprint);
  return patch?.files.some((file) => repoPath(dir, file.path) === repoFile) ?? false;
}

/** More occurrences of a secret after the edit than before: the edit writes it. */
function addsSecret(edit: FileEdit, secrets: readonly string[]): boolean {
  return secrets.some((secret) => count(edit.after, secret) > count(edit.before, secret));
}

function count(text: string, part: string): number {
  return part === '' ? 0 : text.split(part).length - 1;
}

function leftOutReason(patch: DriftPatch | null, direction: PatchDirection): string {
  if (patch === null) return 'no patch was built for it.';
  const note = patch.note.trim() === '' ? '' : ` ${escapeMarkdown(patch.note, { multiline: false })}`;
  if (patch.status === 'none') return direction === 'restore' ? `no edit is needed: \`terraform apply\` reverts it.${note}` : `no edit is needed.${note}`;
  if (patch.status === 'explain') return `a patch cannot express it.${note}`;
  if (patch.status === 'dropped') return `its edit was dropped.${note}`;
  return `its edit touches no file.${note}`;
}

function prTitle(workspace: string, direction: PatchDirection, fixed: readonly ReportDrift[]): string {
  const one = fixed.length === 1 ? (fixed[0] as ReportDrift) : null;
  const subject = one === null ? `${fixed.length} drifted resources` : (one.address ?? `${one.type} ${one.id}`);
  const text = direction === 'restore' ? `Restore ${subject} in ${workspace}` : one === null ? `Accept live changes to ${subject} in ${workspace}` : `Accept the live ${subject} in ${workspace}`;
  return truncate(escapePlainText(text), PR_TITLE_LIMIT);
}

function intro(report: WorkspaceReport, direction: PatchDirection, dir: string): string {
  const where = `${codeSpan(report.workspace)} (${codeSpan(dir)}), scanned ${escapeMarkdown(formatTime(report.finishedAt))} at ${codeSpan(report.commitSha)}`;
  return direction === 'restore'
    ? `This pull request changes the Terraform configuration of ${where} so that the next \`terraform apply\` puts the declared values back where AWS drifted from them.`
    : `This pull request changes the Terraform configuration of ${where} to match what is live in AWS, so that \`terraform apply\` no longer wants to change it back.`;
}

function fixedItem(entry: Fixed, direction: PatchDirection): string {
  const { drift } = entry;
  const subject = drift.address === null ? `${codeSpan(drift.type)} ${codeSpan(drift.id)}` : `${codeSpan(drift.address)} (${codeSpan(drift.id)})`;
  const lines = [`- ${severityName(drift.severity)} **${escapeMarkdown(truncate(drift.title, MAX_TITLE))}**: ${subject}`];
  const changed = changesText(drift);
  if (changed !== '') lines.push(`  - What changed: ${changed}`);
  lines.push(`  - ${attributionText(drift)}`);
  lines.push(`  - After \`terraform apply\`: ${applyEffect(drift, direction)}`);
  if (entry.patch.note.trim() !== '') lines.push(`  - ${escapeMarkdown(truncate(entry.patch.note, 600))}`);
  if (entry.alongside) lines.push('  - Not asked for, but included: its edit is merged into the same file as a drift that was.');
  if (entry.patch.remediation !== null && entry.patch.remediation.trim() !== '') lines.push('  - `terraform apply` does not undo all of it: see the commands under "After merging".');
  return lines.join('\n');
}

function changesText(drift: ReportDrift): string {
  if (drift.kind === 'deleted') return 'deleted outside Terraform';
  if (drift.kind === 'unmanaged') return 'created outside Terraform';
  const shown = drift.changes.slice(0, 5).map(redactChange).map((change) => `${codeSpan(change.path)} ${codeSpan(formatValue(change.declared, 80))} → ${codeSpan(formatValue(change.live, 80))}`);
  return `${shown.join(', ')}${drift.changes.length > 5 ? ` and ${drift.changes.length - 5} more` : ''}`;
}

function attributionText(drift: ReportDrift): string {
  const attribution = drift.attribution;
  if (attribution === null) return 'Changed by: CloudTrail names no one.';
  const from = attribution.sourceIp === null ? '' : ` from ${codeSpan(attribution.sourceIp)}`;
  return `Changed by ${codeSpan(attribution.actor)} via ${codeSpan(attribution.eventName)} at ${escapeMarkdown(formatTime(attribution.eventTime))}${from}${attribution.console ? ' in the console' : ''}.`;
}

function applyEffect(drift: ReportDrift, direction: PatchDirection): string {
  if (direction === 'accept') {
    return drift.kind === 'unmanaged'
      ? 'imports it into the state (an `import` block); review the generated arguments before applying.'
      : 'leaves AWS as it is: the configuration now says what is live.';
  }
  if (drift.kind === 'deleted') return 'creates it again.';
  if (drift.kind === 'unmanaged') return 'nothing: it is in no configuration.';
  const values = drift.changes.slice(0, 5).map(redactChange).map((change) => `${codeSpan(change.path)} ${codeSpan(formatValue(change.declared, 80))}`);
  return `sets ${values.join(', ')}${drift.changes.length > 5 ? ` and ${drift.changes.length - 5} more` : ''} back.`;
}

function leftOutSection(leftOut: readonly LeftOut[], unselected: readonly ReportDrift[], unmatched: readonly string[], selection: FixSelection): string {
  const parts: string[] = [];
  if (leftOut.length === 0 && unselected.length === 0 && unmatched.length === 0) return '_Nothing: every selected drift is fixed here._';
  for (const entry of leftOut) {
    const subject = entry.drift.address === null ? `${codeSpan(entry.drift.type)} ${codeSpan(entry.drift.id)}` : codeSpan(entry.drift.address);
    const command = entry.remediation === null ? '' : ' `terraform apply` does not undo it: see the commands under "After merging".';
    parts.push(`- ${severityName(entry.drift.severity)} **${escapeMarkdown(truncate(entry.drift.title, MAX_TITLE))}**: ${subject}: ${entry.reason}${command}`);
  }
  if (unselected.length > 0) {
    const why = selection.kind === 'min-severity' ? `below autofix's ${codeSpan(`min_severity: ${selection.severity}`)}` : 'not named in the command';
    const names = unselected.slice(0, 20).map((drift) => codeSpan(resourceKey(drift))).join(', ');
    parts.push(`- ${unselected.length} other ${unselected.length === 1 ? 'drift' : 'drifts'} of this workspace, ${why}: ${names}${unselected.length > 20 ? ', …' : ''}.`);
  }
  if (unmatched.length > 0) parts.push(`- No drift matches ${unmatched.map((name) => codeSpan(name)).join(', ')}.`);
  return parts.join('\n');
}

function afterMerging(direction: PatchDirection, dir: string, fixed: readonly Fixed[], leftOut: readonly LeftOut[]): string {
  const command = codeSpan(`terraform -chdir=${dir} ${direction === 'restore' ? 'apply' : 'plan'}`);
  const count = fixed.length === 1 ? 'drift' : `${fixed.length} drifts`;
  const first = direction === 'restore'
    ? `Run ${command} (or let your pipeline apply it): it puts back the declared values of the ${count} above.`
    : `Run ${command}: the ${count} above should show no change (an import block shows as an import).`;
  const commands = [...new Set([...fixed.map((entry) => entry.patch.remediation), ...leftOut.map((entry) => entry.remediation)].filter((command): command is string => command !== null && command.trim() !== '').map((command) => command.trim()))];
  if (commands.length === 0) return first;
  return `${first}\n\n\`terraform apply\` does not undo everything above; also run:\n\n${codeBlock(commands.join('\n'), 'sh')}`;
}

function nothingSelected(report: WorkspaceReport, drifts: readonly ReportDrift[], selection: FixSelection, unmatched: readonly string[]): string {
  const name = codeSpan(report.workspace);
  if (drifts.length === 0) return `No pull request: nothing in ${name} has drifted.`;
  if (selection.kind === 'min-severity') return `No pull request: no drift in ${name} is at or above ${codeSpan(selection.severity)}.`;
  const known = drifts.slice(0, 20).map((drift) => codeSpan(resourceKey(drift))).join(', ');
  return `No pull request: no drift in ${name} matches ${unmatched.map((address) => codeSpan(address)).join(', ')}. The drifted resources are ${known}${drifts.length > 20 ? ', …' : ''}.`;
}

function nothingToEdit(report: WorkspaceReport, direction: PatchDirection, leftOut: readonly LeftOut[], dir: string): string {
  const apply = codeSpan(`terraform -chdir=${dir} apply`);
  const allNone = leftOut.every((entry) => entry.reason.startsWith('no edit is needed'));
  const lines: string[] = [];
  if (direction === 'restore' && allNone) {
    lines.push(`Nothing needs an edit: every value is written literally, so ${codeSpan('terraform apply')} in ${codeSpan(dir)} reverts it. Run ${apply} to put the declared values back.`);
  } else {
    lines.push(`No pull request: nothing in ${codeSpan(report.workspace)} can be ${direction === 'restore' ? 'restored' : 'accepted'} by editing the configuration.`);
    lines.push('');
    for (const entry of leftOut) lines.push(`- ${codeSpan(resourceKey(entry.drift))}: ${entry.reason}`);
  }
  const commands = leftOut.filter((entry) => entry.remediation !== null);
  if (commands.length > 0) {
    lines.push('', `${codeSpan('terraform apply')} does not undo everything; also run:`, '');
    lines.push(codeBlock(commands.map((entry) => entry.remediation).join('\n'), 'sh'));
  }
  return lines.join('\n');
}

const FOOTER = 'driftwatch keeps this pull request up to date: it rewrites it when the drift changes and closes it when the drift is gone. Comment `/drift fix` or `/drift accept` with addresses to change what it covers.';
