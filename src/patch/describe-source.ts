// Says where a value that is not a literal comes from, and where a person would change it:
// the variable's declaration or the module input that sets it, the locals entry, the for_each
// map, or the expression itself.
import type { Node } from 'web-tree-sitter';
import type { HclModuleCall } from '../terraform/types.js';
import { attributeExpression, blockKeyword, blockLabels, findAttribute, topLevelBlocks, unwrapExpression } from './hcl-syntax.js';
import type { TargetContext } from './target-context.js';
import { oneLine, resourceNode, site } from './target-context.js';
import { reachOf } from './instance-scope.js';
import { cachedTree } from './workspace.js';

export function describeSource(ctx: TargetContext, file: string, node: Node): string {
  const inner = unwrapExpression(node);
  const working = ctx.ws.files.get(file);
  const where = working ? site(working, node) : `${file}:${node.startPosition.row + 1}`;
  const shown = inner.type === 'template_expr' && inner.namedChildren[0]?.type === 'heredoc_template' ? heredocSummary(inner) : oneLine(node.text);
  const head = `it is set by \`${shown}\` (${where})`;
  if (inner.type === 'template_expr') {
    const interpolated = inner.descendantsOfType('template_interpolation').map((part) => oneLine(part.text, 50));
    const hints = traversalHints(ctx, inner);
    return `${head}, a template that interpolates ${[...new Set(interpolated)].slice(0, 3).join(', ')}${hints}; change the template or the values it reads`;
  }
  if (inner.type === 'function_call') {
    return `${head}, a function call${traversalHints(ctx, inner)}; change its arguments`;
  }
  const root = referenceRoot(node);
  if (root?.kind === 'var') return `${head}; ${variableHint(ctx, root.name)}`;
  if (root?.kind === 'local') return `${head}; ${localHint(ctx, root.name)}`;
  if (root?.kind === 'each' || root?.kind === 'count') {
    return `${head}, which differs per instance; change the ${root.kind === 'each' ? 'for_each' : 'count'} expression or the value it reads`;
  }
  if (root?.kind === 'reference') return `${head}, a reference to another object; change that object or the reference`;
  return `${head}; change that expression`;
}

function heredocSummary(template: Node): string {
  const first = template.text.split('\n')[0] ?? '';
  return `${first.trim()} ... heredoc`;
}

/** ", which reads var.x (...), local.y (...)" for the variables and locals an expression uses. */
function traversalHints(ctx: TargetContext, node: Node): string {
  const hints: string[] = [];
  const seen = new Set<string>();
  for (const variable of node.descendantsOfType('variable_expr')) {
    const root = referenceRoot(variable);
    if (!root || (root.kind !== 'var' && root.kind !== 'local') || root.name === '') continue;
    const key = `${root.kind}.${root.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    hints.push(root.kind === 'var' ? variableHint(ctx, root.name) : localHint(ctx, root.name));
    if (hints.length === 3) break;
  }
  return hints.length > 0 ? ` (${hints.join('; ')})` : '';
}

type Root = { kind: 'var' | 'local' | 'each' | 'count' | 'reference'; name: string };

/** The first traversal in an expression: `var.x`, `local.y`, `each.value`, `aws_x.y.z`. */
function referenceRoot(node: Node): Root | null {
  const variable = node.type === 'variable_expr' ? node : node.descendantsOfType('variable_expr')[0];
  if (!variable) return null;
  const parent = variable.parent;
  const attr = parent?.namedChildren.find((child) => child.type === 'get_attr' && child.startIndex === variable.endIndex);
  const name = attr?.namedChildren.find((child) => child.type === 'identifier')?.text ?? '';
  switch (variable.text) {
    case 'var':
      return { kind: 'var', name };
    case 'local':
      return { kind: 'local', name };
    case 'each':
      return { kind: 'each', name };
    case 'count':
      return { kind: 'count', name };
    default:
      return { kind: 'reference', name: variable.text };
  }
}

function variableHint(ctx: TargetContext, name: string): string {
  const block = ctx.target.block;
  const dir = block?.moduleDir ?? '';
  const declared = findInModule(ctx, dir, (top) => blockKeyword(top) === 'variable' && blockLabels(top)[0] === name);
  const declaredAt = declared ? ` (declared at ${declared.file}:${declared.node.startPosition.row + 1})` : '';
  const call = ctx.target.moduleCalls[ctx.target.moduleCalls.length - 1];
  if (call && block && block.modulePath.length > 0) {
    const input = moduleInput(ctx, call, name);
    if (input) {
      return `module "${call.name}" sets \`${name} = ${oneLine(input.text, 60)}\` (${input.site}): change the value there${declaredAt}`;
    }
    return `module "${call.name}" (${call.file}:${call.startLine}) does not set \`${name}\`, so the variable's default applies${declaredAt}`;
  }
  // The variable's value is not shown: variables may be sensitive. Its declaration is never
  // edited: the value in force may come from a .tfvars file, -var or TF_VAR_, and other resources
  // read it too.
  return `change the value of variable "${name}" in terraform.tfvars or its default${declaredAt}${readersNote(ctx, dir, name)}`;
}

