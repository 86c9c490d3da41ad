import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { loadModuleFiles } from '../../src/terraform/load-module.js';
import { locateResource } from '../../src/terraform/locate-resource.js';
import { parseState } from '../../src/terraform/state.js';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';
import type { HclModel } from '../../src/terraform/types.js';

async function modelOf(relative: string): Promise<HclModel> {
  const files = await loadModuleFiles(fileURLToPath(new URL(relative, import.meta.url)));
  return buildHclModel(files, await loadTerraformParser());
}

describe('locateResource in nested local modules', () => {
  let model: HclModel;
  beforeAll(async () => {
    model = await modelOf('./fixtures/hcl/modules-tree/root');
  });

  it.each([
    ['module.network["eu.west-1"].aws_vpc.this', 'modules/network/main.tf', 1, ['network']],
    ['module.network["us.east-1"].data.aws_availability_zones.available', 'modules/network/main.tf', 9, ['network']],
    ['module.network["eu.west-1"].module.subnets[0].aws_subnet.this[1]', 'modules/subnets/main.tf', 5, ['network', 'subnets']],
    ['module.network_dr.module.subnets[0].aws_subnet.this[0]', 'modules/subnets/main.tf', 5, ['network_dr', 'subnets']],
    ['module.shared_bucket[0].aws_s3_bucket.this', '../shared/bucket/main.tf', 5, ['shared_bucket']],
  ])('%s → %s:%i', (address, file, startLine, modulePath) => {
    expect(locateResource(model, address)).toMatchObject({ file, startLine, modulePath });
  });

  it.each([
    ['module.vpc_registry.aws_vpc.this', 'a remote module is not read'],
    ['aws_vpc.this', 'the root has no such block'],
    ['module.network.aws_subnet.this[0]', 'the block is one module deeper'],
    ['module.network["eu.west-1"].aws_availability_zones.available', 'it is a data block, not a managed one'],
    ['module.unused.aws_sns_topic.never_called', 'the module is never called'],
    ['not an address', 'the address is invalid'],
  ])('%s → null (%s)', (address) => {
    expect(locateResource(model, address)).toBeNull();
  });
});

describe('locateResource for every instance of a real state', () => {
  it('finds the block of each of the 24 instances of count-foreach-modules', async () => {
    const base = '../fixtures/real-provider/count-foreach-modules';
    const model = await modelOf(base);
    const state = parseState(readFileSync(new URL(`${base}/terraform.tfstate`, import.meta.url), 'utf8'), 'state');
    const located = state.resources.map((resource) => {
      const found = locateResource(model, resource.address);
      return found && `${resource.address} → ${found.file}:${found.startLine}`;
    });
    expect(located).not.toContain(null);
    expect(located).toContain('module.app["courier"].aws_instance.this[1] → modules/app/main.tf:57');
    expect(located).toContain('aws_s3_bucket_policy.shared["granary-staging-exports"] → s3.tf:48');
  });
});
