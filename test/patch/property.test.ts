// Property tests: for random values (strings with quotes, `${`, `%{`, backslashes, newlines and
// unicode; numbers; booleans; lists; maps), a patch written by the engine parses back, with
// hcl2-parser over the whole file, as the intended value (live for accept, declared for restore),
// and every line outside the edit is unchanged.
import fc from 'fast-check';
import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPatchSet, loadPatchEngine } from '../../src/patch/build-patch-set.js';
import type { PatchEngine } from '../../src/patch/build-patch-set.js';
import { formatHcl } from '../../src/patch/hcl-formatter.js';
import { parseHcl2 } from '../../src/patch/hcl2-parse.js';
import { survivesHcl } from '../../src/patch/values.js';
import type { SourceFile } from '../../src/terraform/types.js';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { target } from './helpers.js';
import { findAttribute, findResourceBlock } from '../../src/patch/hcl-syntax.js';
import { renderKey, renderValue } from '../../src/patch/render-hcl.js';
import { applyChecker, gitApply } from './apply-check.js';
import { evaluator } from './evaluate-hcl.js';

let engine: PatchEngine;
let parser: Parser;
beforeAll(async () => {
  engine = await loadPatchEngine();
  parser = engine.parser;
});

const HEAD = `# Header comment that must survive.
resource "aws_instance" "web" {
  ami = "ami-123" # pinned

`;
const TAIL = `

  tags = {
    Name = "web"
  }
}

# Trailer.
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
`;

const tricky = fc.constantFrom('"', '\\', '${x}', '%{if a}', '$${', '%%{', '\n', '\t', '\r\n', 'é', '漢字', '🙂', 'EOF', '#', '//', '/*', '*/', '=', '{', '}', '\u0001', '\u2028');
const text = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), tricky), { maxLength: 5 })
  .map((parts) => parts.join(''));
const number = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }));
const scalar = fc.oneof(text, number, fc.boolean());
const value = fc.oneof(
  scalar,
  fc.array(fc.oneof(text, number), { maxLength: 4 }),
  fc.dictionary(fc.oneof(fc.constantFrom('Name', 'kubernetes.io/role', 'a-b', 'for', 'null', '1st'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })), text, { maxKeys: 4 }),
);

function readBack(after: string): Record<string, unknown> {
  const parsed = parseHcl2(after);
  expect(parsed).not.toBeNull();
  const block = (parsed as { resource: { aws_instance: { web: Record<string, unknown>[] } } }).resource.aws_instance.web[0];
  return block as Record<string, unknown>;
}

function same(actual: unknown, expected: unknown): void {
  if (typeof expected === 'number') {
    expect(typeof actual).toBe('number');
    expect(actual as number).toBeCloseTo(expected, 6);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    expected.forEach((item, i) => same((actual as unknown[])[i], item));
    expect((actual as unknown[]).length).toBe(expected.length);
    return;
  }
  expect(actual).toEqual(expected);
}

function parsesCleanly(text: string): boolean {
  const tree = parser.parse(text);
  const clean = tree !== null && !tree.rootNode.hasError;
  tree?.delete();
  return clean;
}

/** Rows [first, last] of the user_data attribute, or null. */
function attributeRows(text: string): [number, number] | null {
  const tree = parser.parse(text);
  if (!tree) return null;
  try {
    const block = findResourceBlock(tree, 'aws_instance', 'web');
    const attribute = block ? findAttribute(block, 'user_data') : null;
    return attribute ? [attribute.startPosition.row, attribute.endPosition.row] : null;
  } finally {
    tree.delete();
  }
}

/** Every line outside the edited attribute is byte-for-byte the same, except the lines of the
 * aligned run it joined, which may differ in spacing only (terraform fmt re-aligns them). */
