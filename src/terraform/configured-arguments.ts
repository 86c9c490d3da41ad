// Which arguments a resource's configuration block writes. Some provider attributes are Optional
// and Computed (aws_security_group's `ingress` and `egress`): when the block leaves one out,
// Terraform fills it from AWS on every refresh and never plans a change to it, so whether the
// block writes it decides whether a difference there is drift of that resource at all.
import { isDriftwatchError } from '../errors.js';
import { parseAddress } from './address.js';
import type { HclModel, HclResourceBlock } from './types.js';

/** A lookup from a state address to the names its block writes (null: the block is unreadable). */
export function configuredArguments(model: HclModel): (address: string) => ReadonlySet<string> | null {
  // A file with an error lost its blocks, or some of their values: its blocks cannot tell.
  const damaged = new Set(model.errors.map((error) => error.file));
  const blocks = new Map<string, HclResourceBlock>();
  for (const block of model.resources) {
    if (block.mode === 'managed') blocks.set(blockKey(block.modulePath, block.type, block.name), block);
  }
  const names = new Map<HclResourceBlock, ReadonlySet<string>>();
  return (address) => {
    let block: HclResourceBlock | undefined;
    try {
      const parts = parseAddress(address);
      block = blocks.get(blockKey(parts.modules.map((step) => step.name), parts.type, parts.name));
    } catch (error) {
      if (isDriftwatchError(error)) return null;
      throw error;
    }
    if (!block || damaged.has(block.file)) return null;
    let written = names.get(block);
    if (!written) {
      written = writtenNames(block.body);
      names.set(block, written);
    }
    return written;
  };
}

function blockKey(modulePath: readonly string[], type: string, name: string): string {
  return JSON.stringify([...modulePath, type, name]);
}

/** Argument and block names of a body; `dynamic "ingress"` writes `ingress`. */
function writtenNames(body: Record<string, unknown>): Set<string> {
  const written = new Set(Object.keys(body));
  written.delete('dynamic');
  // hcl2-parser gives dynamic blocks as { dynamic: { <name>: [...] } } (JSON syntax may give an
  // object, or a list of such objects).
  const dynamic = body.dynamic;
  for (const entry of Array.isArray(dynamic) ? dynamic : [dynamic]) {
    if (entry !== null && typeof entry === 'object') for (const name of Object.keys(entry)) written.add(name);
  }
  return written;
}
