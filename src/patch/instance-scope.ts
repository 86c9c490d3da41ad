// Who else reads a block's text, and so who else an edit of it reaches: the other instances of
// its count or for_each, and the instances of every module instance and module call that uses its
// file. An edit of text they share is right only when every one of them drifted the same way;
// otherwise the edit must name the drifted instances (count.index / each.key, per-instance.ts),
// which only works when the block's own count or for_each is what tells them apart.
import type { Node } from 'web-tree-sitter';
import { formatAddress, parseAddress } from '../terraform/address.js';
import type { ResourceAddress } from '../terraform/address.js';
import { stableStringify } from '../drift/values.js';
import type { PathStep } from '../terraform/types.js';
import { formatPath } from '../drift/path.js';
import { attributeExpression, collectionOf, findAttribute, functionArguments, functionName, objectElementParts, objectElements, tupleElements, unwrapExpression } from './hcl-syntax.js';
import { evaluateLiteral, objectKey } from './hcl-literal.js';
import type { InstanceKey, KeyKind } from './per-instance.js';
import type { PatchTarget } from './types.js';
import type { TargetContext } from './target-context.js';
import { blockAddress } from './target-context.js';

export interface BlockReach {
  /** Every instance address that reads the block's text, this one included; null when unknown. */
  instances: string[] | null;
  /** How many instances other than this one read it; null when unknown. */
  others: number | null;
  /** What an expression in the block can tell this instance apart by (its count or for_each);
   * null when the block has neither, or when its text also serves module instances. */
  keyKind: KeyKind | null;
  /** When the block's text serves several module instances or calls: which, as a phrase. */
  moduleShare: string | null;
  /** Keys of the instances in this one's module instance (this one included); null when unknown. */
  keys: InstanceKey[] | null;
}

/** Where the drifts of one run fall, by block text and change: what makes an edit uniform. */
export type DriftedChanges = Map<string, Map<string, Set<string>>>;

export function blockTextKey(target: PatchTarget): string | null {
  const block = target.block;
  return block ? `${block.file}|${block.type}.${block.name}` : null;
}

/** What identifies "the same drift" of two instances: the path and the value the edit writes. */
export function changeIdentity(steps: readonly PathStep[], intended: unknown): string {
  return `${formatPath([...steps])}|${stableStringify(intended ?? null)}`;
}

/** A block without count or for_each in the root module declares one instance: no other reads it. */
export function mayBeShared(target: PatchTarget): boolean {
  return target.block !== null && (target.block.hasCount || target.block.hasForEach || target.block.modulePath.length > 0 || target.moduleCalls.length > 0);
}

/** Records, for every drift of the run, which instances have each change. */
export function recordDrift(drifted: DriftedChanges, target: PatchTarget, identities: Iterable<string>): void {
  const key = blockTextKey(target);
  if (key === null || target.address === null) return;
  let byChange = drifted.get(key);
  if (!byChange) {
    byChange = new Map();
    drifted.set(key, byChange);
  }
  for (const identity of identities) {
    const set = byChange.get(identity) ?? new Set<string>();
    set.add(target.address);
    byChange.set(identity, set);
  }
}

/** True when every instance that reads the block's text has this very change (so the text they
 * share may change for all of them), or this is the only instance. */
export function isUniform(ctx: TargetContext, reach: BlockReach, identity: string): boolean {
  if (reach.others === 0) return true;
  if (reach.instances === null) return false;
  const key = blockTextKey(ctx.target);
  const having = key === null ? undefined : ctx.run.drifted.get(key)?.get(identity);
  return having !== undefined && reach.instances.every((address) => having.has(address));
}

/** The reach of the block's text, from the state's instances when the target has them, else from
 * the configuration (a literal count or for_each, the module calls on the way). */
