// Edits in a block that several instances read (count, for_each, modules): whether the place
// may change for all of them (every instance drifted the same way, or there is only one), must
// name the drifted instance (a per-instance expression, per-instance.ts), or cannot be written.
import type { Node, Tree } from 'web-tree-sitter';
import type { PathStep } from '../terraform/types.js';
import { insertAttribute, replaceExpression } from './edit-ops.js';
import { evaluateLiteral } from './hcl-literal.js';
import type { BlockReach } from './instance-scope.js';
import { blockTextKey, instancesPhrase, isUniform, reachOf } from './instance-scope.js';
import type { InstanceKey, KeyKind } from './per-instance.js';
import { branchFor, perInstanceValueProblem, renderPerInstance, sameKey } from './per-instance.js';
import { pathClaim } from './plan-attribute.js';
import type { Resolution } from './resolve-path.js';
import { resolvePath } from './resolve-path.js';
import { findResourceBlock } from './hcl-syntax.js';
import type { Claim } from './verify.js';
import type { ChangeResult, TargetContext } from './target-context.js';
import { blockAddress, site } from './target-context.js';
import { describeValue, sameWritten } from './values.js';
import type { WorkingFile } from './workspace.js';

export type EditScope =
  /** The place may change: `note` says who else it reaches ('' for no one). */
  | { kind: 'shared'; note: string }
  | { kind: 'per-instance'; reach: BlockReach; keyKind: KeyKind; key: InstanceKey }
  | { kind: 'explain'; note: string };

/**
 * What an edit of a place in the block may do. `ownEntry`: the place belongs to this instance
 * alone (its for_each entry). `identity`: the change, as instance-scope.ts records it.
 */
export function editScope(ctx: TargetContext, resource: Node, file: WorkingFile, identity: string, ownEntry: boolean, label: string): EditScope {
  if (ownEntry) return { kind: 'shared', note: '' };
  const reach = reachOf(ctx, resource);
  if (reach.others === 0) return { kind: 'shared', note: '' };
  if (isUniform(ctx, reach, identity)) {
    const where = reach.moduleShare === null ? '' : `, in every module instance that uses ${file.path}`;
    return { kind: 'shared', note: ` Every one of the ${reach.instances?.length ?? 'several'} instances of ${blockAddress(ctx)}${where} drifted the same way, so the value they share changes for all of them.` };
  }
  const key = ctx.instanceKey;
  const drifted = driftedCount(ctx, identity);
  const scale = reach.instances === null ? 'several instances' : `${reach.instances.length} instances`;
  const only = drifted === null ? '' : `, and only ${drifted} of them drifted this way`;
  if (reach.moduleShare !== null) {
    return {
      kind: 'explain',
      note: `${label}: the block at ${site(file, resource)} declares ${scale} — ${reach.moduleShare}${only}. An expression inside the module cannot tell its instances apart, so an edit there would change the others too: change it for ${drifted === 1 ? 'the drifted instance' : 'the drifted instances'} by hand, for example through a module input.`,
    };
  }
  if (reach.keyKind === null || key === null) {
    return {
      kind: 'explain',
      note: `${label}: the block at ${site(file, resource)} writes one value for the ${scale} of ${blockAddress(ctx)}${only}; an edit there would change the others too, so change it by hand.`,
    };
  }
  return { kind: 'per-instance', reach, keyKind: reach.keyKind, key };
}

/** "the other 19 instances of aws_db_instance.db keep", for notes. */
function othersKeep(ctx: TargetContext, reach: BlockReach): string {
  if (reach.others === 1) return `the other instance of ${blockAddress(ctx)} keeps`;
  return `the other ${reach.others === null ? '' : `${reach.others} `}instances of ${blockAddress(ctx)} keep`;
}

function driftedCount(ctx: TargetContext, identity: string): number | null {
  const key = blockTextKey(ctx.target);
  return key === null ? null : (ctx.run.drifted.get(key)?.get(identity)?.size ?? null);
}

/** Rewrites a literal (or a per-instance expression) so that this instance reads `intended` and
 * every other instance keeps what it reads now. */
