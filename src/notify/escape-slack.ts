// Escaping for Slack mrkdwn: the one place cloud data (tag values, names, titles, actors) is made
// safe for Slack messages, blocks and their plain-text fallback alike. Two layers need defeating:
// - Slack's control sequences are all inside angle brackets (`<!channel>`, `<!here>`,
//   `<!everyone>`, `<@U…>`, `<#C…>`, `<!subteam^…>`, `<url|label>`): `&`, `<`, `>` become
//   entities, as Slack asks, so none of them can form.
// - What Slack links on its own in text it parses: bare URLs, `@channel`-style words, e-mail
//   addresses. A zero-width joiner after `@` and inside `://` and `www.` breaks the patterns while
//   the reader sees the same text (mrkdwn objects are also sent with `verbatim: true`).
import { stripControl, toSingleLine } from '../report/strip-control.js';

const ZWJ = '\u200d';

/** Makes untrusted text inert in Slack mrkdwn, on one line (line breaks and tabs collapse to a
 * space, so a value cannot start a quote or a list of its own). */
export function escapeSlack(text: string): string {
  return toSingleLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, `@${ZWJ}`)
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\b(www)\./gi, `$1${ZWJ}.`);
}

/** Untrusted text as inline code (addresses, ids, API calls): escaped like any text, and a
 * backtick inside cannot end the span (it becomes the look-alike ˋ). */
export function slackCode(text: string): string {
  const content = escapeSlack(text.replace(/`/g, 'ˋ'));
  return `\`${content === '' ? ' ' : content}\``;
}

/**
 * A link to one of driftwatch's own pages (issue, dashboard). Only http(s) URLs become links;
 * the characters that would end Slack's `<url|label>` early are percent-encoded, and the label
 * is escaped like any text. Anything else is the label alone.
 */
export function slackLink(url: string | null | undefined, label: string): string {
  const text = escapeSlack(label);
  if (url == null || !/^https?:\/\/[^\s]+$/i.test(url)) return text;
  const target = stripControl(url).replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  return `<${target}|${text}>`;
}

/** `<url|Issue #42>` for a context line, or nothing when the drift has no issue (yet). */
export function issueLink(url: string | null, issueNumber: number | null): string[] {
  if (url === null) return [];
  return [slackLink(url, issueNumber === null ? 'Drift issue' : `Issue #${issueNumber}`)];
}
