// Where the block behind a state address is written: instance keys are dropped, because every
// instance of `module.app["x"].aws_instance.this[1]` comes from the one block in module "app".
import { isDriftwatchError } from '../errors.js';
import { parseAddress, type ResourceAddress } from './address.js';
import type { HclModel, HclResourceBlock } from './types.js';

/** The resource or data block of an address, or null when the configuration has none (or the address is invalid). */
export function locateResource(model: HclModel, address: string): HclResourceBlock | null {
  let parts: ResourceAddress;
  try {
    parts = parseAddress(address);
  } catch (error) {
    if (isDriftwatchError(error)) return null;
    throw error;
  }
  const modulePath = parts.modules.map((step) => step.name);
  return (
    model.resources.find(
      (block) =>
        block.mode === parts.mode &&
        block.type === parts.type &&
        block.name === parts.name &&
        block.modulePath.length === modulePath.length &&
        block.modulePath.every((name, i) => name === modulePath[i]),
    ) ?? null
  );
}
