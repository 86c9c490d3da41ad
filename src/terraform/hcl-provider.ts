// `provider "aws"` blocks: the region, default tags and role each configuration uses. Regions
// written as `var.x` are resolved through the variables known for the module.
import type { HclTopBlock } from './hcl-file.js';
import { firstBlock, isLiteral, resolveString } from './hcl-literals.js';
import type { HclAssumeRole, HclProvider } from './types.js';

export function readProvider(
  block: HclTopBlock,
  file: string,
  modulePath: string[],
  scope: Record<string, unknown>,
): HclProvider {
  const body = block.body;
  return {
    file,
    startLine: block.startLine,
    endLine: block.endLine,
    alias: resolveString(body.alias, {}),
    region: resolveString(body.region, scope),
    defaultTags: readDefaultTags(firstBlock(body.default_tags)?.tags),
    assumeRole: readAssumeRole(firstBlock(body.assume_role), scope),
    modulePath,
  };
}

function readDefaultTags(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) return out;
  for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
    if (typeof value === 'string' && isLiteral(value)) out[key] = value;
  }
  return out;
}

function readAssumeRole(block: Record<string, unknown> | null, scope: Record<string, unknown>): HclAssumeRole | null {
  if (!block) return null;
  return {
    roleArn: resolveString(block.role_arn, scope),
    externalId: resolveString(block.external_id, scope),
    sessionName: resolveString(block.session_name, scope),
  };
}
