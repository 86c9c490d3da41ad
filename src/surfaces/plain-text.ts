// Check run annotations are plain text: GitHub shows them as they are, so no Markdown escaping
// (a backslash would show), but no secret and no control character either.
import { scrubSecrets } from '../drift/redact.js';
import { truncate } from '../report/format-value.js';
import { stripControl, toSingleLine } from '../report/strip-control.js';

/** Scrubbed of the secrets, control characters and escape sequences removed; line breaks kept
 * unless `singleLine`. */
export function plainText(text: string, secrets: readonly string[], options: { singleLine?: boolean } = {}): string {
  const scrubbed = scrubSecrets(text, secrets);
  return options.singleLine ? toSingleLine(scrubbed) : stripControl(scrubbed);
}

const encoder = new TextEncoder();

/** The longest prefix (whole code points, with an ellipsis when cut) whose UTF-8 form fits in
 * `maxBytes`: annotation messages and raw details are limited in bytes, not characters. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (encoder.encode(text).length <= maxBytes) return text;
  const points = Array.from(text);
  let low = 0;
  let high = points.length;
  // Binary search on the number of code points kept (the ellipsis takes 3 bytes).
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (encoder.encode(points.slice(0, mid).join('')).length + 3 <= maxBytes) low = mid;
    else high = mid - 1;
  }
  return truncate(text, low + 1);
}
