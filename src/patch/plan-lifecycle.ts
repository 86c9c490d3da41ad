// Whole resources: deleted outside Terraform (restore: apply recreates it; accept: remove the
// block, with a `removed` block where Terraform ≥ 1.7 is guaranteed) and unmanaged (restore:
// the family's remediation command; accept: an import block plus a generated resource block).
import type { Node } from 'web-tree-sitter';
import type { GeneratedResource } from '../resources/family.js';
import { describeSource } from './describe-source.js';
import { referencesOf } from './source-index.js';
import { replaceTopLevelBlock } from './edit-ops.js';
import { attributeExpression, descendantsOfType, findAttribute } from './hcl-syntax.js';
import {
  appendToImportsFile,
  existingImport,
  findTopResource,
  importBlockText,
  importClaim,
  importVersionNote,
  IMPORTS_FILE,
  reserveName,
  resourceBlockText,
  resourceClaims,
} from './new-resources.js';
import { parsePolicyText, renderBlock, renderJsonencode, renderKey, renderValue } from './render-hcl.js';
import { repetitionOf } from './resolve-path.js';
import type { ChangeResult, TargetContext } from './target-context.js';
import { blockAddress, resourceNode, site } from './target-context.js';
import { reachOf } from './instance-scope.js';
import { guaranteesVersion } from './terraform-version.js';
import { containsSensitive, isPolicyPath, isRecord } from './values.js';

export function planDeleted(ctx: TargetContext): ChangeResult {
  const address = ctx.target.address ?? ctx.target.type;
  const located = resourceNode(ctx);
  if (ctx.direction === 'restore') {
    if (!located) {
      return {
        status: 'explain',
        note: `${address} was deleted outside Terraform, and no block declares it any more: the next apply drops it from the state instead of recreating it.`,
      };
    }
    return { status: 'none', note: `${address} was deleted outside Terraform: the next apply recreates it from ${site(located.file, located.node)}.` };
  }
  if (!located) {
    return { status: 'none', note: `${address} was deleted outside Terraform and no block declares it any more: the next apply drops it from the state.` };
  }
  const { node, file } = located;
  const where = site(file, node);
  if (ctx.instanceKey !== null) {
    const repetition = repetitionOf(node);
    const how =
      repetition?.kind === 'count'
        ? `lower \`count\` (${site(file, repetition.node)}) if it is the last instance`
        : repetition
          ? `remove its key from the for_each value (${describeSource(ctx, file.path, repetition.node).replace(/^it is set by /, '')})`
          : 'remove it from count or for_each';
    return {
      status: 'explain',
      note: `${address} is one instance of ${blockAddress(ctx)} (${where}); deleting the block would remove every instance. To accept the deletion, ${how}; otherwise the next apply recreates it.`,
    };
  }
  const reach = reachOf(ctx, node);
  if (reach.others !== 0) {
    const why = reach.moduleShare ?? 'its module is used more than once';
    return {
      status: 'explain',
      note: `${address} is one of ${reach.instances === null ? 'several instances' : `${reach.instances.length} instances`} that the block in ${file.path} declares (${why}); deleting the block would remove every one of them. Remove the module instance or make the resource conditional by hand.`,
    };
  }
  const references = referencesTo(ctx, node);
  if (references.length > 0) {
    return {
      status: 'explain',
      note: `${address} was deleted outside Terraform, but ${blockAddress(ctx)} is referenced at ${references.slice(0, 5).join(', ')}${references.length > 5 ? ' and more' : ''}; remove those references and its block (${where}) together.`,
    };
  }
  const from = blockAddress(ctx);
  const withRemoved = guaranteesVersion(ctx.model.requiredVersion, '1.7.0');
  const removed = withRemoved ? renderBlock('removed', [['from', from]], [renderBlock('lifecycle', [['destroy', 'false']])], false) : null;
  replaceTopLevelBlock(ctx.ws, file, node, removed);
  const block = ctx.target.block;
  ctx.claims.push({
    file: file.path,
    what: `the block of ${address}`,
    expected: null,
    policy: false,
    probe: (tree) => (block && findTopResource(tree, block.type, block.name) ? { failure: `the block of ${address} is still there after the edit` } : 'absent'),
  });
  if (withRemoved) {
    ctx.claims.push({
      file: file.path,
      what: `the removed block for ${from}`,
      expected: `\${${from}}`,
      policy: false,
      probe: (tree) => {
        const found = descendantsOfType(tree.rootNode, ['block']).find((candidate) => {
          if (candidate.parent?.parent?.type !== 'config_file' || candidate.namedChildren[0]?.text !== 'removed') return false;
          const target = findAttribute(candidate, 'from');
          return attributeExpression(target as Node)?.text.trim() === from;
        });
        return found ? { block: found, path: ['removed', 0, 'from'] } : { failure: `the removed block for ${from} is missing after the edit` };
      },
    });
    return {
      status: 'edit',
      note: `${address} was deleted outside Terraform: its block (${where}) is replaced by a \`removed\` block with destroy = false, so the next apply forgets it.`,
    };
  }
  const constraint = ctx.model.requiredVersion === null ? 'no required_version' : `required_version "${ctx.model.requiredVersion}"`;
  return {
    status: 'edit',
    note: `${address} was deleted outside Terraform: its block (${where}) is removed, so the next apply drops it from the state. No \`removed\` block was added: it needs Terraform 1.7, and ${constraint} does not guarantee it.`,
  };
}