export function writePerInstanceLiteral(
  ctx: TargetContext,
  file: WorkingFile,
  steps: PathStep[],
  label: string,
  resolution: Extract<Resolution, { kind: 'literal' }>,
  intended: unknown,
  scope: Extract<EditScope, { kind: 'per-instance' }>,
  policy: boolean,
): ChangeResult {
  const where = site(file, resolution.node);
  const cannot = (why: string): ChangeResult => ({
    status: 'explain',
    note: `${label}: the block writes one value for every instance of ${instancesPhrase(ctx, scope.reach)} at ${where}, and ${why}; change it for ${ctx.target.address ?? 'this instance'} by hand.`,
  });
  if (policy || resolution.form !== 'plain') return cannot(`a ${policy ? 'policy document' : resolution.form} value cannot be written per instance`);
  if ((intended === null || intended === undefined) && resolution.owner.type === 'object_elem') return cannot('a map entry cannot be left out for one instance only');
  const current = currentValues(resolution);
  if (current === null) return cannot('another instance reads a value that is not a literal');
  const values = new Map(current.entries);
  values.set(String(scope.key), { key: scope.key, value: intended ?? null });
  for (const [id, entry] of values) if (sameWritten(entry.value, current.fallback, false)) values.delete(id);
  const problem = perInstanceValueProblem([...[...values.values()].map((entry) => entry.value), current.fallback]);
  if (problem) return cannot(problem);
  const rendered = renderPerInstance(scope.keyKind, values, current.fallback);
  if ('problem' in rendered) return cannot(rendered.problem);
  const expression = resolution.perInstance?.expression ?? resolution.node;
  replaceExpression(ctx.ws, file, expression, rendered.text);
  claimPerInstance(ctx, file.path, steps, label, scope, intended, namedValues(resolution, current), current.fallback);
  const reference = scope.keyKind === 'count' ? 'count.index' : 'each.key';
  const kept = current.entries.size > 0 ? 'what they read before' : describeValue(current.fallback);
  const what =
    ctx.direction === 'restore'
      ? `unset for this instance, so apply would not put it back: pinned to the declared ${describeValue(intended)}`
      : `${describeValue(resolution.value)} → ${describeValue(intended)}`;
  return {
    status: 'edit',
    note: `${label}: ${what} for ${ctx.target.address ?? 'this instance'} only, written as a choice on ${reference} (${where}): ${othersKeep(ctx, scope.reach)} ${kept}.`,
  };
}

/** Adds an attribute that this instance alone sets (`name = count.index == 3 ? v : null`: null
 * is what the others had, an argument left unset). */
export function writePerInstanceAbsent(
  ctx: TargetContext,
  file: WorkingFile,
  steps: PathStep[],
  label: string,
  resolution: Extract<Resolution, { kind: 'absent' }>,
  intended: unknown,
  scope: Extract<EditScope, { kind: 'per-instance' }>,
  policy: boolean,
): ChangeResult {
  const container = resolution.container.kind === 'block' ? resolution.container.block : resolution.container.object;
  const where = site(file, container);
  const cannot = (why: string): ChangeResult => ({
    status: 'explain',
    note: `${label} is not written in the block (${where}), which declares every instance of ${instancesPhrase(ctx, scope.reach)}; ${why}, so it cannot be set for ${ctx.target.address ?? 'this instance'} alone there: set it by hand.`,
  });
  const [name] = resolution.steps;
  if (resolution.container.kind !== 'block' || resolution.steps.length !== 1 || typeof name !== 'string') {
    return cannot(resolution.container.kind === 'object' ? 'a map entry cannot be present for one instance only' : 'a nested block for one instance only needs a dynamic block');
  }
  if (policy) return cannot('a policy document cannot be written per instance');
  const problem = perInstanceValueProblem([intended]);
  if (problem) return cannot(problem);
  const rendered = renderPerInstance(scope.keyKind, new Map([[String(scope.key), { key: scope.key, value: intended }]]), null);
  if ('problem' in rendered) return cannot(rendered.problem);
  const failure = insertAttribute(ctx.ws, file, resolution.container.block, name, rendered.text);
  if (failure) return { status: 'explain', note: `${label}: ${failure} (${where}).` };
  claimPerInstance(ctx, file.path, steps, label, scope, intended, [], null);
  const reference = scope.keyKind === 'count' ? 'count.index' : 'each.key';
  const restore = ctx.direction === 'restore';
  const what = restore ? `pinned to the declared ${describeValue(intended)}` : `added with the live ${describeValue(intended)}`;
  return {
    status: 'edit',
    note: `${label} is not written in the block (a default or computed value)${restore ? ', so apply would not put it back' : ''}: ${what} for ${ctx.target.address ?? 'this instance'} only, written as a choice on ${reference} (${where}): ${othersKeep(ctx, scope.reach)} it unset, as before.`,
  };
}

