import { describe, expect, it } from 'vitest';
import { clip, fallbackText, fitMrkdwn, header, MAX_FALLBACK_TEXT, MAX_HEADER_TEXT } from '../../src/notify/slack-blocks.js';

describe('clip', () => {
  it('leaves short text alone and cuts long text with an ellipsis', () => {
    expect(clip('web-sg', 10)).toBe('web-sg');
    expect(clip('abcdefghijkl', 10)).toBe('abcdefghi…');
  });

  it('never splits a surrogate pair', () => {
    expect(clip('abcdefgh😀xyz', 10)).toBe('abcdefgh…');
  });
});

describe('fitMrkdwn', () => {
  it('never ends inside an entity', () => {
    const text = `${'a'.repeat(95)}&amp;&amp;&amp;`;
    const out = fitMrkdwn(text, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).toMatch(/^a+(&amp;)*…$/);
  });

  it('never ends inside a link', () => {
    const text = `${'a'.repeat(80)} <https://github.com/acme/infra/issues/42|Issue #42>`;
    const out = fitMrkdwn(text, 100);
    expect(out).toBe(`${'a'.repeat(80)} …`);
  });

  it('cuts at a line break in the second half', () => {
    expect(fitMrkdwn(`${'a'.repeat(60)}\n${'b'.repeat(60)}`, 100)).toBe(`${'a'.repeat(60)}\n…`);
  });
});

describe('header', () => {
  it('keeps the header within 150 characters', () => {
    const block = header(`Drift briefing — ${'w'.repeat(400)}`);
    expect(block.type === 'header' && block.text.text.length).toBe(MAX_HEADER_TEXT);
  });
});

describe('fallbackText', () => {
  it('keeps the head and the tail and lists what fits, counting the rest', () => {
    const items = Array.from({ length: 10 }, (_, index) => `${index}:${'x'.repeat(900)}`);
    const text = fallbackText({ head: ['head'], items, omitted: 5, more: (count) => `…and ${count} more`, tail: ['', 'tail'] });
    expect(text.length).toBeLessThanOrEqual(MAX_FALLBACK_TEXT);
    expect(text.startsWith('head\n0:')).toBe(true);
    expect(text).toContain('\n…and 11 more\n');
    expect(text.endsWith('\ntail')).toBe(true);
  });
});
