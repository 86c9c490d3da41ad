// Tag changes (`tags.<key>`, compared against tags_all): a key may be written in the block's
// tags, come from the provider's default_tags, or be written nowhere.
import type { Node } from 'web-tree-sitter';
import type { Change } from '../drift/types.js';
import type { HclProvider } from '../terraform/types.js';
import { planResolved } from './plan-attribute.js';
import { attributeExpression, findAttribute } from './hcl-syntax.js';
import { resolvePath } from './resolve-path.js';
import type { ChangeResult, TargetContext } from './target-context.js';
import { resourceNode } from './target-context.js';
import { describeValue } from './values.js';

export function planTag(ctx: TargetContext, key: string, change: Change, label: string): ChangeResult {
  const located = resourceNode(ctx);
  if (!located) return { status: 'explain', note: `${label}: the resource block could not be found in its file.` };
  const steps = ['tags', key];
  if (ctx.direction === 'restore' && (change.declared === null || change.declared === undefined)) {
    // The last apply set no such tag from anywhere (tags_all lacks it): the provider removes it.
    return { status: 'none', note: `${label} is not in the configuration: the next apply removes the tag.` };
  }
  const resolution = resolvePath(located.node, steps, ctx.instanceKey);
  if (resolution.kind !== 'absent') return planResolved(ctx, located.file, steps, change, label, resolution);

  const provider = providerFor(ctx, located.node);
  const fromDefaults = provider && key in provider.defaultTags ? provider.defaultTags[key] : undefined;
  const providerSite = provider ? `${provider.file}:${provider.startLine}` : '';
  const restore = ctx.direction === 'restore';
  const intended = restore ? change.declared : change.live;

  if (restore) {
    if (intended === null || intended === undefined) {
      return { status: 'none', note: `${label} is not in the configuration: the next apply removes the tag.` };
    }
    if (fromDefaults !== undefined) {
      if (fromDefaults === intended) {
        return { status: 'none', note: `${label} comes from the provider's default_tags (${providerSite}): the next apply reverts it.` };
      }
      return {
        status: 'explain',
        note: `${label}: the provider's default_tags (${providerSite}) set ${describeValue(fromDefaults)}, not the last-applied ${describeValue(intended)}; the next apply sets ${describeValue(fromDefaults)}.`,
      };
    }
    return planResolved(ctx, located.file, steps, change, label, resolution);
  }

  if (intended === null || intended === undefined) {
    if (fromDefaults !== undefined) {
      return {
        status: 'explain',
        note: `${label} comes from the provider's default_tags (${providerSite}), which every resource of that provider gets; one resource cannot drop it. Remove it from default_tags, or let the next apply add it back.`,
      };
    }
    return { status: 'none', note: `${label} is not written in the configuration and has no live value.` };
  }
  const result = planResolved(ctx, located.file, steps, change, label, resolution);
  if (result.status === 'edit' && fromDefaults !== undefined) {
    return { ...result, note: `${result.note} It overrides the provider's default tag (${providerSite}) for this block only.` };
  }
  return result;
}

/** The root provider configuration the resource uses (its `provider` meta-argument or the default). */
function providerFor(ctx: TargetContext, resource: Node): HclProvider | null {
  const meta = findAttribute(resource, 'provider');
  const expression = meta ? attributeExpression(meta) : null;
  const alias = expression ? (expression.text.split('.')[1] ?? null) : null;
  return ctx.model.providers.find((provider) => provider.modulePath.length === 0 && provider.alias === alias) ?? null;
}