interface CurrentValues {
  entries: Map<string, { key: InstanceKey; value: unknown }>;
  fallback: unknown;
}

/** The values the instances read now: the per-instance entries and what every other one reads. */
function currentValues(resolution: Extract<Resolution, { kind: 'literal' }>): CurrentValues | null {
  const form = resolution.perInstance?.form;
  if (!form) return { entries: new Map(), fallback: resolution.value };
  const fallback = evaluateLiteral(form.fallback);
  if (!fallback.literal) return null;
  const entries = new Map<string, { key: InstanceKey; value: unknown }>();
  for (const entry of form.entries) {
    if (entries.has(String(entry.key))) continue;
    const value = evaluateLiteral(entry.node);
    if (!value.literal) return null;
    entries.set(String(entry.key), { key: entry.key, value: value.value });
  }
  return { entries, fallback: fallback.value };
}

/** What each named instance reads now: the text and its value (the first entry for a key wins,
 * as HCL reads the forms). */
function namedValues(resolution: Extract<Resolution, { kind: 'literal' }>, current: CurrentValues): { key: InstanceKey; text: string; value: unknown }[] {
  const form = resolution.perInstance?.form;
  if (!form) return [];
  return form.entries.map((entry) => ({ key: entry.key, text: branchFor(form, entry.key).text, value: current.entries.get(String(entry.key))?.value }));
}

/** Claims, checked after the edit: this instance reads `intended` (read back by hcl2-parser);
 * every instance the expression named before still reads the very text it read; and an
 * instance it names nowhere, which stands for every other (they all read the one value no entry
 * names), reads what it read before (hcl2-parser). */
function claimPerInstance(
  ctx: TargetContext,
  file: string,
  steps: PathStep[],
  label: string,
  scope: Extract<EditScope, { kind: 'per-instance' }>,
  intended: unknown,
  named: readonly { key: InstanceKey; text: string; value: unknown }[],
  unnamed: unknown,
): void {
  ctx.claims.push(pathClaim(ctx, file, steps, intended ?? null, false, label, scope.key));
  const keys: InstanceKey[] = [scope.key];
  for (const entry of named) {
    if (keys.some((known) => sameKey(known, entry.key))) continue;
    keys.push(entry.key);
    ctx.claims.push(sameValueClaim(ctx, file, steps, `${label} of the instance with key ${JSON.stringify(entry.key)}`, entry.key, entry));
  }
  const other = unusedKey(scope.keyKind, [...keys, ...(scope.reach.keys ?? [])]);
  ctx.claims.push(pathClaim(ctx, file, steps, unnamed ?? null, false, `${label} of the instances no entry names`, other));
}

/** A claim that the instance with `key` reads `value` at `steps` after the edit: at once when it
 * reads the very text it read before, else through hcl2-parser (the value written anew). */
function sameValueClaim(ctx: TargetContext, file: string, steps: readonly PathStep[], what: string, key: InstanceKey, before: { text: string; value: unknown }): Claim {
  const block = ctx.target.block;
  return {
    file,
    what,
    expected: before.value,
    policy: false,
    probe(tree: Tree) {
      const node = block ? findResourceBlock(tree, block.type, block.name) : null;
      const resolution = node ? resolvePath(node, steps, key) : null;
      if (resolution?.kind !== 'literal') return { failure: `${what} is not a literal after the edit` };
      return resolution.node.text === before.text ? 'held' : { expression: resolution.node, path: [] };
    },
  };
}

function unusedKey(kind: KeyKind, keys: readonly InstanceKey[]): InstanceKey {
  if (kind === 'count') return Math.max(-1, ...keys.map((key) => (typeof key === 'number' ? key : -1))) + 1;
  let key = 'driftwatch-other-instance';
  while (keys.includes(key)) key = `${key}-`;
  return key;
}
