// Incremental re-parsing of a merged file: the tree reparseEdits builds from the original's tree
// must be the tree a parse from scratch gives, or a broken combined patch could pass as whole.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Parser, Tree } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';
import { applyEdits, parseText, reparseEdits, type TextEdit } from '../../src/patch/workspace.js';

let parser: Parser;
beforeAll(async () => {
  parser = await loadTerraformParser();
});

const corpus = ['heredoc-jsonencode/iam.tf', 'crlf-style/storage.tf', 'sg-rules/security.tf'].map((file) =>
  readFileSync(new URL(`./corpus/${file}`, import.meta.url), 'utf8'),
);

/** Every node with its type and place, so a tree whose edits were described wrong shows. */
function shape(tree: Tree): string {
  const out: string[] = [];
  const cursor = tree.walk();
  let depth = 0;
  for (;;) {
    const node = cursor.currentNode;
    out.push(`${' '.repeat(depth)}${node.type}${node.isMissing ? '!' : ''} ${node.startIndex}-${node.endIndex} ${node.startPosition.row}:${node.startPosition.column}`);
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return out.join('\n');
      }
      depth--;
    }
  }
}

/** Line offsets of a text (the end of the text included). */
function lineOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) offsets.push(i + 1);
  if (offsets[offsets.length - 1] !== text.length) offsets.push(text.length);
  return offsets;
}

const INSERTS = ['', '  tags = { Team = "é-ops" }\n', 'import {\n  to = aws_s3_bucket.x\n  id = "x"\n}\n', '}\n', '  # note\n', '"unterminated\n', 'resource "a" "b" {\n', '"t3.large"', ' # moved\n  x', '[\n    "a",\n  ]'];

/** Random non-overlapping edits, last first: whole lines (what the merge produces) or any range. */
const editsOf = (text: string) => {
  const offsets = lineOffsets(text);
  const place = fc.oneof(
    fc.tuple(fc.nat(offsets.length - 1), fc.nat(3)).map(([line, lines]) => [offsets[line] as number, offsets[Math.min(line + lines, offsets.length - 1)] as number] as const),
    fc.tuple(fc.nat(text.length), fc.nat(40)).map(([at, length]) => [at, Math.min(at + length, text.length)] as const),
  );
  return fc.array(fc.tuple(place, fc.constantFrom(...INSERTS)), { minLength: 1, maxLength: 6 }).map((picked) => {
    const edits: TextEdit[] = [];
    let limit = text.length;
    for (const [[start, end], insert] of [...picked].sort((a, b) => b[0][0] - a[0][0])) {
      if (end > limit) continue;
      edits.push({ start, end, insert });
      limit = start;
    }
    return edits;
  });
};

describe('reparseEdits', () => {
  it('gives the tree of a parse from scratch, for any non-overlapping edits', () => {
    for (const text of corpus) {
      const original = parseText(parser, text);
      fc.assert(
        fc.property(editsOf(text), (edits) => {
          const tree = reparseEdits(parser, original, text, edits);
          const fresh = parseText(parser, applyEdits(text, edits));
          try {
            expect(shape(tree)).toBe(shape(fresh));
            expect(tree.rootNode.hasError).toBe(fresh.rootNode.hasError);
          } finally {
            tree.delete();
            fresh.delete();
          }
        }),
        { numRuns: 150 },
      );
      original.delete();
    }
  });

  it('keeps the original tree as it was', () => {
    const text = corpus[0] as string;
    const original = parseText(parser, text);
    const before = shape(original);
    reparseEdits(parser, original, text, [{ start: 0, end: 0, insert: '"broken\n' }]).delete();
    expect(shape(original)).toBe(before);
    original.delete();
  });

  it('refuses edits that overlap or come first to last', () => {
    expect(() => applyEdits('abcdef', [{ start: 1, end: 2, insert: 'x' }, { start: 3, end: 4, insert: 'y' }])).toThrow(/overlap or are out of order/);
    expect(() => applyEdits('abcdef', [{ start: 2, end: 4, insert: '' }, { start: 1, end: 3, insert: '' }])).toThrow(/overlap/);
    expect(applyEdits('abcdef', [{ start: 4, end: 5, insert: 'E' }, { start: 1, end: 2, insert: 'B' }])).toBe('aBcdEf');
  });
});
