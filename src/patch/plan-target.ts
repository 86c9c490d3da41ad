// One drift → the results of its changes: dispatches each change to the planner for its kind
// (set element, tag, attribute) after the checks that apply to the whole resource.
import type { Change } from '../drift/types.js';
import { formatPath, parsePath } from '../drift/path.js';
import type { PathStep } from '../terraform/types.js';
import { planAttribute } from './plan-attribute.js';
import { planDeleted, planUnmanaged } from './plan-lifecycle.js';
import { isSetElementChange, pairElements, planSetElement } from './plan-set-elements.js';
import { planTag } from './plan-tags.js';
import type { ChangeResult, TargetContext } from './target-context.js';
import { resourceNode } from './target-context.js';
import { treeOf } from './workspace.js';
import type { Tree } from 'web-tree-sitter';
import { isPolicyPath, isRecord } from './values.js';

export function planTarget(ctx: TargetContext): ChangeResult[] {
  const { target } = ctx;
  if (target.kind === 'unmanaged') return [planUnmanaged(ctx)];
  const remote = target.moduleCalls.find((call) => !call.local);
  const address = target.address ?? `${target.type} ${target.id}`;
  if (remote) {
    return [
      {
        status: 'explain',
        note: `${address} is declared in the remote module "${remote.name}" (source ${remote.source}), which is not in this repository: change the module's inputs (${remote.file}:${remote.startLine}) or the module upstream.`,
      },
    ];
  }
  if (target.kind === 'deleted') return [planDeleted(ctx)];
  if (!target.block) {
    const unreadable = ctx.model.errors.map((error) => `${error.file}:${error.line}`);
    const hint = unreadable.length > 0 ? ` (${unreadable.slice(0, 3).join(', ')} could not be parsed; its block may be there: fix the syntax error first)` : '';
    return [{ status: 'explain', note: `${address}: no block in the configuration declares it, so there is nothing to edit${hint}.` }];
  }
  const located = resourceNode(ctx);
  if (!located) {
    return [{ status: 'explain', note: `${address}: its block was not found in ${target.block.file}.` }];
  }
  const broken = syntaxErrorRow(treeOf(ctx.ws, located.file));
  if (broken !== null) {
    return [{ status: 'explain', note: `${address}: ${target.block.file} has a syntax error at line ${broken + 1}; fix it first, then patch again.` }];
  }
  const changes = [
    ...target.changes.filter((change) => isSetElementChange(target.type, change.path)),
    ...expandChanges(target.changes.filter((change) => !isSetElementChange(target.type, change.path))),
  ];
  if (changes.length === 0) return [{ status: 'none', note: `${address}: no attribute differs.` }];

  const results: ChangeResult[] = [];
  const setChanges = changes.filter((change) => isSetElementChange(target.type, change.path));
  for (const element of pairElements(target.type, setChanges)) results.push(planSetElement(ctx, element));
  for (const change of changes) {
    if (isSetElementChange(target.type, change.path)) continue;
    const label = `\`${change.path}\``;
    let steps: PathStep[];
    try {
      steps = parsePath(change.path);
    } catch {
      results.push({ status: 'explain', note: `${label}: the path could not be read.` });
      continue;
    }
    if ((steps[0] === 'tags' || steps[0] === 'tags_all') && steps.length === 2 && typeof steps[1] === 'string') {
      results.push(planTag(ctx, steps[1], change, label));
      continue;
    }
    results.push(planAttribute(ctx, steps, change, label));
  }
  return results;
}

function syntaxErrorRow(tree: Tree): number | null {
  if (!tree.rootNode.hasError) return null;
  const error = tree.rootNode.descendantsOfType('ERROR')[0];
  return error ? error.startPosition.row : 0;
}

/** Splits changes of whole maps and single nested blocks into one change per leaf, so each is
 * found (or pinned) where it is written. Policies and set elements stay whole. */
export function expandChanges(changes: readonly Change[]): Change[] {
  const out: Change[] = [];
  for (const change of changes) expandInto(change, out);
  return out;
}

function expandInto(change: Change, out: Change[]): void {
  let steps: PathStep[];
  try {
    steps = parsePath(change.path);
  } catch {
    out.push(change);
    return;
  }
  const { declared, live } = change;
  if (isPolicyPath(steps, declared, live)) {
    out.push(change);
    return;
  }
  const bothObjects = isRecord(declared) && isRecord(live);
  const mapVsNothing = (isRecord(declared) && (live === null || live === undefined)) || (isRecord(live) && (declared === null || declared === undefined));
  if (bothObjects || (mapVsNothing && steps.length >= 1 && (steps[0] === 'tags' || steps[0] === 'tags_all'))) {
    const left = isRecord(declared) ? declared : {};
    const right = isRecord(live) ? live : {};
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      if (JSON.stringify(left[key]) === JSON.stringify(right[key])) continue;
      expandInto({ path: formatPath([...steps, key]), declared: left[key] ?? null, live: right[key] ?? null }, out);
    }
    return;
  }
  const blockList = (value: unknown): value is Record<string, unknown>[] => Array.isArray(value) && value.every(isRecord);
  if (blockList(declared) && blockList(live) && declared.length === live.length && declared.length > 0) {
    declared.forEach((item, index) => {
      expandInto({ path: formatPath([...steps, index]), declared: item, live: live[index] }, out);
    });
    return;
  }
  out.push(change);
}
