// Escaping for GitHub-flavoured Markdown, the one place cloud data and state values are made
// safe for issues, check runs, PR bodies and the dashboard. Two layers need defeating:
// - Markdown itself: links, images, emphasis, tables, headings/lists/quotes at line start, raw
//   HTML. Backslash escapes and HTML entities handle these.
// - GitHub's filters that run on the rendered HTML text: @mentions, #123 / GH-123 references
//   and URL autolinks. Escapes are gone by then, so these are broken with a zero-width joiner
//   (invisible, and it stops the patterns matching).
import { stripControl, toSingleLine } from './strip-control.js';

const ZWJ = '\u200d';

// ASCII punctuation with inline meaning in GFM (`$` for math). `.`, `-`, `+`, `=` only matter
// at line start and are handled there, so IPs and ids stay readable in the raw text.
const BACKSLASHED = new Set(['\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '#', '!', '|', '~', '$']);
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// Brackets too: harmless as entities, and no renderer that does parse Markdown in HTML can
// make a link of them.
const HTML_ENTITIES: Record<string, string> = { ...ENTITIES, '"': '&quot;', "'": '&#39;', '[': '&#91;', ']': '&#93;' };

/**
 * Makes untrusted text inert in Markdown. By default the text is for a single-line context (a
 * heading, a table cell, a list item): line breaks collapse to spaces. `multiline` keeps them.
 */
export function escapeMarkdown(text: string, options: { multiline?: boolean } = {}): string {
  const clean = options.multiline ? stripControl(text).replace(/\t/g, ' ') : toSingleLine(text);
  return clean.split('\n').map(escapeLine).join('\n');
}

function escapeLine(line: string): string {
  let out = '';
  for (const char of breakReferences(line)) {
    if (ENTITIES[char] !== undefined) out += ENTITIES[char];
    else if (BACKSLASHED.has(char)) out += `\\${char}`;
    else out += char;
  }
  // Block syntax at line start: bullets, thematic breaks and setext underlines (a marker then a
  // space, another marker or the end), ordered lists (up to nine digits, `.` or `)`, a space).
  return out.replace(/^(\s*)([-+=])(?=[\s\-+=]|$)/, '$1\\$2').replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** Text for inside an HTML element (a `<summary>`), where Markdown is not parsed: entities,
 * and the same breaking of mentions, references and autolinks. Single line. */
export function escapeHtml(text: string): string {
  let out = '';
  for (const char of breakReferences(toSingleLine(text))) out += HTML_ENTITIES[char] ?? char;
  return out;
}

/** Text for a place GitHub shows as plain text but still links (an issue or pull request title):
 * one line, no control characters, mentions, references and autolinks broken. No backslashes,
 * which a title would show as they are. */
export function escapePlainText(text: string): string {
  return breakReferences(toSingleLine(text));
}

function breakReferences(text: string): string {
  return text
    .replace(/@/g, `@${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/\b(gh)-(?=\d)/gi, `$1${ZWJ}-`)
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\b(www)\./gi, `$1${ZWJ}.`);
}

/**
 * A code span holding `text` literally: the fence is one backtick longer than any run inside,
 * line breaks collapse to spaces. Mentions, references and HTML are inert inside code.
 * `table`: the span sits in a table cell, where an unescaped `|` would end the cell even
 * inside code (GFM removes the backslash again).
 */
export function codeSpan(text: string, options: { table?: boolean } = {}): string {
  let content = toSingleLine(text);
  if (options.table) content = content.replace(/\|/g, '\\|');
  if (content === '') return '` `';
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  // One space each side is stripped by the parser; add one where the content needs it kept.
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced code block holding `text` literally (tabs and line breaks kept), with a fence no
 * line of the text can close. */
export function codeBlock(text: string, language = ''): string {
  const stripped = stripControl(text);
  const content = stripped.endsWith('\n') || stripped === '' ? stripped : `${stripped}\n`;
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  return `${fence}${language}\n${content}${fence}`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}
