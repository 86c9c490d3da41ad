// What GitHub makes of a Markdown body, for tests that feed it hostile cloud data: the text outside
// code, the block structure, and table columns. Shared by the report and the surfaces tests.
import { expect } from 'vitest';

/** The Markdown with fenced blocks and code spans removed: what GitHub parses as text. */
export function outsideCode(markdown: string): string {
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    // CommonMark: a backtick fence opens only when its info string holds no backtick.
    const opening = /^ {0,3}(`{3,})[^`]*$/.exec(line)?.[1];
    if (fence === null && opening !== undefined) fence = opening;
    else if (fence !== null && line.trim() === fence) fence = null;
    else if (fence === null) kept.push(line);
  }
  return kept.join('\n').replace(/(?<![`\\])(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
}

/** One token per line outside code: heading level, list item, quote, table row (with its column
 * count), blank or text. Injected block syntax changes it. */
export function blockStructure(markdown: string): string[] {
  return outsideCode(markdown).split('\n').map((line) => {
    const heading = /^ {0,3}(#{1,6})(?:\s|$)/.exec(line)?.[1];
    if (heading !== undefined) return `h${heading.length}`;
    if (/^ {0,3}([-+*]|\d{1,9}[.)])(?:\s|$)/.test(line)) return 'li';
    if (/^ {0,3}>/.test(line)) return 'quote';
    if (/^ {0,3}([-*_=])\s*(?:\1\s*)+$/.test(line)) return 'rule';
    if (line.startsWith('|')) return `tr${unescapedPipes(line)}`;
    return line.trim() === '' ? 'blank' : 'text';
  });
}

function unescapedPipes(line: string): number {
  return line.match(/(?<!\\)\|/g)?.length ?? 0;
}

/** Every table keeps the column count of its header row. */
export function expectTablesIntact(markdown: string): void {
  let columns: number | null = null;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      columns = null;
      continue;
    }
    columns ??= unescapedPipes(line);
    expect(unescapedPipes(line), line).toBe(columns);
  }
}

export const PAYLOADS = [
  '@org/team',
  '@alice',
  '<img src=x onerror=alert(1)>',
  '</details><script>alert(1)</script>',
  '[click](javascript:alert(1))',
  '[x](http://evil)',
  '![x](https://evil.example/p.png)',
  '#1',
  'GH-12',
  '`',
  '```',
  '``` \n# injected heading\n- injected item',
  '|',
  'a | b | c',
  'line\n\n# Owned\n> quote',
  'https://evil.example',
  '$x$',
];

/**
 * Hostile cloud text left no trace in what GitHub renders: no mention, reference, raw HTML (but
 * <details>/<summary>), link, image or autolink, and the block structure of the same body made
 * from benign text. `ours` lists what the body itself may hold: its own links, task-list boxes and
 * alerts.
 */
export function expectInert(markdown: string, benign: string, ours: { links?: string[] } = {}): void {
  let text = outsideCode(markdown);
  for (const link of ours.links ?? []) text = text.split(link).join('');
  // The body's own syntax: task-list boxes, alerts, hidden request ids.
  text = text.replace(/^(\s*[-*] )\[[ xX]\] /gm, '$1').replace(/^> \[!(NOTE|WARNING|TIP|IMPORTANT|CAUTION)\]$/gm, '').replace(/<!-- driftwatch[^>]*-->/g, '');
  expect(text).not.toMatch(/@[A-Za-z0-9]/);
  expect(text.replace(/&#\d+;/g, '')).not.toMatch(/#\d/);
  expect(text).not.toMatch(/GH-\d/);
  const tags = text.match(/<\/?[A-Za-z!][^>]*>?/g) ?? [];
  expect(tags.filter((tag) => !/^<\/?(details|summary)>$/.test(tag))).toEqual([]);
  expect(text).not.toMatch(/(?<!\\)[[\]]/);
  expect(text).not.toMatch(/:\/\//);
  expect(blockStructure(markdown)).toEqual(blockStructure(benign));
  expectTablesIntact(markdown);
}
