import { describe, expect, it } from 'vitest';
import { fitMarkdown } from '../../src/surfaces/fit-markdown.js';

const NOTE = '> [!NOTE]\n> Cut to fit.';

describe('fitMarkdown', () => {
  it('leaves a body that fits as it is', () => {
    expect(fitMarkdown('# a\n\nb', 7, NOTE)).toBe('# a\n\nb');
  });

  it('cuts at a line end and appends the note, within the limit', () => {
    const body = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const out = fitMarkdown(body, 200, NOTE);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.endsWith(`\n\n${NOTE}`)).toBe(true);
    expect(out.split('\n').slice(0, -3).every((line) => /^line \d+$/.test(line))).toBe(true);
  });

  it('closes a fence the cut left open, with the same fence', () => {
    const body = `intro\n\n\`\`\`\`diff\n${'+ added line with ``` inside\n'.repeat(50)}\`\`\`\`\n\nafter`;
    const out = fitMarkdown(body, 400, NOTE);
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out).toMatch(/\n````\n\n> \[!NOTE\]\n> Cut to fit\.$/);
  });

  it('closes <details> the cut left open, after a blank line', () => {
    const body = `<details>\n<summary>Patch</summary>\n\n\`\`\`diff\n${'+ x\n'.repeat(200)}\`\`\`\n\n</details>\n\nafter`;
    const out = fitMarkdown(body, 300, NOTE);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out).toMatch(/\+ x\n```\n\n<\/details>\n\n> \[!NOTE\]/);
  });

  it('does not close a fence that the kept text already closed', () => {
    const body = `\`\`\`\ncode\n\`\`\`\n\n${'text\n'.repeat(100)}`;
    const out = fitMarkdown(body, 80, NOTE);
    expect(out.match(/```/g)).toHaveLength(2);
  });

  it('cuts one overlong line on a code point boundary', () => {
    const out = fitMarkdown('🙂'.repeat(100), 60, NOTE);
    expect(out.length).toBeLessThanOrEqual(60);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
