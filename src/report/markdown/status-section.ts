// The opening statement: a warning when the scan is partial, a clear "no drift" when quiet.
import type { ScanResult } from '../types.js';

export function statusSection(result: ScanResult): string {
  const parts: string[] = [];
  if (result.status === 'partial') {
    const count = result.unknown.length;
    const what = count === 0
      ? 'Some resources could not be read, so their drift is unknown: none of them is'
      : count === 1
        ? '1 resource type could not be read, so drift in it is unknown: none of its resources is'
        : `${count} resource types could not be read, so drift in them is unknown: none of their resources is`;
    parts.push(`> [!WARNING]\n> **Partial scan.** ${what} reported as deleted or unmanaged.`);
  }
  if (result.drifts.length === 0) {
    parts.push(
      result.status === 'partial'
        ? '✅ **No drift** in the resource types that could be read.'
        : '✅ **No drift.** Live AWS matches the Terraform state.',
    );
  }
  return parts.join('\n\n');
}
