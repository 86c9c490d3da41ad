// One line saying what changed, for reopen comments, fix pull requests and check annotations:
// `cidr_ipv4: 10.20.0.0/16 → 0.0.0.0/0`. Values are masked under secret-like names and cut short.
import type { Change, DriftKind } from '../drift/types.js';
import { codeSpan, escapeMarkdown } from '../report/escape-markdown.js';
import { formatValue, truncate } from '../report/format-value.js';
import { redactChange } from '../report/redact-change.js';
import { resourceKey } from './resource-key.js';

export interface ChangedDrift {
  kind: DriftKind;
  address: string | null;
  type: string;
  id: string;
  changes: Change[];
}

const MAX_CHANGES = 5;
const MAX_VALUE = 80;
const MAX_LINE = 1_000;

/** Plain text (not escaped): `cidr_ipv4: 10.20.0.0/16 → 0.0.0.0/0, description: … → …`. */
export function whatChangedText(drift: ChangedDrift): string {
  if (drift.kind === 'deleted') return `${resourceKey(drift)} was deleted outside Terraform`;
  if (drift.kind === 'unmanaged') return `${drift.type} ${drift.id} was created outside Terraform`;
  const shown = drift.changes.slice(0, MAX_CHANGES).map(redactChange).map((change) => `${change.path}: ${formatValue(change.declared, MAX_VALUE)} → ${formatValue(change.live, MAX_VALUE)}`);
  const more = drift.changes.length > MAX_CHANGES ? ` and ${drift.changes.length - MAX_CHANGES} more` : '';
  return truncate(`${shown.join(', ')}${more}`, MAX_LINE);
}

/** Markdown, escaped, one line, for several drifts of one resource. */
export function whatChangedMarkdown(drifts: readonly ChangedDrift[]): string {
  return drifts.map(driftMarkdown).join('; ');
}

function driftMarkdown(drift: ChangedDrift): string {
  if (drift.kind === 'deleted') return `${codeSpan(resourceKey(drift))} was deleted outside Terraform`;
  if (drift.kind === 'unmanaged') return `${codeSpan(drift.type)} ${codeSpan(drift.id)} was created outside Terraform`;
  const shown = drift.changes.slice(0, MAX_CHANGES).map(redactChange).map((change) => `${codeSpan(change.path)} ${codeSpan(formatValue(change.declared, MAX_VALUE))} → ${codeSpan(formatValue(change.live, MAX_VALUE))}`);
  const more = drift.changes.length > MAX_CHANGES ? ` ${escapeMarkdown(`and ${drift.changes.length - MAX_CHANGES} more`)}` : '';
  return `${shown.join(', ')}${more}`;
}
