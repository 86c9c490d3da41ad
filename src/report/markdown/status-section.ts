// The opening statement: a warning when the scan is partial (what could not be read, and every
// configuration error), a clear "no drift" when quiet.
import { CONFIG_ERRORS_EFFECT, configErrorsSummary } from '../config-errors-summary.js';
import { codeSpan, escapeMarkdown } from '../escape-markdown.js';
import { truncate } from '../format-value.js';
import type { ConfigError, ScanResult } from '../types.js';

export function statusSection(result: ScanResult): string {
  const parts: string[] = [];
  if (result.status === 'partial') {
    const sentences: string[] = [];
    const count = result.unknown.length;
    if (count > 0) {
      const what = count === 1
        ? '1 resource type could not be read, so drift in it is unknown: none of its resources is'
        : `${count} resource types could not be read, so drift in them is unknown: none of their resources is`;
      sentences.push(`${what} reported as deleted or unmanaged.`);
    }
    if (result.configErrors.length > 0) {
      sentences.push(`The configuration could not be fully read (${configErrorsSummary(result.configErrors, (file) => codeSpan(file))}): ${CONFIG_ERRORS_EFFECT}`);
    }
    if (sentences.length === 0) sentences.push('Some resources could not be read, so their drift is unknown: none of them is reported as deleted or unmanaged.');
    const lines = [`> [!WARNING]`, `> **Partial scan.** ${sentences[0]}`, ...sentences.slice(1).map((sentence) => `> ${sentence}`)];
    if (result.configErrors.length > 0) lines.push('>', ...configErrorItems(result.configErrors).map((item) => `> ${item}`));
    parts.push(lines.join('\n'));
  }
  if (result.drifts.length === 0) {
    parts.push(
      result.unknown.length > 0
        ? '✅ **No drift** in the resource types that could be read.'
        : result.configErrors.length > 0
          ? '✅ **No drift.** Live AWS matches the Terraform state, as far as the configuration could be read.'
          : '✅ **No drift.** Live AWS matches the Terraform state.',
    );
  }
  return parts.join('\n\n');
}

const MAX_ERRORS = 20;

function configErrorItems(errors: readonly ConfigError[]): string[] {
  const items = errors.slice(0, MAX_ERRORS).map((error) => `- ${codeSpan(`${error.file}:${error.line}:${error.column}`)}: ${escapeMarkdown(truncate(error.message, 200))}`);
  if (errors.length > MAX_ERRORS) items.push(`- _…and ${errors.length - MAX_ERRORS} more._`);
  return items;
}
