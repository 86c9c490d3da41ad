// The terminal report. Every piece of cloud or state data goes through `clean` (no escape
// sequences, no control characters, one line) before any colour of ours is added around it.
import type { Severity } from '../drift/types.js';
import type { DriftPatch } from '../patch/types.js';
import { CONFIG_ERRORS_EFFECT, configErrorsSummary } from './config-errors-summary.js';
import { formatAttribution, formatControls, formatCost, showsCost, formatPercent } from './format-facts.js';
import { formatValue } from './format-value.js';
import { redactChange } from './redact-change.js';
import { SEVERITIES, sortBySeverity } from './severity-order.js';
import { stripControl, toSingleLine } from './strip-control.js';
import type { ReportDrift, ScanResult } from './types.js';

export interface TextOptions {
  /** ANSI colours; off unless asked for (the CLI turns it on for a TTY). */
  color?: boolean;
}

const MAX_VALUE_LENGTH = 200;
const MAX_CHANGES = 20;
const INDENT = ' '.repeat(10);

const STYLES = {
  bold: '1',
  dim: '2',
  green: '32',
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
} as const;

type Style = keyof typeof STYLES;
type Paint = (text: string, style: Style) => string;

export function renderText(result: ScanResult, options: TextOptions = {}): string {
  const paint: Paint = options.color === true ? (text, style) => `\u001b[${STYLES[style]}m${text}\u001b[0m` : (text) => text;
  const sections = [header(result, paint)];
  const drifts = sortBySeverity(result.drifts);
  for (const drift of drifts) sections.push(driftBlock(drift, paint));
  if (result.unknown.length > 0) sections.push(unknownBlock(result));
  if (result.configErrors.length > 0) sections.push(configErrorsBlock(result));
  if (result.notes.length > 0) sections.push(notesBlock(result));
  return `${sections.join('\n\n')}\n`;
}

function header(result: ScanResult, paint: Paint): string {
  const status = result.status === 'partial' ? `partial scan${partialReasons(result)}` : 'complete scan';
  const { coverage } = result;
  const lines = [
    `${paint('driftwatch', 'bold')} · ${clean(result.workspace)} · ${status}`,
    `posture ${result.postureScore}/100 · coverage ${formatPercent(coverage.percent)} (${coverage.managed} managed, ${coverage.unmanaged} unmanaged) · scanned ${clean(result.scannedAt)}`,
  ];
  const total = result.drifts.length;
  if (total === 0) {
    lines.push(
      result.unknown.length > 0
        ? paint('No drift in the resource types that could be read; the others are unknown (see below).', 'green')
        : result.configErrors.length > 0
          ? paint('No drift: live AWS matches the Terraform state, as far as the configuration could be read (see below).', 'green')
          : paint('No drift: live AWS matches the Terraform state.', 'green'),
    );
    return lines.join('\n');
  }
  const counts = SEVERITIES.filter((severity) => (result.summary[severity] ?? 0) > 0)
    .map((severity) => paint(`${result.summary[severity]} ${severity}`, severity));
  lines.push(`${total} ${total === 1 ? 'drift' : 'drifts'}: ${counts.join(', ')}`);
  return lines.join('\n');
}

function driftBlock(drift: ReportDrift, paint: Paint): string {
  const label = severityLabel(drift.severity);
  const lines = [`${paint(label, drift.severity)}${' '.repeat(INDENT.length - label.length)}${paint(clean(drift.title), 'bold')}`];
  lines.push(paint(whereLine(drift), 'dim'));
  const changes = drift.changes.map(redactChange);
  for (const change of changes.slice(0, MAX_CHANGES)) {
    lines.push(`${clean(change.path)}: ${clean(formatValue(change.declared, MAX_VALUE_LENGTH))} → ${clean(formatValue(change.live, MAX_VALUE_LENGTH))}`);
  }
  if (changes.length > MAX_CHANGES) lines.push(`… and ${changes.length - MAX_CHANGES} more changes`);
  // A drift that does not touch the bill says nothing about cost; an unknown price says so.
  if (showsCost(drift.costDeltaMonthly)) lines.push(`cost: ${formatCost(drift.costDeltaMonthly)}`);
  if (drift.attribution !== null) lines.push(`by ${clean(formatAttribution(drift.attribution))}`);
  const controls = formatControls(drift.controls);
  if (controls !== '') lines.push(clean(controls));
  if (drift.patch !== null) lines.push(...patchLines(drift.patch));
  return lines.map((line, index) => (index === 0 ? line : `${INDENT}${line}`)).join('\n');
}

function severityLabel(severity: Severity): string {
  return severity.toUpperCase();
}

function whereLine(drift: ReportDrift): string {
  const subject = drift.kind === 'unmanaged' || drift.address === null
    ? `${clean(drift.type)} ${clean(drift.id)}`
    : `${clean(drift.address)} (${clean(drift.id)})`;
  const parts = [subject, drift.kind];
  if (drift.location !== null) parts.push(`${clean(drift.location.file)}:${drift.location.line}`);
  return parts.join(' · ');
}

function patchLines(patch: DriftPatch): string[] {
  const prefix = `fix (${patch.direction})`;
  const note = clean(patch.note);
  const withNote = (text: string) => (note === '' ? text : `${text} — ${note}`);
  const lines: string[] = [];
  if (patch.status === 'edit') lines.push(withNote(`${prefix}: edits ${patch.files.map((file) => clean(file.path)).join(', ')}`));
  else if (patch.status === 'none') lines.push(withNote(`${prefix}: no edit needed`));
  else if (patch.status === 'dropped') lines.push(withNote(`${prefix}: no patch`));
  else lines.push(note === '' ? `${prefix}: cannot be made by editing this configuration` : `${prefix}: ${note}`);
  if (patch.remediation !== null && patch.remediation.trim() !== '') {
    const commands = stripControl(patch.remediation).split('\n').map((line) => line.trimEnd()).filter((line) => line !== '');
    commands.forEach((command, index) => lines.push(`${index === 0 ? 'run: ' : '     '}${command.replace(/\t/g, ' ')}`));
  }
  return lines;
}

function unknownBlock(result: ScanResult): string {
  const lines = ['Not scanned: drift in these types is unknown, and none of their resources is reported as deleted or unmanaged.'];
  for (const family of result.unknown) lines.push(`  ${clean(family.type)}: ${clean(family.reason)}`);
  return lines.join('\n');
}

/** Why the scan is partial, for the status line: ": 1 resource type not read; configuration
 * not fully read (2 errors in main.tf)". */
function partialReasons(result: ScanResult): string {
  const reasons: string[] = [];
  const types = result.unknown.length;
  if (types > 0) reasons.push(`${types} resource ${types === 1 ? 'type' : 'types'} not read`);
  if (result.configErrors.length > 0) reasons.push(`configuration not fully read (${clean(configErrorsSummary(result.configErrors))})`);
  return reasons.length > 0 ? `: ${reasons.join('; ')}` : '';
}

function configErrorsBlock(result: ScanResult): string {
  const lines = [`Configuration not fully read: ${CONFIG_ERRORS_EFFECT}`];
  for (const error of result.configErrors) lines.push(`  ${clean(`${error.file}:${error.line}:${error.column}: ${error.message}`)}`);
  return lines.join('\n');
}

function notesBlock(result: ScanResult): string {
  return ['Notes:', ...result.notes.map((note) => `  - ${clean(note)}`)].join('\n');
}

function clean(text: string): string {
  return toSingleLine(text);
}
