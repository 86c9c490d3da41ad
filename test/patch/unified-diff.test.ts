import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, splitLines, unifiedDiff, unifiedDiffAvoiding } from '../../src/patch/unified-diff.js';
import { gitApply } from './apply-check.js';

describe('unifiedDiff', () => {
  it('writes a/ and b/ headers, three lines of context and a hunk header git understands', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((line) => `${line}\n`).join('');
    const after = before.replace('e\n', 'E\n');
    expect(unifiedDiff('main.tf', before, after)).toBe(
      [
        'diff --git a/main.tf b/main.tf',
        '--- a/main.tf',
        '+++ b/main.tf',
        '@@ -2,7 +2,7 @@',
        ' b',
        ' c',
        ' d',
        '-e',
        '+E',
        ' f',
        ' g',
        ' h',
        '',
      ].join('\n'),
    );
  });

  it('returns an empty string when nothing changed', () => {
    expect(unifiedDiff('x.tf', 'a = 1\n', 'a = 1\n')).toBe('');
  });

  it.each([
    ['the old side lacks the final newline', 'a = 1\nb = 2', 'a = 1\nb = 3\n', [' a = 1', '-b = 2', '\\ No newline at end of file', '+b = 3']],
    ['the new side lacks the final newline', 'a = 1\nb = 2\n', 'a = 1\nb = 2', [' a = 1', '-b = 2', '+b = 2', '\\ No newline at end of file']],
    ['both sides lack it', 'a = 1\nb = 2', 'a = 0\nb = 2', ['-a = 1', '+a = 0', ' b = 2', '\\ No newline at end of file']],
  ])('marks a missing final newline when %s', (_label, before, after, expected) => {
    const diff = unifiedDiff('x.tf', before, after);
    const body = diff.split('\n').slice(4, -1);
    expect(body).toEqual(expected);
    expect(gitApply([{ path: 'x.tf', before, after, diff }]).get('x.tf')).toBe(after);
  });

  it('creates a new file from /dev/null', () => {
    const after = 'import {\n  to = aws_s3_bucket.logs\n  id = "logs"\n}\n';
    const diff = unifiedDiff('driftwatch_imports.tf', '', after, { newFile: true });
    expect(diff.split('\n').slice(0, 5)).toEqual([
      'diff --git a/driftwatch_imports.tf b/driftwatch_imports.tf',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/driftwatch_imports.tf',
      '@@ -0,0 +1,4 @@',
    ]);
    expect(gitApply([{ path: 'driftwatch_imports.tf', before: '', after, diff }]).get('driftwatch_imports.tf')).toBe(after);
  });

  it('keeps CRLF line endings as part of the lines', () => {
    const before = 'a = 1\r\nb = 2\r\n';
    const after = 'a = 1\r\nb = 3\r\n';
    const diff = unifiedDiff('x.tf', before, after);
    expect(diff).toContain('-b = 2\r\n+b = 3\r\n');
    expect(gitApply([{ path: 'x.tf', before, after, diff }]).get('x.tf')).toBe(after);
  });

  it('applies with git apply for arbitrary line edits', () => {
    const line = fc.constantFrom('a = 1', 'b = "x"', '', '  # comment', '}', 'resource "x" "y" {', 'c = [1, 2]');
    const text = fc.array(line, { maxLength: 30 }).map((lines) => lines.map((l) => `${l}\n`).join(''));
    fc.assert(
      fc.property(text, text, fc.boolean(), (before, after, dropFinalNewline) => {
        const target = dropFinalNewline ? after.replace(/\n$/, '') : after;
        fc.pre(before !== '' && before !== target);
        const diff = unifiedDiff('x.tf', before, target);
        expect(gitApply([{ path: 'x.tf', before, after: target, diff }]).get('x.tf')).toBe(target);
      }),
      { numRuns: 40 },
    );
  });
});

