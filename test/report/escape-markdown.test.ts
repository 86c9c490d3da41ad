import { describe, expect, it } from 'vitest';
import { codeBlock, codeSpan, escapeHtml, escapeMarkdown, escapePlainText } from '../../src/report/escape-markdown.js';

const ZWJ = '\u200d';

/** Backslash escapes and the zero-width joiner removed: the text a reader sees. */
function visible(markdown: string): string {
  return markdown
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replaceAll(ZWJ, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

describe('escapeMarkdown', () => {
  it.each([
    ['a team mention', '@org/team', /@[A-Za-z0-9]/],
    ['a user mention', 'ping @alice now', /@[A-Za-z0-9]/],
    ['an email, which GitHub would also autolink', 'bob@example.com', /@[A-Za-z0-9]/],
    ['an issue reference', 'see #1', /#\d/],
    ['a cross-repo reference', 'acme/infra#42', /#\d/],
    ['a GH- reference', 'fixed in GH-123', /GH-\d/i],
    ['an HTML image with a handler', '<img src=x onerror=alert(1)>', /</],
    ['a script tag', '</details><script>alert(1)</script>', /<|>/],
    ['an HTML comment hiding the rest', '<!-- x', /</],
    ['a bare URL GitHub would autolink', 'https://evil.example/login', /:\/\//],
    ['a www autolink', 'www.evil.example', /www\./i],
    ['an entity that would decode to a tag', '&lt;b&gt;', /&(?!amp;)/],
  ])('breaks %s', (_name, input, forbidden) => {
    const out = escapeMarkdown(input);
    expect(out).not.toMatch(forbidden);
    expect(visible(out)).toBe(input);
  });

  it.each([
    ['a link', '[click](javascript:alert(1))'],
    ['an image', '![x](https://evil.example/p.png)'],
    ['a reference-style link', '[a]: https://evil.example'],
    ['emphasis', '*bold* _it_ ~~gone~~'],
    ['inline math', '$x^2$'],
    ['a code span', '`code`'],
    ['a table cell break', 'a | b'],
    ['a backslash', 'C:\\Users\\'],
  ])('escapes %s so every special character is literal', (_name, input) => {
    const out = escapeMarkdown(input);
    // Every Markdown-significant character is preceded by a backslash.
    for (const [index, char] of [...out].entries()) {
      if ('[]()*_~$`|!'.includes(char)) expect([...out][index - 1]).toBe('\\');
    }
    expect(visible(out)).toBe(input);
  });

  it.each([
    ['a heading', '# Owned', '\\# Owned'],
    ['a bullet', '- item', '\\- item'],
    ['a plus bullet', '+ item', '\\+ item'],
    ['an ordered list', '1. item', '1\\. item'],
    ['an ordered list with a parenthesis', '2) item', '2\\) item'],
    ['a quote', '> quoted', '&gt; quoted'],
    ['a setext underline', '===', '\\==='],
    ['a thematic break', '***', '\\*\\*\\*'],
  ])('neutralises %s at line start', (_name, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('keeps dots and dashes in the middle of a line readable', () => {
    expect(escapeMarkdown('198.51.100.23 sg-0a1b2c')).toBe('198.51.100.23 sg-0a1b2c');
  });

  it('collapses line breaks for a single-line context', () => {
    expect(escapeMarkdown('first\n\n# second\r\nthird')).toBe('first \\# second third');
  });

  it('keeps line breaks when asked, escaping each line start', () => {
    expect(escapeMarkdown('first\n# second\n- third', { multiline: true })).toBe('first\n\\# second\n\\- third');
  });

  it('removes control characters and escape sequences', () => {
    expect(escapeMarkdown('a\u001b[2Jb\u0000c\u202ed\u0007')).toBe('abcd');
  });
});

describe('codeSpan', () => {
  it.each([
    ['plain', 'sg-0a1b', '`sg-0a1b`'],
    ['one backtick inside', 'a`b', '``a`b``'],
    ['a run of two', 'a``b', '```a``b```'],
    ['a leading backtick', '`x', '`` `x ``'],
    ['only a backtick', '`', '`` ` ``'],
    ['spaces at both ends', ' x ', '`  x  `'],
    ['empty', '', '` `'],
    ['a newline', 'a\nb', '`a b`'],
    ['HTML and a mention, inert in code', '<b>@alice</b>', '`<b>@alice</b>`'],
  ])('%s', (_name, input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it('escapes pipes only inside a table cell', () => {
    expect(codeSpan('a|b', { table: true })).toBe('`a\\|b`');
    expect(codeSpan('a|b')).toBe('`a|b`');
  });

  it('never lets the content close the span early', () => {
    for (const input of ['```', 'a````b', '`` ` ``', 'x`']) {
      const span = codeSpan(input);
      const fence = /^`+/.exec(span)?.[0] ?? '';
      const inner = span.slice(fence.length, span.length - fence.length);
      expect(inner).not.toContain(fence);
    }
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run in the text', () => {
    const block = codeBlock('+ a = "```"\n+ b = "````"', 'diff');
    expect(block.startsWith('`````diff\n')).toBe(true);
    expect(block.endsWith('\n`````')).toBe(true);
  });

  it('keeps tabs and line breaks but drops control characters', () => {
    expect(codeBlock('a\tb\n\u001b[31mc\n')).toBe('```\na\tb\nc\n```');
  });
});

describe('escapeHtml', () => {
  it('escapes for HTML and breaks mentions and references', () => {
    const out = escapeHtml('<b a="x">@team #7 & \'q\'</b>');
    expect(out).toBe(`&lt;b a=&quot;x&quot;&gt;@${ZWJ}team #${ZWJ}7 &amp; &#39;q&#39;&lt;/b&gt;`);
  });
});

describe('escapePlainText', () => {
  it('breaks mentions, references and autolinks without adding backslashes', () => {
    expect(escapePlainText('[HIGH] sg *web* @org/team #12 https://x.example')).toBe(`[HIGH] sg *web* @${ZWJ}org/team #${ZWJ}12 https:${ZWJ}//x.example`);
  });

  it('is one line without control characters', () => {
    expect(escapePlainText('a\nb\u001b[2J\tc')).toBe('a b c');
  });
});
