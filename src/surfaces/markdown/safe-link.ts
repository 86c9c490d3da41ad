// Links the app makes itself (to its dashboard, its issues): only plain http(s) URLs with no
// character that could end the link or start Markdown, so a bad value gives no link, never a
// broken or injected one.
import { escapeMarkdown } from '../../report/escape-markdown.js';

const SAFE_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9\-._~%/#?&=+]*)?$/;

/** `[label](url)`, or null when `url` is absent or not a plain http(s) URL. */
export function linkOrNull(label: string, url: string | null): string | null {
  if (url === null || !SAFE_URL.test(url)) return null;
  return `[${escapeMarkdown(label)}](${url})`;
}
