// Attribute | Declared | Live, one row per change; values in code spans, long values cut.
import type { Change, DriftKind } from '../../drift/types.js';
import { codeSpan } from '../escape-markdown.js';
import { formatValue } from '../format-value.js';
import { redactChange } from '../redact-change.js';

const MAX_ROWS = 30;
const MAX_VALUE_LENGTH = 300;

export function changesTable(kind: DriftKind, changes: readonly Change[]): string {
  if (changes.length === 0) {
    if (kind === 'deleted') return '_In the Terraform state, not found in AWS._';
    if (kind === 'unmanaged') return '_Found in AWS, in no Terraform state this scan knows._';
    return '';
  }
  const rows = changes.slice(0, MAX_ROWS).map(redactChange).map((change) => `| ${codeSpan(change.path, { table: true })} | ${cell(change.declared)} | ${cell(change.live)} |`);
  const table = ['| Attribute | Declared | Live |', '| --- | --- | --- |', ...rows].join('\n');
  if (changes.length <= MAX_ROWS) return table;
  return `${table}\n\n_…and ${changes.length - MAX_ROWS} more changes._`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '_(absent)_';
  return codeSpan(formatValue(value, MAX_VALUE_LENGTH), { table: true });
}
