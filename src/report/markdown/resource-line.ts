// Which resource, what happened to it, and where it is written.
import { codeSpan } from '../escape-markdown.js';
import type { ReportDrift } from '../types.js';

const KIND_TEXT = {
  modified: 'modified outside Terraform',
  deleted: 'deleted outside Terraform',
  unmanaged: 'not managed by Terraform',
} as const;

export function resourceLine(drift: ReportDrift): string {
  const subject = drift.kind === 'unmanaged' || drift.address === null
    ? `${codeSpan(drift.type)} ${codeSpan(drift.id)}`
    : `${codeSpan(drift.address)} (${codeSpan(drift.id)})`;
  const parts = [subject, KIND_TEXT[drift.kind]];
  if (drift.location !== null) parts.push(`${codeSpan(drift.location.file)} line ${drift.location.line}`);
  return parts.join(' · ');
}