describe('unifiedDiffAvoiding', () => {
  const secret = (line: string) => line.includes('SECRET');

  it('keeps a hidden line out of the context, with fewer context lines on that side', () => {
    const before = ['a', 'b', 'password = "SECRET"', 'c', 'd', 'e', 'f', 'g'].map((line) => `${line}\n`).join('');
    const after = before.replace('d\n', 'D\n');
    const result = unifiedDiffAvoiding('main.tf', before, after, secret);
    expect(result).toEqual({
      diff: ['diff --git a/main.tf b/main.tf', '--- a/main.tf', '+++ b/main.tf', '@@ -4,5 +4,5 @@', ' c', '-d', '+D', ' e', ' f', ' g', ''].join('\n'),
    });
    expect(gitApply([{ path: 'main.tf', before, after, diff: (result as { diff: string }).diff }]).get('main.tf')).toBe(after);
  });

  it('splits hunks that a hidden line separates, instead of showing it as context between them', () => {
    const before = ['a', 'b', 'c', 'SECRET', 'd', 'e'].map((line) => `${line}\n`).join('');
    const after = before.replace('b\n', 'B\n').replace('e\n', 'E\n');
    const result = unifiedDiffAvoiding('main.tf', before, after, secret);
    expect('diff' in result && result.diff.match(/^@@/gm)).toHaveLength(2);
    const diff = (result as { diff: string }).diff;
    expect(diff).not.toContain('SECRET');
    expect(gitApply([{ path: 'main.tf', before, after, diff }]).get('main.tf')).toBe(after);
  });

  it.each([
    ['the changed line holds it', 'SECRET\n', 'x = "SECRET2"\n'],
    ['it directly follows the change, which then has no trailing context', 'b\n', 'B\n'],
  ])('says which line cannot be kept out when %s', (_label, from, to) => {
    const before = ['a', 'b', 'SECRET', 'c'].map((line) => `${line}\n`).join('');
    expect(unifiedDiffAvoiding('main.tf', before, before.replace(from, to), secret)).toEqual({ blockedAt: { side: 'before', line: 3 } });
  });

  it('names a hidden first line when lines are added right after it at the end of the file', () => {
    // Found by the property below: `@@ -1,0 +2 @@` is anchored at the top of the file by git.
    const before = 'token = "SECRET"\n';
    expect(unifiedDiffAvoiding('x.tf', before, `${before}a = 1\n`, secret)).toEqual({ blockedAt: { side: 'before', line: 1 } });
    // After a shown line, the same addition is a diff git applies.
    const shown = `b = "x"\n${before}`;
    const result = unifiedDiffAvoiding('x.tf', shown, `${shown}a = 1\n`, secret);
    expect('diff' in result && gitApply([{ path: 'x.tf', before: shown, after: `${shown}a = 1\n`, diff: result.diff }]).get('x.tf')).toBe(`${shown}a = 1\n`);
  });

  it('gives a diff git applies, or names a hidden line it cannot leave out, for any edit', () => {
    const line = fc.constantFrom('a = 1', 'b = "x"', '', '  # comment', '}', 'resource "x" "y" {', 'token = "SECRET"');
    const text = fc.array(line, { maxLength: 30 }).map((lines) => lines.map((l) => `${l}\n`).join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        fc.pre(before !== '' && before !== after);
        const result = unifiedDiffAvoiding('x.tf', before, after, secret);
        if ('blockedAt' in result) {
          const { side, line: at } = result.blockedAt;
          expect(splitLines(side === 'before' ? before : after)[at - 1]).toContain('SECRET');
          return;
        }
        expect(result.diff).not.toContain('SECRET');
        expect(gitApply([{ path: 'x.tf', before, after, diff: result.diff }]).get('x.tf')).toBe(after);
      }),
      { numRuns: 60 },
    );
  });
});

describe('diffLines', () => {
  it('finds the minimal hunks between two line lists', () => {
    const a = splitLines('a\nb\nc\nd\n');
    const b = splitLines('a\nx\nc\nd\ne\n');
    expect(diffLines(a, b)).toEqual([
      { beforeStart: 1, beforeEnd: 2, afterStart: 1, afterEnd: 2 },
      { beforeStart: 4, beforeEnd: 4, afterStart: 4, afterEnd: 5 },
    ]);
  });
});
