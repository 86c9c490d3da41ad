import { describe, expect, it } from 'vitest';
import { DriftwatchError } from '../../src/errors.js';
import { renderTemplate } from '../../src/report/render-template.js';

describe('renderTemplate', () => {
  it('replaces every named placeholder, repeated ones included', () => {
    expect(renderTemplate('{{a}} and {{b}}, then {{a}} again', { a: 'x', b: 'y' })).toBe('x and y, then x again');
  });

  it('accepts spaces inside the braces', () => {
    expect(renderTemplate('## {{ title }}', { title: 'Drift' })).toBe('## Drift');
  });

  it.each([
    ['a placeholder', '{{b}}'],
    ['a replacement pattern', '$& $1 $$'],
    ['raw Markdown', '<b>@alice</b> #1'],
  ])('inserts a value holding %s verbatim, without expanding it', (_name, value) => {
    expect(renderTemplate('[{{a}}]', { a: value, b: 'expanded' })).toBe(`[${value}]`);
  });

  it('throws a DriftwatchError naming a placeholder that has no value', () => {
    const render = () => renderTemplate('## {{title}}\n\n{{sumary}}\n', { title: 'x', summary: 'y' });
    expect(render).toThrow(DriftwatchError);
    expect(render).toThrow(/\{\{sumary\}\}.*\{\{title\}\}, \{\{summary\}\}/);
  });

  it('leaves values the template does not use alone', () => {
    expect(renderTemplate('{{a}}', { a: '1', unused: '2' })).toBe('1');
  });

  it('drops a line holding only an empty placeholder, and the blank line after it', () => {
    const template = '## {{title}}\n\n{{status}}\n\n{{summary}}\n\n{{notes}}\n';
    expect(renderTemplate(template, { title: 'T', status: '', summary: 'S', notes: '' })).toBe('## T\n\nS\n');
  });

  it('keeps an empty placeholder that shares its line with text', () => {
    expect(renderTemplate('a {{x}} b\n\nc\n', { x: '' })).toBe('a  b\n\nc\n');
  });

  it('keeps multi-line values intact', () => {
    expect(renderTemplate('{{table}}\n\nend\n', { table: '| a |\n| --- |\n\n| b |' })).toBe('| a |\n| --- |\n\n| b |\n\nend\n');
  });
});
