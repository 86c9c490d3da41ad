// Every body the app writes ends with its marker, and the marker must survive any cut: the body
// is fitted to the room the marker leaves, then the marker goes after it.
import { fitMarkdown } from './fit-markdown.js';
import { BODY_LIMIT } from './limits.js';
import { formatMarker } from './marker.js';
import type { Marker } from './types.js';

/** The body, scrubbed of secrets (`scrub`: secretScrubber) and cut (with `truncationNote`) to fit with its marker in
 * GitHub's limit, then the marker. */
export function bodyWithMarker(body: string, marker: Marker, options: { scrub: (text: string) => string; truncationNote: string; limit?: number }): string {
  const tail = `\n\n${formatMarker(marker)}\n`;
  const room = (options.limit ?? BODY_LIMIT) - tail.length;
  const scrubbed = options.scrub(body.trimEnd());
  return `${fitMarkdown(scrubbed, room, options.truncationNote)}${tail}`;
}