/** `type.name` traversals (references and depends_on) outside the block, in the same module. */
function referencesTo(ctx: TargetContext, resource: Node): string[] {
  const block = ctx.target.block;
  if (!block) return [];
  const sites = referencesOf(ctx.ws.cache, ctx.ws.texts, block.moduleDir, block.type, block.name).filter(
    (site) => !(site.path === block.file && site.start >= resource.startIndex && site.end <= resource.endIndex),
  );
  return [...new Set(sites.map((site) => `${site.path}:${site.row + 1}`))];
}

export function planUnmanaged(ctx: TargetContext): ChangeResult {
  const { target } = ctx;
  const what = `${target.type} ${target.id}`;
  if (ctx.direction === 'restore') {
    if (target.remediation) {
      return {
        status: 'none',
        note: `${what} is not managed by Terraform, so apply leaves it alone: remove it with the command below, or accept it to import it.`,
        remediation: true,
      };
    }
    return { status: 'none', note: `${what} is not managed by Terraform, so apply leaves it alone; no removal command is known for this type.` };
  }
  const generated = target.generated;
  if (!generated) {
    return { status: 'explain', note: `${what} is not managed by Terraform, and no resource block can be generated for it; import it by hand.`, remediation: true };
  }
  const already = existingImport(ctx, generated.importId);
  if (already) return { status: 'none', note: `${what} is already imported (${already}).` };
  const name = reserveName(ctx, '', generated.type, generated.name);
  const rendered = renderGenerated(generated, name);
  if (typeof rendered === 'string') return { status: 'explain', note: `${what}: ${rendered}; import it by hand.`, remediation: true };
  const to = `${generated.type}.${name}`;
  appendToImportsFile(ctx, `${importBlockText(to, generated.importId)}\n\n${rendered.text}`);
  ctx.claims.push(importClaim(IMPORTS_FILE, to, generated.importId));
  ctx.claims.push(...resourceClaims(IMPORTS_FILE, generated.type, name, rendered.expected, rendered.policies));
  const left = rendered.sensitive.length > 0 ? ` Sensitive values were left out (${rendered.sensitive.join(', ')}): fill them in from your secret store.` : '';
  return {
    status: 'edit',
    note: `${what} is not managed by Terraform: added an import block and a resource block for ${generated.type}.${name} to ${IMPORTS_FILE}; review the generated arguments before applying.${left}${importVersionNote(ctx)}`,
  };
}

interface RenderedResource {
  text: string;
  expected: Record<string, unknown>;
  policies: Record<string, string>;
  sensitive: string[];
}

function renderGenerated(generated: GeneratedResource, name: string): RenderedResource | string {
  const attributes: [string, string][] = [];
  const expected: Record<string, unknown> = {};
  const policies: Record<string, string> = {};
  const sensitive: string[] = [];
  const entries = Object.entries(generated.attributes).filter(([, value]) => value !== null && value !== undefined);
  // Tags read best last, as hand-written blocks have them.
  entries.sort(([a], [b]) => Number(a === 'tags') - Number(b === 'tags'));
  for (const [key, value] of entries) {
    if (containsSensitive(value)) {
      sensitive.push(key);
      continue;
    }
    const document = isPolicyPath([key], value) ? parsePolicyText(value) : null;
    const text = document ? renderJsonencode(document) : renderValue(value);
    if (text === null) return `\`${key}\` cannot be written in HCL`;
    attributes.push([renderKey(key), text]);
    if (document) policies[key] = value as string;
    else expected[key] = value;
  }
  const blocks: string[] = [];
  for (const [blockName, list] of Object.entries(generated.blocks)) {
    for (const item of list) {
      const inner: [string, string][] = [];
      for (const [key, value] of Object.entries(item)) {
        if (value === null || value === undefined) continue;
        if (containsSensitive(value)) {
          sensitive.push(`${blockName}.${key}`);
          continue;
        }
        const text = renderValue(value);
        if (text === null) return `\`${blockName}.${key}\` cannot be written in HCL`;
        inner.push([renderKey(key), text]);
      }
      blocks.push(renderBlock(blockName, inner));
    }
    if (list.length > 0 && list.every((item) => isRecord(item) && !Object.values(item).some(containsSensitive))) {
      expected[blockName] = list.map((item) => Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null && v !== undefined)));
    }
  }
  return { text: resourceBlockText(generated.type, name, attributes, blocks), expected, policies, sensitive };
}