/** "; N resource blocks read it (...), so a new value there changes every one of them: ...",
 * when the variable reaches more than this one resource instance. */
function readersNote(ctx: TargetContext, dir: string, name: string): string {
  const readers: string[] = [];
  const calls: string[] = [];
  for (const [path, text] of ctx.ws.texts) {
    if (!path.endsWith('.tf') || dirOf(path) !== dir || !text.includes(`var.${name}`)) continue;
    for (const top of topLevelBlocks(cachedTree(ctx.ws.cache, text))) {
      const keyword = blockKeyword(top);
      if ((keyword !== 'resource' && keyword !== 'module') || !readsVariable(top, name)) continue;
      const labels = blockLabels(top);
      if (keyword === 'resource') readers.push(`${labels[0] ?? ''}.${labels[1] ?? ''}`);
      else calls.push(`module "${labels[0] ?? ''}"`);
    }
  }
  const block = ctx.target.block;
  const own = block ? `${block.type}.${block.name}` : null;
  const located = resourceNode(ctx);
  const reach = located ? reachOf(ctx, located.node) : null;
  const repeated = reach !== null && reach.others !== 0;
  if (readers.length <= 1 && calls.length === 0 && !repeated) return '';
  const label = (reader: string): string => {
    if (reader !== own || !repeated) return reader;
    return `${reader} with ${reach?.instances === null || reach?.instances === undefined ? 'all its instances' : `${reach.instances.length} instances`}`;
  };
  const shown = readers.slice(0, 3).map(label).join(', ') + (readers.length > 3 ? ` and ${readers.length - 3} more` : '');
  const passed = calls.length > 0 ? `, and ${calls.join(', ')} ${calls.length === 1 ? 'passes' : 'pass'} it on` : '';
  const key = ctx.instanceKey;
  const alone =
    repeated && key !== null
      ? `to change ${ctx.target.address ?? 'the drifted instance'} alone, write a choice in its block instead (\`${typeof key === 'number' ? `count.index == ${key}` : `each.key == ${JSON.stringify(key)}`} ? <value> : var.${name}\`)`
      : `to change ${ctx.target.address ?? 'this resource'} alone, write its value in its block instead of var.${name}`;
  return `; ${readers.length} resource block${readers.length === 1 ? '' : 's'} read${readers.length === 1 ? 's' : ''} it (${shown})${passed}, so a new value there changes every one of them: ${alone}`;
}

function readsVariable(block: Node, name: string): boolean {
  return block.descendantsOfType('variable_expr').some((variable) => {
    if (variable?.text !== 'var') return false;
    const next = variable.nextNamedSibling;
    return next?.type === 'get_attr' && next.namedChildren.find((child) => child?.type === 'identifier')?.text === name;
  });
}

function localHint(ctx: TargetContext, name: string): string {
  const dir = ctx.target.block?.moduleDir ?? '';
  const found = findInModule(ctx, dir, (top) => blockKeyword(top) === 'locals' && findAttribute(top, name) !== null);
  if (!found) return `change local.${name}`;
  const attribute = findAttribute(found.node, name) as Node;
  return `change local.${name} (${found.file}:${attribute.startPosition.row + 1})`;
}

function findInModule(ctx: TargetContext, dir: string, match: (block: Node) => boolean): { file: string; node: Node } | null {
  for (const [path, text] of ctx.ws.texts) {
    if (!path.endsWith('.tf') || dirOf(path) !== dir) continue;
    for (const top of topLevelBlocks(cachedTree(ctx.ws.cache, text))) {
      if (match(top)) return { file: path, node: top };
    }
  }
  return null;
}

function moduleInput(ctx: TargetContext, call: HclModuleCall, name: string): { text: string; site: string } | null {
  const text = ctx.ws.texts.get(call.file);
  if (text === undefined) return null;
  const block = topLevelBlocks(cachedTree(ctx.ws.cache, text)).find(
    (top) => blockKeyword(top) === 'module' && blockLabels(top)[0] === call.name,
  );
  const attribute = block ? findAttribute(block, name) : null;
  const expression = attribute ? attributeExpression(attribute) : null;
  if (!attribute || !expression) return null;
  return { text: expression.text, site: `${call.file}:${attribute.startPosition.row + 1}` };
}

export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
