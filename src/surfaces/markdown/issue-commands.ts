// The `/drift` commands that act on one drift issue, each ready to copy.
import { codeSpan } from '../../report/escape-markdown.js';
import type { ReportDrift } from '../../report/types.js';

/** The pattern `/drift ignore` takes for the drift's resource: the address, or driftctl's
 * `type.id` (dots in the id as `\.`) for an unmanaged one. */
export function ignorePattern(drift: Pick<ReportDrift, 'address' | 'type' | 'id'>): string {
  return drift.address ?? `${drift.type}.${drift.id.replace(/\./g, '\\.')}`;
}

export function issueCommands(drift: ReportDrift, workspace: string): string {
  return [
    `- ${codeSpan('/drift fix')} opens a pull request that puts the declared configuration back (restore).`,
    `- ${codeSpan('/drift accept')} opens a pull request that changes the configuration to match AWS (accept).`,
    `- ${codeSpan(`/drift ignore ${ignorePattern(drift)} [reason]`)} opens a pull request that adds an ignore rule for it to ${codeSpan('.github/driftwatch.yml')}.`,
    `- ${codeSpan(`/drift scan ${workspace}`)} scans the workspace again.`,
    '',
    'Comment a command on this issue; commands need write access to the repository.',
  ].join('\n');
}
