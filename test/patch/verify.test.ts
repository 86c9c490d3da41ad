// The safety net on its own: an edit that breaks the file, or that writes another value than
// the one intended, is reported with a reason (buildPatchSet then drops the patch).
import type { Parser, Tree } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPatchEngine } from '../../src/patch/build-patch-set.js';
import { attributeExpression, findAttribute, findResourceBlock } from '../../src/patch/hcl-syntax.js';
import type { Claim, PendingVerification } from '../../src/patch/verify.js';
import { prepareVerification, runVerifications } from '../../src/patch/verify.js';
import type { Hcl2Reader } from '../../src/patch/hcl2-parse.js';
import { inThreadHcl2Reader } from '../../src/patch/hcl2-parse.js';
import { startHcl2Worker } from '../../src/patch/hcl2-worker.js';
import { disposeTreeCache, editText, fileAt, openWorkspace, type TreeCache } from '../../src/patch/workspace.js';

let parser: Parser;
beforeAll(async () => {
  parser = (await loadPatchEngine()).parser;
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

async function verifyEdit(replacement: string, expected: unknown): Promise<string | null> {
  const cache: TreeCache = { parser, trees: new Map() };
  try {
    const ws = openWorkspace(cache, new Map([['main.tf', TEXT]]));
    const file = fileAt(ws, 'main.tf');
    if (!file) throw new Error('no file');
    const start = TEXT.indexOf('"t3.micro"');
    editText(ws, file, start, start + '"t3.micro"'.length, replacement);
    return (await runVerifications([prepareVerification(ws, [claim(expected)])], inThreadHcl2Reader))[0] ?? null;
  } finally {
    disposeTreeCache(cache);
  }
}

describe('verification', () => {
  it('accepts an edit that reads back as intended', async () => {
    expect(await verifyEdit('"t3.large"', 't3.large')).toBeNull();
  });

  it.each([
    ['a value other than the intended one', '"t3.small"', 't3.large', 'reads back as "t3.small" instead of "t3.large"'],
    ['a file tree-sitter cannot parse', '"t3.large', 't3.large', 'would not parse after the edit'],
    ['an expression hcl2-parser rejects', '"t3.${"', 't3.large', 'would not parse after the edit'],
  ])('reports %s', async (_label, replacement, expected, reason) => {
    expect(await verifyEdit(replacement, expected)).toContain(reason);
  });

  it('verifies many drifts with one parse and keeps their results apart', async () => {
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
      const results = await runVerifications(pendings, inThreadHcl2Reader);
      expect(results[0]).toBeNull();
      expect(results[1]).toContain('instead of "not-b"');
      expect(results[2]).toBeNull();
    } finally {
      disposeTreeCache(cache);
    }
  });

  it('finds the one text hcl2-parser rejects among many, in a few calls, through the worker too', async () => {
    const pendings: PendingVerification[] = Array.from({ length: 64 }, (_, i) => ({
      failure: null,
      // An attribute written twice parses with tree-sitter but not with hcl2-parser.
      snippets: [{ text: i === 37 ? 'a = 1\na = 2' : `a = ${i}`, where: `main.tf line ${i + 1}` }],
      checks: [],
    }));
    const worker = startHcl2Worker();
    try {
      for (const base of [inThreadHcl2Reader, worker]) {
        let calls = 0;
        const reader: Hcl2Reader = { parse: (texts) => ((calls += 1), base.parse(texts)) };
        const results = await runVerifications(pendings, reader);
        expect(results[37]).toBe('hcl2-parser rejects main.tf line 38 after the edit');
        expect(results.filter((result) => result !== null)).toHaveLength(1);
        // One call for all, then one per halving step (both halves in one call).
        expect(calls).toBe(1 + Math.log2(64));
      }
    } finally {
      await worker.close();
    }
  });
});

