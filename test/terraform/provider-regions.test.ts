import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { loadModuleFiles } from '../../src/terraform/load-module.js';
import { providerRegions } from '../../src/terraform/provider-regions.js';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';
import type { HclModel, HclProvider } from '../../src/terraform/types.js';

function provider(alias: string | null, region: string | null, modulePath: string[] = []): HclProvider {
  return { file: 'providers.tf', startLine: 1, endLine: 3, alias, region, defaultTags: {}, assumeRole: null, modulePath };
}

function model(providers: HclProvider[]): HclModel {
  return { files: [], backend: null, providers, resources: [], modules: [], requiredVersion: null, variables: {}, errors: [] };
}

describe('providerRegions', () => {
  it.each<[string, HclProvider[], ReturnType<typeof providerRegions>]>([
    ['no provider block', [], { defaultRegion: 'us-east-1', regionByAlias: {}, regions: ['us-east-1'] }],
    ['one literal region', [provider(null, 'eu-west-1')], { defaultRegion: 'eu-west-1', regionByAlias: {}, regions: ['eu-west-1'] }],
    ['an unresolved default region', [provider(null, null)], { defaultRegion: 'us-east-1', regionByAlias: {}, regions: ['us-east-1'] }],
    [
      'aliases, one unresolved, one sharing the default region',
      [provider(null, 'eu-west-1'), provider('west', 'us-west-2'), provider('ops', null), provider('home', 'eu-west-1')],
      {
        defaultRegion: 'eu-west-1',
        regionByAlias: { west: 'us-west-2', ops: 'us-east-1', home: 'eu-west-1' },
        regions: ['eu-west-1', 'us-east-1', 'us-west-2'],
      },
    ],
    [
      'providers inside modules are not the root configuration',
      [provider(null, 'eu-west-1'), provider('peer', 'ap-south-1', ['network'])],
      { defaultRegion: 'eu-west-1', regionByAlias: {}, regions: ['eu-west-1'] },
    ],
    [
      'only aliased providers',
      [provider('a', 'sa-east-1')],
      { defaultRegion: 'us-east-1', regionByAlias: { a: 'sa-east-1' }, regions: ['sa-east-1', 'us-east-1'] },
    ],
  ])('%s', (_name, providers, expected) => {
    expect(providerRegions(model(providers), 'us-east-1')).toEqual(expected);
  });

  it('covers the regions of a configuration with variables, tfvars and aliases', async () => {
    const dir = fileURLToPath(new URL('./fixtures/hcl/s3-backend', import.meta.url));
    const hcl = buildHclModel(await loadModuleFiles(dir), await loadTerraformParser());
    expect(providerRegions(hcl, 'us-east-1')).toEqual({
      defaultRegion: 'eu-west-1',
      regionByAlias: { west: 'us-west-2', dr: 'eu-north-1', ops: 'us-east-1', us_east_1: 'us-east-1' },
      regions: ['eu-north-1', 'eu-west-1', 'us-east-1', 'us-west-2'],
    });
  });
});