export function reachOf(ctx: TargetContext, resource: Node): BlockReach {
  if (ctx.reach) return ctx.reach;
  const { target } = ctx;
  const block = target.block;
  if (!mayBeShared(target)) {
    ctx.reach = { instances: target.address === null ? null : [target.address], others: 0, keyKind: null, moduleShare: null, keys: [] };
    return ctx.reach;
  }
  const own = parsed(target.address);
  const structural = structuralModuleShare(ctx);
  // A list that lacks this very instance was not read from the state it came from: not known.
  let instances = target.instances !== null && target.address !== null && target.instances.includes(target.address) ? target.instances : null;
  let moduleShare: string | null = null;
  if (instances !== null && own) {
    const prefix = modulePrefix(own);
    const elsewhere = parsedAll(instances).filter((other) => other.prefix !== prefix);
    if (elsewhere.length > 0) moduleShare = structural ?? `the text also declares ${elsewhere.length} instance(s) in other module instances`;
  } else {
    moduleShare = structural;
    instances = moduleShare === null && own ? literalInstances(resource, own, block?.hasCount === true || block?.hasForEach === true) : null;
  }
  const others = instances === null ? null : instances.filter((address) => address !== target.address).length;
  const repeated = block?.hasCount === true ? 'count' : block?.hasForEach === true ? 'each' : null;
  const keyKind = moduleShare === null && repeated !== null && ctx.instanceKey !== null && (typeof ctx.instanceKey === 'number') === (repeated === 'count') ? repeated : null;
  const ownPrefix = own ? modulePrefix(own) : null;
  const keys = instances === null || ownPrefix === null ? null : parsedAll(instances).flatMap((other) => (other.prefix === ownPrefix && other.index !== null ? [other.index] : []));
  ctx.reach = { instances, others, keyKind, moduleShare, keys };
  return ctx.reach;
}

function parsed(address: string | null): ResourceAddress | null {
  if (address === null) return null;
  try {
    return parseAddress(address);
  } catch {
    return null;
  }
}

/** Every drift of one block shares its instance list: parsed once. */
const parsedLists = new WeakMap<readonly string[], { prefix: string; index: InstanceKey | null }[]>();

function parsedAll(addresses: readonly string[]): { prefix: string; index: InstanceKey | null }[] {
  let list = parsedLists.get(addresses);
  if (!list) {
    list = addresses.flatMap((address) => {
      const other = parsed(address);
      return other ? [{ prefix: modulePrefix(other), index: other.index }] : [];
    });
    parsedLists.set(addresses, list);
  }
  return list;
}

function modulePrefix(address: ResourceAddress): string {
  return formatAddress({ ...address, type: '', name: '', index: null });
}

/** Module calls on the way to the block that make its text serve several module instances. */
function structuralModuleShare(ctx: TargetContext): string | null {
  for (const call of ctx.target.moduleCalls) {
    if (call.hasCount || call.hasForEach) return `module "${call.name}" has ${call.hasCount ? 'count' : 'for_each'} (${call.file}:${call.startLine})`;
    const callers = ctx.model.modules.filter((other) => other.local && other.dir === call.dir);
    if (callers.length > 1) return `${call.dir ?? 'the module'} is called by ${callers.length} module blocks (${callers.map((other) => `"${other.name}"`).join(', ')})`;
  }
  return null;
}

/** The instances a literal count or for_each makes (`count = 3`, a map or `toset([...])`); the
 * one instance of a block with neither; null when the count or keys are not literal. */
function literalInstances(resource: Node, own: ResourceAddress, repeated: boolean): string[] | null {
  if (!repeated) return [formatAddress(own)];
  const count = findAttribute(resource, 'count');
  const countExpression = count ? attributeExpression(count) : null;
  if (countExpression) {
    const value = evaluateLiteral(countExpression);
    if (!value.literal || typeof value.value !== 'number' || !Number.isInteger(value.value) || value.value < 0) return null;
    return Array.from({ length: value.value }, (_, index) => formatAddress({ ...own, index }));
  }
  const forEach = findAttribute(resource, 'for_each');
  const expression = forEach ? attributeExpression(forEach) : null;
  const keys = expression ? literalKeys(expression) : null;
  return keys === null ? null : keys.map((index) => formatAddress({ ...own, index }));
}

function literalKeys(expression: Node): string[] | null {
  const collection = collectionOf(expression);
  if (collection?.type === 'object') {
    const keys: string[] = [];
    for (const elem of objectElements(collection)) {
      const parts = objectElementParts(elem);
      const key = parts ? objectKey(parts.key) : null;
      if (key === null) return null;
      keys.push(key);
    }
    return keys;
  }
  const inner = unwrapExpression(expression);
  if (inner.type !== 'function_call' || functionName(inner) !== 'toset') return null;
  const [list] = functionArguments(inner);
  const tuple = list ? collectionOf(list) : null;
  if (tuple?.type !== 'tuple') return null;
  const keys: string[] = [];
  for (const element of tupleElements(tuple)) {
    const value = evaluateLiteral(element);
    if (!value.literal || typeof value.value !== 'string') return null;
    keys.push(value.value);
  }
  return [...new Set(keys)];
}

/** "aws_db_instance.db (20 instances)", for notes. */
export function instancesPhrase(ctx: TargetContext, reach: BlockReach): string {
  const count = reach.instances === null ? 'its instances' : `${reach.instances.length} instances`;
  return `${blockAddress(ctx)} (${count})`;
}