function unchangedOutside(before: string, after: string): void {
  const strip = (text: string): { lines: string[]; at: number } => {
    const lines = text.split('\n');
    const rows = attributeRows(text);
    if (!rows) return { lines, at: -1 };
    lines.splice(rows[0], rows[1] - rows[0] + 1);
    return { lines, at: rows[0] };
  };
  const a = strip(before);
  const b = strip(after);
  const at = b.at;
  // A pinned map or list arrives as its own paragraph: one blank line may come with it.
  if (a.lines.length === b.lines.length - 1 && b.lines[at - 1] === '' && a.at === -1) b.lines.splice(at - 1, 1);
  expect(b.lines.length).toBe(a.lines.length);
  const run = new Set<number>();
  for (let row = at - 1; row >= 0 && (b.lines[row] ?? '').trim() !== '' && /=/.test(b.lines[row] ?? ''); row--) run.add(row);
  for (let row = at; row < b.lines.length && (b.lines[row] ?? '').trim() !== '' && /=/.test(b.lines[row] ?? ''); row++) run.add(row);
  b.lines.forEach((line, row) => {
    const old = a.lines[row] ?? '';
    if (run.has(row)) expect(line.replace(/\s+/g, ' ')).toBe(old.replace(/\s+/g, ' '));
    else expect(line).toBe(old);
  });
}

