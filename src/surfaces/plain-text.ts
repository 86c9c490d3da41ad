// Check run annotations are plain text: GitHub shows them as they are, so no Markdown escaping
// (a backslash would show), but no secret and no control character either.
import { stripControl, toSingleLine } from '../report/strip-control.js';

/** Scrubbed of the secrets (`scrub`: secretScrubber), control characters and escape sequences removed; line breaks kept
 * unless `singleLine`. */
export function plainText(text: string, scrub: (text: string) => string, options: { singleLine?: boolean } = {}): string {
  const scrubbed = scrub(text);
  return options.singleLine ? toSingleLine(scrubbed) : stripControl(scrubbed);
}

const encoder = new TextEncoder();

/** The longest prefix (whole code points, with an ellipsis when cut) whose UTF-8 form fits in
 * `maxBytes`: annotation messages and raw details are limited in bytes, not characters. */
export function truncateBytes(text: string, maxBytes: number): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8.
  if (text.length * 3 <= maxBytes || encoder.encode(text).length <= maxBytes) return text;
  const room = maxBytes - 3; // the ellipsis
  let bytes = 0;
  let end = 0;
  for (const point of text) {
    const code = point.codePointAt(0) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > room) break;
    bytes += size;
    end += point.length;
  }
  return `${text.slice(0, end)}…`;
}
