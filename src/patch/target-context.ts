// What every planner needs about one drift: the direction, the target, the workspace it edits,
// the claims its edits make, and the resource block's node in the current text.
import type { Node } from 'web-tree-sitter';
import type { PatchDirection, PatchTarget } from './types.js';
import type { HclModel } from '../terraform/types.js';
import type { BlockReach, DriftedChanges } from './instance-scope.js';
import type { Claim } from './verify.js';
import type { WorkingFile, Workspace } from './workspace.js';
import { currentRow, fileAt, originalRow, treeOf } from './workspace.js';
import { findResourceBlockAt } from './hcl-syntax.js';

export interface ChangeResult {
  status: 'edit' | 'none' | 'explain';
  note: string;
  /** The target's remediation command applies to this result. */
  remediation?: boolean;
}

/** Shared by every drift of one run, so generated names never collide. */
export interface RunState {
  /** `<module dir>|<type>.<name>` of every resource written by the configuration or generated. */
  names: Set<string>;
  /** Names handed to each target (by fingerprint), in the order it asked: a patch computed again
   * on top of other drifts' edits gets the same names. */
  handed: Map<string, string[]>;
  /** Lines that hold a secret from the state: no diff shows them. */
  hidden: (line: string) => boolean;
  /** Which instances of each block text have each change (instance-scope.ts). */
  drifted: DriftedChanges;
}

export interface TargetContext {
  direction: PatchDirection;
  target: PatchTarget;
  model: HclModel;
  ws: Workspace;
  claims: Claim[];
  run: RunState;
  /** count index or for_each key of the resource instance. */
  instanceKey: string | number | null;
  /** How many names this target has asked for so far. */
  nameCursor: { index: number };
  /** `type.name` of the resource blocks this target has generated, so the next one goes after them. */
  generated: string[];
  /** Who else reads the block's text (instance-scope.ts reachOf), once computed. */
  reach?: BlockReach;
}

export function resourceFile(ctx: TargetContext): WorkingFile | null {
  const block = ctx.target.block;
  return block ? fileAt(ctx.ws, block.file) : null;
}

/** The resource block in the current text of its file. */
export function resourceNode(ctx: TargetContext): { file: WorkingFile; node: Node } | null {
  const block = ctx.target.block;
  const file = resourceFile(ctx);
  if (!block || !file) return null;
  const row = currentRow(file, block.startLine - 1);
  const node = findResourceBlockAt(treeOf(ctx.ws, file), block.type, block.name, row);
  return node ? { file, node } : null;
}

/** `file:line` of a node, the line counted in the file as it was before this patch's edits (so
 * notes point at the configuration a reviewer has open). */
export function site(file: WorkingFile, node: Node): string {
  return `${file.path}:${originalRow(file, node.startPosition.row) + 1}`;
}

/** `aws_instance.web` (no instance key, no module path): how the block names itself. */
export function blockAddress(ctx: TargetContext): string {
  const block = ctx.target.block;
  return block ? `${block.type}.${block.name}` : ctx.target.type;
}

export function oneLine(text: string, limit = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 3)}...` : flat;
}
