// What the patch engine produces for each drift, and for all of them together.
import type { Change, DriftKind } from '../drift/types.js';
import type { GeneratedResource } from '../resources/family.js';
import type { HclModuleCall, HclResourceBlock } from '../terraform/types.js';

export type PatchDirection = 'restore' | 'accept';

/**
 * edit: files change (see `files`).
 * none: no edit is needed (apply reverts it, or apply recreates it); `note` says why.
 * explain: no edit is offered: the change cannot be made by editing this configuration (variable,
 *   reference, dynamic block, remote module, a place that other instances share and that cannot
 *   name the drifted ones), or its diff would have to show a secret from the state; `note`
 *   explains what to do.
 * dropped: an edit was computed but the patched file did not re-parse to the intended value;
 *   `note` gives the reason, and nothing is written.
 */
export type PatchStatus = 'edit' | 'none' | 'explain' | 'dropped';

export interface FileEdit {
  /** Path relative to the root module dir. */
  path: string;
  before: string;
  after: string;
  /** Unified diff of before → after (a/ and b/ prefixes). */
  diff: string;
}

export interface DriftPatch {
  fingerprint: string;
  direction: PatchDirection;
  status: PatchStatus;
  note: string;
  files: FileEdit[];
  /** AWS CLI command(s) for what the edit cannot do (unmanaged resources, live-only elements). */
  remediation: string | null;
}

export interface PatchSet {
  direction: PatchDirection;
  patches: DriftPatch[];
  /** Every edit to one file merged: what `driftwatch scan --patch` prints and a fix PR commits. */
  files: FileEdit[];
}

/** One drift as the patch engine sees it. The caller resolves where its block is written. */
export interface PatchTarget {
  fingerprint: string;
  kind: DriftKind;
  address: string | null;
  type: string;
  id: string;
  changes: Change[];
  /** The block that declares `address`; null for unmanaged resources, for resources inside a
   * remote module, and when no block declares it (the configuration no longer has it). */
  block: HclResourceBlock | null;
  /** Module calls from the root to the block's module, outermost first (instance keys of the
   * address are in `address`). A call with `local: false` means the block is in a remote module. */
  moduleCalls: HclModuleCall[];
  /** Addresses of every instance the state holds of the block's text (this one included): the
   * other instances of its count or for_each, and those of every module instance and module call
   * that uses the block's file. An edit of the block's text reaches all of them. null when not
   * known (no block, or no state at hand). */
  instances: string[] | null;
  /** For unmanaged resources: the block and import id that codify the live object. */
  generated: GeneratedResource | null;
  /** AWS CLI command(s) the family gives for what Terraform would not undo by itself. */
  remediation: string | null;
}
