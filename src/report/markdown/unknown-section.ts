// Resource types the scan could not read: their drift is unknown, not absent.
import { codeSpan, escapeMarkdown } from '../escape-markdown.js';
import { truncate } from '../format-value.js';
import type { ScanResult } from '../types.js';

const MAX_ITEMS = 20;
const MAX_REASON_LENGTH = 400;

export function unknownSection(unknown: ScanResult['unknown']): string {
  if (unknown.length === 0) return '';
  const items = unknown.slice(0, MAX_ITEMS).map((family) => `- ${codeSpan(family.type)}: ${escapeMarkdown(truncate(family.reason, MAX_REASON_LENGTH))}`);
  if (unknown.length > MAX_ITEMS) items.push(`- _…and ${unknown.length - MAX_ITEMS} more._`);
  return ['### Not scanned', '', 'Drift in these resource types is unknown; none of their resources is reported as deleted or unmanaged.', '', ...items].join('\n');
}
