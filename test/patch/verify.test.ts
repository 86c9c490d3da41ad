// The safety net on its own: an edit that breaks the file, or that writes another value than
// the one intended, is reported with a reason (buildPatchSet then drops the patch).
import type { Parser, Tree } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPatchEngine } from '../../src/patch/build-patch-set.js';
import { attributeExpression, findAttribute, findResourceBlock } from '../../src/patch/hcl-syntax.js';
import type { Claim } from '../../src/patch/verify.js';
import { prepareVerification, runVerifications } from '../../src/patch/verify.js';
import { disposeTreeCache, editText, fileAt, openWorkspace, type TreeCache } from '../../src/patch/workspace.js';

let parser: Parser;
beforeAll(async () => {
  parser = await loadPatchEngine();
});

const TEXT = `resource "aws_instance" "web" {
  ami           = "ami-123"
  instance_type = "t3.micro"
}
`;

function claim(expected: unknown): Claim {
  return {
    file: 'main.tf',
    what: '`instance_type`',
    expected,
    policy: false,
    probe(tree: Tree) {
      const block = findResourceBlock(tree, 'aws_instance', 'web');
      const attribute = block ? findAttribute(block, 'instance_type') : null;
      const expression = attribute ? attributeExpression(attribute) : null;
      return expression ? { expression, path: [] } : 'absent';
    },
  };
}

function verifyEdit(replacement: string, expected: unknown): string | null {
  const cache: TreeCache = { parser, trees: new Map() };
  try {
    const ws = openWorkspace(cache, new Map([['main.tf', TEXT]]));
    const file = fileAt(ws, 'main.tf');
    if (!file) throw new Error('no file');
    const start = TEXT.indexOf('"t3.micro"');
    editText(ws, file, start, start + '"t3.micro"'.length, replacement);
    return runVerifications([prepareVerification(ws, [claim(expected)])])[0] ?? null;
  } finally {
    disposeTreeCache(cache);
  }
}

describe('verification', () => {
  it('accepts an edit that reads back as intended', () => {
    expect(verifyEdit('"t3.large"', 't3.large')).toBeNull();
  });

  it.each([
    ['a value other than the intended one', '"t3.small"', 't3.large', 'reads back as "t3.small" instead of "t3.large"'],
    ['a file tree-sitter cannot parse', '"t3.large', 't3.large', 'would not parse after the edit'],
    ['an expression hcl2-parser rejects', '"t3.${"', 't3.large', 'would not parse after the edit'],
  ])('reports %s', (_label, replacement, expected, reason) => {
    expect(verifyEdit(replacement, expected)).toContain(reason);
  });

  it('verifies many drifts with one parse and keeps their results apart', () => {
    const cache: TreeCache = { parser, trees: new Map() };
    try {
      const pendings = ['"a"', '"b"', '"c"'].map((value) => {
        const ws = openWorkspace(cache, new Map([['main.tf', TEXT]]));
        const file = fileAt(ws, 'main.tf');
        if (!file) throw new Error('no file');
        const start = TEXT.indexOf('"t3.micro"');
        editText(ws, file, start, start + '"t3.micro"'.length, value);
        return prepareVerification(ws, [claim(value === '"b"' ? 'not-b' : JSON.parse(value))]);
      });
      const results = runVerifications(pendings);
      expect(results[0]).toBeNull();
      expect(results[1]).toContain('instead of "not-b"');
      expect(results[2]).toBeNull();
    } finally {
      disposeTreeCache(cache);
    }
  });
});