describe('patched values read back', () => {
  it('accept rewrites a literal to the live value', async () => {
    await fc.assert(
      fc.asyncProperty(value, value, async (declared, live) => {
        fc.pre(JSON.stringify(declared) !== JSON.stringify(live));
        const original = `${HEAD}  user_data = ${literal(declared)}${TAIL}`;
        // Some spellings (`$$${`) are HCL that tree-sitter's grammar rejects, or reads otherwise than
        // HCL does; such files are not patched, and such values are not read as literals (explained).
        fc.pre(parsesCleanly(original) && !/\$\$\$\{|%%%\{/.test(original));
        const files: SourceFile[] = [{ path: 'main.tf', text: original }];
        const model = buildHclModel(files, parser);
        const set = await buildPatchSet({
          direction: 'accept',
          files,
          model,
          targets: [target(model, { address: 'aws_instance.web', changes: [{ path: 'user_data', declared, live }] })],
          engine,
        });
        const patch = set.patches[0];
        if (!survivesHcl(live)) {
          // HCL normalizes strings to NFC: what cannot be written exactly is explained.
          expect(patch?.note).toContain('NFC');
          return;
        }
        expect(patch?.status, patch?.note).toBe('edit');
        const after = set.files[0]?.after ?? '';
        same(readBack(after).user_data, live);
        unchangedOutside(original, after);
      }),
      { numRuns: 60 },
    );
  });

  it('restore pins an absent attribute to the declared value', async () => {
    await fc.assert(
      fc.asyncProperty(value, async (declared) => {
        const original = `${HEAD}  instance_type = "t3.micro"${TAIL}`;
        const files: SourceFile[] = [{ path: 'main.tf', text: original }];
        const model = buildHclModel(files, parser);
        const set = await buildPatchSet({
          direction: 'restore',
          files,
          model,
          targets: [target(model, { address: 'aws_instance.web', changes: [{ path: 'user_data', declared, live: 'changed in the console' }] })],
          engine,
        });
        const patch = set.patches[0];
        if (!survivesHcl(declared)) {
          expect(patch?.note).toContain('NFC');
          return;
        }
        expect(patch?.status, patch?.note).toBe('edit');
        const after = set.files[0]?.after ?? '';
        same(readBack(after).user_data, declared);
        expect(readBack(after).instance_type).toBe('t3.micro');
        unchangedOutside(original, after);
      }),
      { numRuns: 60 },
    );
  });

  it('accept adds map keys of any spelling with any value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), text, async (key, live) => {
        fc.pre(key !== 'Name');
        const original = `${HEAD}  instance_type = "t3.micro"${TAIL}`;
        const files: SourceFile[] = [{ path: 'main.tf', text: original }];
        const model = buildHclModel(files, parser);
        const path = `tags[${JSON.stringify(key)}]`;
        const set = await buildPatchSet({
          direction: 'accept',
          files,
          model,
          targets: [target(model, { address: 'aws_instance.web', changes: [{ path, declared: null, live }] })],
          engine,
        });
        const patch = set.patches[0];
        if (!survivesHcl({ [key]: live })) {
          expect(patch?.status).toBe('explain');
          expect(patch?.note).toContain('NFC');
          return;
        }
        expect(patch?.status, patch?.note).toBe('edit');
        const after = set.files[0]?.after ?? '';
        const tags = readBack(after).tags as Record<string, unknown>;
        expect(tags[key]).toBe(live);
        expect(tags.Name).toBe('web');
        expect(after.startsWith(HEAD)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

/** A file exactly as `terraform fmt` writes it: aligned runs, trailing comments in one of them,
 * a heredoc, a nested block, a map and a jsonencode policy. */
const FMT_CLEAN = `resource "aws_instance" "web" {
  ami           = "ami-123"
  instance_type = "t3.micro" # sized for staging
  subnet_id     = "subnet-1" # private
  user_data     = <<EOF
#!/bin/sh
KEY=value
EOF

  root_block_device {
    volume_size = 20
  }

  tags = {
    Name = "web"
  }
}

resource "aws_iam_policy" "read" {
  name = "read"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:aws:s3:::data/*"]
      },
    ]
  })
}
`;

describe('a file terraform fmt leaves alone stays that way', () => {
  const word = fc.stringMatching(/^[a-z0-9.-]{1,14}$/);
  const change = fc.oneof(
    word.map((live) => ({ address: 'aws_instance.web', path: 'instance_type', declared: 't3.micro', live })),
    word.map((live) => ({ address: 'aws_instance.web', path: 'subnet_id', declared: 'subnet-1', live })),
    word.map((live) => ({ address: 'aws_instance.web', path: 'user_data', declared: '#!/bin/sh\nKEY=value\n', live: `#!/bin/sh\nKEY=${live}\nOTHER=1\n` })),
    fc.constantFrom('optional', 'required').map((live) => ({ address: 'aws_instance.web', path: 'metadata_options[0].http_tokens', declared: null, live })),
    fc.tuple(fc.constantFrom('Owner', 'CostCenter', 'a-b'), word).map(([key, live]) => ({ address: 'aws_instance.web', path: `tags[${JSON.stringify(key)}]`, declared: null, live })),
    fc.array(word, { minLength: 1, maxLength: 3 }).map((actions) => ({
      address: 'aws_iam_policy.read',
      path: 'policy',
      declared: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::data/*'] }] }),
      live: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Widened', Effect: 'Allow', Action: actions.map((a) => `s3:${a}`), Resource: ['arn:aws:s3:::data/*'] }] }),
    })),
  );

  it('accept writes fmt-clean text, whatever it changes', async () => {
    expect(formatHcl(FMT_CLEAN)).toBe(FMT_CLEAN);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(change, { minLength: 1, maxLength: 4, selector: (c) => c.path }), async (changes) => {
        const files: SourceFile[] = [{ path: 'main.tf', text: FMT_CLEAN }];
        const model = buildHclModel(files, parser);
        const targets = ['aws_instance.web', 'aws_iam_policy.read']
          .map((address) => ({ address, changes: changes.filter((c) => c.address === address).map(({ path, declared, live }) => ({ path, declared, live })) }))
          .filter((spec) => spec.changes.length > 0)
          .map((spec) => target(model, spec));
        const set = await buildPatchSet({ direction: 'accept', files, model, targets, engine });
        for (const patch of set.patches) expect(patch.status, patch.note).toBe('edit');
        const after = set.files[0]?.after ?? '';
        expect(formatHcl(after)).toBe(after);
      }),
      { numRuns: 80 },
    );
  });
});

/** How a person would have written the declared value: JSON is valid HCL for these values
 * except for template sequences and keys, so strings go through an explicit escape. */
function literal(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return String(value).replace(/^(-?\d+)e/, '$1.0e');
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{\n${Object.entries(value)
      .map(([key, item]) => `    ${quote(key)} = ${literal(item)}`)
      .join('\n')}\n  }`;
  }
  return String(value);
}

function quote(text: string): string {
  // JSON escapes are HCL escapes, except \b and \f, which HCL writes as \u escapes.
  const json = JSON.stringify(text).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (escape: string, kind: string) =>
    kind === 'b' ? '\\u0008' : kind === 'f' ? '\\u000c' : escape,
  );
  return json.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Configurations with count, for_each and a variable several resources read, and drifts of any
 * instances: whatever the engine offers, it changes the declared value of the drifted instances
 * only (to the intended value), and every diff it offers applies. Values are re-evaluated for
 * every instance by evaluate-hcl.ts, which reads the files with hcl2-parser. */
describe('a patch changes the drifted instances only', () => {
  type Kind = 'string' | 'number' | 'bool';
  const ATTRIBUTES: { name: string; kind: Kind }[] = [
    { name: 'label', kind: 'string' },
    { name: 'size', kind: 'number' },
    { name: 'enabled', kind: 'bool' },
  ];
  const valueOf = (kind: Kind): fc.Arbitrary<unknown> =>
    kind === 'string' ? fc.stringMatching(/^[a-z0-9 "\\-]{0,8}$/) : kind === 'number' ? fc.oneof(fc.integer({ min: -5, max: 500 }), fc.constant(2.5)) : fc.boolean();
  type Repetition = { kind: 'none' } | { kind: 'count'; n: number } | { kind: 'set'; keys: string[] } | { kind: 'map'; keys: string[] };
  const repetition: fc.Arbitrary<Repetition> = fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.integer({ min: 1, max: 6 }).map((n) => ({ kind: 'count' as const, n })),
    fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'blue-1'), { minLength: 1, maxLength: 5 }).map((keys) => ({ kind: 'set' as const, keys })),
    fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 4 }).map((keys) => ({ kind: 'map' as const, keys })),
  );
  // How an attribute is written: a literal, the shared variable (strings), a per-instance choice
  // already there (count), or not at all.
  type Written = { form: 'literal'; value: unknown } | { form: 'var' } | { form: 'choice'; index: number; yes: unknown; no: unknown } | { form: 'absent' };
  const written = (kind: Kind): fc.Arbitrary<Written> =>
    fc.oneof(
      valueOf(kind).map((value) => ({ form: 'literal' as const, value })),
      fc.constant({ form: kind === 'string' ? ('var' as const) : ('absent' as const) }),
      fc.tuple(fc.integer({ min: 0, max: 5 }), valueOf(kind), valueOf(kind)).map(([index, yes, no]) => ({ form: 'choice' as const, index, yes, no })),
      fc.constant({ form: 'absent' as const }),
    ) as fc.Arbitrary<Written>;
  const resource = fc.record({ repetition, attributes: fc.tuple(written('string'), written('number'), written('bool')) });
  const configuration = fc.record({ shared: valueOf('string'), resources: fc.array(resource, { minLength: 1, maxLength: 3 }) });

  type Config = { shared: unknown; resources: { repetition: Repetition; attributes: Written[] }[] };

  function keysOf(rep: Repetition): (string | number | null)[] {
    if (rep.kind === 'none') return [null];
    if (rep.kind === 'count') return Array.from({ length: rep.n }, (_, i) => i);
    return rep.keys;
  }

  function render(config: Config): string {
    const blocks = [`variable "shared" {\n  type    = string\n  default = ${renderValue(config.shared)}\n}\n`];
    config.resources.forEach((spec, r) => {
      const lines: string[] = [];
      const rep = spec.repetition;
      if (rep.kind === 'count') lines.push(`  count = ${rep.n}`, '');
      if (rep.kind === 'set') lines.push(`  for_each = toset([${rep.keys.map((key) => JSON.stringify(key)).join(', ')}])`, '');
      if (rep.kind === 'map') lines.push(`  for_each = { ${rep.keys.map((key, i) => `${renderKey(key)} = ${i}`).join(', ')} }`, '');
      spec.attributes.forEach((attribute, a) => {
        const name = (ATTRIBUTES[a] as { name: string }).name;
        if (attribute.form === 'literal') lines.push(`  ${name} = ${renderValue(attribute.value)}`);
        if (attribute.form === 'var') lines.push(`  ${name} = var.shared`);
        // A choice on count.index only means something under count; elsewhere it is a literal.
        if (attribute.form === 'choice') lines.push(`  ${name} = ${rep.kind === 'count' ? `count.index == ${attribute.index} ? ${renderValue(attribute.yes)} : ${renderValue(attribute.no)}` : renderValue(attribute.no)}`);
      });
      blocks.push(`resource "aws_sqs_queue" "r${r}" {\n${lines.join('\n')}\n}\n`);
    });
    return blocks.join('\n');
  }

  function address(r: number, key: string | number | null): string {
    return `aws_sqs_queue.r${r}${key === null ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`}`;
  }

  function scopeOf(key: string | number | null) {
    return key === null ? {} : typeof key === 'number' ? { countIndex: key } : { eachKey: key };
  }

  /** Every (instance, attribute) and what the configuration declares there. */
  function snapshot(text: string, config: Config): Map<string, unknown> {
    const evaluated = evaluator(text);
    const out = new Map<string, unknown>();
    config.resources.forEach((spec, r) => {
      for (const key of keysOf(spec.repetition)) {
        for (const attribute of ATTRIBUTES) out.set(`${address(r, key)}|${attribute.name}`, evaluated.declared('aws_sqs_queue', `r${r}`, [attribute.name], scopeOf(key)) ?? null);
      }
    });
    return out;
  }

  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

  it.each(['accept', 'restore'] as const)('%s', async (direction) => {
    await fc.assert(
      fc.asyncProperty(configuration, fc.infiniteStream(fc.tuple(fc.boolean(), valueOf('string'), valueOf('number'), fc.boolean(), fc.nat(7))), fc.boolean(), async (config, choices, stateKnown) => {
        const text = render(config);
        const files: SourceFile[] = [{ path: 'main.tf', text }];
        const model = buildHclModel(files, parser);
        const before = snapshot(text, config);
        // Drifts: some instances, some attributes, each to a new live value (or gone).
        const intended = new Map<string, unknown>();
        const targets = config.resources.flatMap((spec, r) => {
          const instances = keysOf(spec.repetition).map((key) => address(r, key));
          return keysOf(spec.repetition).flatMap((key) => {
            const [drifts, text1, number, bool, mask] = choices.next().value as [boolean, string, number, boolean, number];
            if (!drifts) return [];
            const changes = ATTRIBUTES.flatMap((attribute, a) => {
              if ((mask & (1 << a)) === 0) return [];
              const current = before.get(`${address(r, key)}|${attribute.name}`) ?? null;
              const other = attribute.kind === 'string' ? text1 : attribute.kind === 'number' ? number : bool;
              // Restore: what was applied is what the configuration says, or (absent) the default.
              const declared = current ?? other;
              const live = mask === 7 && attribute.kind === 'bool' ? null : current === null ? (attribute.kind === 'bool' ? !bool : `${String(other)}x`) : other;
              if (same(declared, live)) return [];
              intended.set(`${address(r, key)}|${attribute.name}`, direction === 'accept' ? live : declared);
              return [{ path: attribute.name, declared, live }];
            });
            if (changes.length === 0) return [];
            return [{ address: address(r, key), instances: stateKnown ? instances : null, changes }];
          });
        });
        fc.pre(targets.length > 0);
        const set = await buildPatchSet({ direction, files, model, targets: targets.map((spec, i) => target(model, { ...spec, fingerprint: `d${i}` })), engine });

        const check = (after: Map<string, unknown>, drifted: (place: string) => boolean, what: string): void => {
          for (const [place, value] of after) {
            const old = before.get(place);
            if (same(value, old)) continue;
            expect(drifted(place), `${what}: ${place} changed from ${JSON.stringify(old)} to ${JSON.stringify(value)}\n${text}`).toBe(true);
            expect(same(value, intended.get(place)), `${what}: ${place} became ${JSON.stringify(value)}, not ${JSON.stringify(intended.get(place))}\n${text}`).toBe(true);
          }
        };
        // The combined patch: only drifted instances change, each to its intended value.
        const merged = gitApply(set.files).get('main.tf') ?? text;
        check(snapshot(merged, config), (place) => intended.has(place), 'combined');
        // Every drift's own diff applies; and its own patch changes its instance, or an instance
        // with the very same change.
        applyChecker(files)(set.patches.flatMap((patch) => patch.files.map((file) => file.diff)));
        set.patches.forEach((patch, i) => {
          const spec = targets[i];
          if (patch.status !== 'edit' || !spec) return;
          const own = patch.files[0]?.after ?? text;
          const mine = new Set(spec.changes.map((change) => `${spec.address}|${change.path}`));
          check(snapshot(own, config), (place) => mine.has(place) || [...mine].some((m) => m.split('|')[1] === place.split('|')[1] && same(intended.get(m), intended.get(place))), `patch of ${spec.address}`);
        });
      }),
      { numRuns: 30 },
    );
    // Each run builds patches and re-evaluates every instance; git runs a few times per run.
  }, 120_000);
});
