// New resource blocks and `import` blocks written by accept: names that do not collide, the
// driftwatch_imports.tf file in the root module, and the claims that check them.
import type { Node, Tree } from 'web-tree-sitter';
import { appendTopLevel } from './edit-ops.js';
import { attributeExpression, blockKeyword, blockLabels, findAttribute, topLevelBlocks } from './hcl-syntax.js';
import { jsonencodeArgument } from './hcl-literal.js';
import { quoteString, renderBlock } from './render-hcl.js';
import type { TargetContext } from './target-context.js';
import { guaranteesVersion } from './terraform-version.js';
import type { Claim } from './verify.js';
import { isRecord, readPath, sameWritten } from './values.js';
import type { WorkingFile } from './workspace.js';
import { createFile, treeOf } from './workspace.js';
import { importSite } from './source-index.js';

export const IMPORTS_FILE = 'driftwatch_imports.tf';

/** A Terraform identifier from free text ("kiln-lb 443" → "kiln_lb_443"). */
export function identifier(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  if (cleaned === '') return 'imported';
  return /^[a-z_]/.test(cleaned) ? cleaned : `r_${cleaned}`;
}

/** Reserves `<type>.<name>` in a module, adding _2, _3... when the name is taken. */
export function reserveName(ctx: TargetContext, moduleDir: string, type: string, base: string): string {
  const handed = ctx.run.handed.get(ctx.target.fingerprint) ?? [];
  const previous = handed[ctx.nameCursor.index];
  ctx.nameCursor.index++;
  if (previous !== undefined) return previous;
  const name = identifier(base);
  let candidate = name;
  for (let n = 2; ctx.run.names.has(`${moduleDir}|${type}.${candidate}`); n++) candidate = `${name}_${n}`;
  ctx.run.names.add(`${moduleDir}|${type}.${candidate}`);
  handed.push(candidate);
  ctx.run.handed.set(ctx.target.fingerprint, handed);
  return candidate;
}

export function importBlockText(to: string, id: string): string {
  return renderBlock('import', [
    ['to', to],
    ['id', quoteString(id)],
  ]);
}

export function resourceBlockText(type: string, name: string, attributes: [string, string][], blocks: string[] = []): string {
  return renderBlock(`resource ${quoteString(type)} ${quoteString(name)}`, attributes, blocks);
}

/** A sentence when required_version does not promise Terraform 1.5 (import blocks). */
export function importVersionNote(ctx: TargetContext): string {
  if (guaranteesVersion(ctx.model.requiredVersion, '1.5.0')) return '';
  const constraint = ctx.model.requiredVersion === null ? 'no required_version' : `required_version "${ctx.model.requiredVersion}"`;
  return ` Import blocks need Terraform 1.5 or later, and ${constraint} does not guarantee it.`;
}

/** An import block for this id already written in the root module (a fix merged earlier). */
export function existingImport(ctx: TargetContext, id: string): string | null {
  return importSite(ctx.ws.cache, ctx.ws.texts, id);
}

/** Appends blocks to driftwatch_imports.tf in the root module (creating it if needed). */
export function appendToImportsFile(ctx: TargetContext, text: string): void {
  const file = createFile(ctx.ws, IMPORTS_FILE);
  appendTopLevel(ctx.ws, file, text);
}

/** Where a new block goes: after `node`, or after the blocks (and their imports) this target
 * already generated right after it, so several new blocks keep the order they were made in. */
export function anchorAfter(ctx: TargetContext, file: WorkingFile, node: Node): Node {
  const tree = treeOf(ctx.ws, file);
  let anchor = node;
  for (const block of topLevelBlocks(tree)) {
    if (block.startIndex < anchor.endIndex) continue;
    const keyword = blockKeyword(block);
    const labels = blockLabels(block);
    const ours =
      (keyword === 'resource' && ctx.generated.includes(`${labels[0] ?? ''}.${labels[1] ?? ''}`)) ||
      (keyword === 'import' && ctx.generated.some((address) => findImportBlock(tree, address)?.equals(block) === true));
    if (!ours) break;
    anchor = block;
  }
  return anchor;
}

export function findImportBlock(tree: Tree, to: string): Node | null {
  for (const block of topLevelBlocks(tree)) {
    if (blockKeyword(block) !== 'import') continue;
    const target = findAttribute(block, 'to');
    const expression = target ? attributeExpression(target) : null;
    if (expression?.text.trim() === to) return block;
  }
  return null;
}

export function findTopResource(tree: Tree, type: string, name: string): Node | null {
  return (
    topLevelBlocks(tree).find((block) => {
      if (blockKeyword(block) !== 'resource') return false;
      const labels = blockLabels(block);
      return labels[0] === type && labels[1] === name;
    }) ?? null
  );
}

/** The import block `to` → `id` is in `file`. */
export function importClaim(file: string, to: string, id: string): Claim {
  return {
    file,
    what: `the import block for ${to}`,
    expected: id,
    policy: false,
    probe(tree) {
      const block = findImportBlock(tree, to);
      if (!block) return { failure: `the import block for ${to} is missing after the edit` };
      return { block, path: ['import', 0, 'id'] };
    },
  };
}

/** The new resource block reads back with these attribute values; policies (written with
 * jsonencode, which hcl2-parser leaves unevaluated) are read from the jsonencode argument. */
export function resourceClaims(
  file: string,
  type: string,
  name: string,
  expected: Record<string, unknown>,
  policies: Record<string, string>,
): Claim[] {
  const claims: Claim[] = [
    {
      file,
      what: `the new ${type}.${name} block`,
      expected: null,
      policy: false,
      probe(tree) {
        const block = findTopResource(tree, type, name);
        if (!block) return { failure: `the new ${type}.${name} block is missing after the edit` };
        return { block, path: ['resource', type, name, 0] };
      },
      check(value) {
        if (!isRecord(value)) return 'the block did not read back';
        for (const [key, want] of Object.entries(expected)) {
          if (!sameWritten(readPath(value, [key]), want, false)) return `\`${key}\` reads back differently`;
        }
        return null;
      },
    },
  ];
  for (const [key, document] of Object.entries(policies)) {
    claims.push({
      file,
      what: `\`${key}\` of the new ${type}.${name} block`,
      expected: document,
      policy: true,
      probe(tree) {
        const block = findTopResource(tree, type, name);
        const attribute = block ? findAttribute(block, key) : null;
        const expression = attribute ? attributeExpression(attribute) : null;
        const argument = expression ? jsonencodeArgument(expression) : null;
        if (!argument) return { failure: `\`${key}\` of the new ${type}.${name} block is not a jsonencode() document` };
        return { expression: argument.argument, path: [] };
      },
    });
  }
  return claims;
}
