// The instances the patch engine is told about: every instance the state holds of a drift's block
// text, across count, for_each and module instances, so it knows whom an edit of that text reaches.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instancesOfBlocks } from '../../src/scan/patch-targets.js';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { loadModuleFiles } from '../../src/terraform/load-module.js';
import { locateResource } from '../../src/terraform/locate-resource.js';
import { parseState } from '../../src/terraform/state.js';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/real-provider/count-foreach-modules');

describe('instancesOfBlocks', () => {
  it('lists every instance of a block text: count inside a module called with for_each, for_each in the root', async () => {
    const model = buildHclModel(await loadModuleFiles(FIXTURE), await loadTerraformParser());
    const state = parseState(readFileSync(path.join(FIXTURE, 'terraform.tfstate'), 'utf8'), 'terraform.tfstate');
    const blocks = ['module.app["ledger"].aws_instance.this[1]', 'aws_s3_bucket.shared["granary-staging-exports"]', 'aws_instance.not_written'].map((address) =>
      locateResource(model, address),
    );
    const [app, buckets, none] = instancesOfBlocks(state, model, blocks);
    expect([...(app ?? [])].sort()).toEqual([
      'module.app["courier"].aws_instance.this[0]',
      'module.app["courier"].aws_instance.this[1]',
      'module.app["ledger"].aws_instance.this[0]',
      'module.app["ledger"].aws_instance.this[1]',
    ]);
    expect([...(buckets ?? [])].sort()).toEqual(['aws_s3_bucket.shared["granary-staging-audit-logs"]', 'aws_s3_bucket.shared["granary-staging-exports"]']);
    expect(none).toBeNull();
  });
});
