// Block builders that keep every message within Slack's limits: 50 blocks a message, 3000
// characters a section text, 2000 a field, 150 a header, 10 elements a context. Cut text ends
// with "…", never inside an entity (`&amp;`), a link (`<url|label>`) or a surrogate pair.
import type { MrkdwnObject, SlackBlock } from './types.js';

export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;
export const MAX_FIELD_TEXT = 2000;
export const MAX_HEADER_TEXT = 150;
export const MAX_CONTEXT_ELEMENTS = 10;
/** Slack truncates a message's `text` beyond 40,000 characters and advises 4,000. */
export const MAX_FALLBACK_TEXT = 4000;

const ELLIPSIS = '…';

export function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, MAX_HEADER_TEXT), emoji: true } };
}

export function section(mrkdwn: string, fields: string[] = []): SlackBlock {
  const block: Extract<SlackBlock, { type: 'section' }> = { type: 'section', text: mrkdwnObject(fitMrkdwn(mrkdwn, MAX_SECTION_TEXT)) };
  if (fields.length > 0) block.fields = fields.slice(0, 10).map((field) => mrkdwnObject(fitMrkdwn(field, MAX_FIELD_TEXT)));
  return block;
}

export function context(elements: string[]): SlackBlock {
  return { type: 'context', elements: elements.slice(0, MAX_CONTEXT_ELEMENTS).map((element) => mrkdwnObject(fitMrkdwn(element, MAX_SECTION_TEXT))) };
}

export function divider(): SlackBlock {
  return { type: 'divider' };
}

function mrkdwnObject(text: string): MrkdwnObject {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** Raw (unescaped) text cut to `max` characters with "…", on a code point boundary. Cloud values
 * are clipped before escaping, so a message's size stays bounded whatever the cloud holds. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - ELLIPSIS.length));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}${ELLIPSIS}`;
}

/**
 * Escaped mrkdwn cut to `max` characters: at the last line break in the second half if there is
 * one, and never inside an entity or a `<…>` link, so what remains still renders as written.
 */
export function fitMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - ELLIPSIS.length - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if (cut.lastIndexOf('<') > cut.lastIndexOf('>')) cut = cut.slice(0, cut.lastIndexOf('<'));
  if (cut.lastIndexOf('&') > cut.lastIndexOf(';')) cut = cut.slice(0, cut.lastIndexOf('&'));
  const lineBreak = cut.lastIndexOf('\n');
  if (lineBreak > max / 2) return `${cut.slice(0, lineBreak)}\n${ELLIPSIS}`;
  return `${cut}${ELLIPSIS}`;
}

export interface FallbackParts {
  /** Lines before the list. */
  head: string[];
  /** Escaped list entries (each may span lines), a blank line between two. */
  items: string[];
  /** Entries left out before this (beyond a message's top few). */
  omitted: number;
  /** The line that counts what is not listed. */
  more(count: number): string;
  /** Lines after the list. */
  tail: string[];
}

/** The plain-text fallback within MAX_FALLBACK_TEXT: the head and the tail always, and as many
 * entries as fit between them, the rest counted. */
export function fallbackText(parts: FallbackParts): string {
  let text = '';
  for (let listed = parts.items.length; listed >= 0; listed -= 1) {
    const rest = parts.omitted + parts.items.length - listed;
    const lines = [...parts.head];
    if (listed > 0) lines.push(parts.items.slice(0, listed).join('\n\n'));
    if (rest > 0) lines.push('', parts.more(rest));
    lines.push(...parts.tail);
    text = lines.join('\n');
    if (text.length <= MAX_FALLBACK_TEXT) return text;
  }
  return fitMrkdwn(text, MAX_FALLBACK_TEXT);
}
