// How to put it right: the patch's verdict, its diff folded in <details>, and any command.
import type { DriftPatch } from '../../patch/types.js';
import { codeBlock, codeSpan, escapeHtml, escapeMarkdown } from '../escape-markdown.js';
import { patchDiff } from '../patch-diff.js';
import { stripControl } from '../strip-control.js';

export function fixSection(patch: DriftPatch | null, options: { showDiff: boolean }): string {
  if (patch === null) return '';
  const parts = [verdict(patch)];
  const diff = patchDiff(patch);
  if (patch.status === 'edit' && diff !== '') {
    const lines = diff.split('\n').length - 1;
    // A code block drops carriage returns and control characters; a diff without them would not
    // apply to the file it was made from.
    if (stripControl(diff) !== diff) parts.push(`_The patch (${lines} lines) keeps CRLF line endings or control characters that Markdown cannot show exactly: take it from \`driftwatch scan --patch-file\` or the JSON report._`);
    else parts.push(options.showDiff ? diffDetails(patch, diff) : `_The patch (${lines} lines) is too long to show here._`);
  }
  if (patch.remediation !== null && patch.remediation.trim() !== '') {
    parts.push(`**Command**\n\n${codeBlock(patch.remediation.trim(), 'sh')}`);
  }
  return parts.join('\n\n');
}

function verdict(patch: DriftPatch): string {
  const label = `**Fix (${patch.direction}):**`;
  const note = patch.note.trim() === '' ? '' : ` ${escapeMarkdown(patch.note)}`;
  if (patch.status === 'edit') return `${label} edit ${patch.files.map((file) => codeSpan(file.path)).join(', ')}.${note}`;
  if (patch.status === 'none') return `${label} no edit needed.${note}`;
  if (patch.status === 'dropped') return `${label} no patch.${note}`;
  return note === '' ? `${label} this cannot be fixed by editing this configuration.` : `${label}${note}`;
}

function diffDetails(patch: DriftPatch, diff: string): string {
  const direction = patch.direction === 'restore' ? 'Restore' : 'Accept';
  const files = patch.files.map((file) => escapeHtml(file.path)).join(', ');
  // The blank lines around the fence end the HTML block, so GitHub renders the fence as code.
  return `<details>\n<summary>${direction} patch: ${files}</summary>\n\n${codeBlock(diff, 'diff')}\n\n</details>`;
}
