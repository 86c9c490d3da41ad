// The regions a root module's aws providers point at: where to look for live resources. A region
// that is not known statically (an expression, an unset variable) falls back to the one given.
import type { HclModel } from './types.js';

export interface ProviderRegions {
  /** Region of the default (unaliased) root provider. */
  defaultRegion: string;
  regionByAlias: Record<string, string>;
  /** Every distinct region, the default and the aliases', sorted. */
  regions: string[];
}

export function providerRegions(model: HclModel, fallbackRegion: string): ProviderRegions {
  const root = model.providers.filter((provider) => provider.modulePath.length === 0);
  const defaultProvider = root.find((provider) => provider.alias === null);
  const defaultRegion = defaultProvider?.region ?? fallbackRegion;
  const regionByAlias: Record<string, string> = {};
  for (const provider of root) {
    if (provider.alias !== null) regionByAlias[provider.alias] ??= provider.region ?? fallbackRegion;
  }
  const regions = [...new Set([defaultRegion, ...Object.values(regionByAlias)])].sort();
  return { defaultRegion, regionByAlias, regions };
}
