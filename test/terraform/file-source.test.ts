import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DriftwatchError } from '../../src/errors.js';
import { readWorkspaceState } from '../../src/scan/read-state.js';
import { readLocalState } from '../../src/terraform/backend-file.js';
import type { FileSource } from '../../src/terraform/file-source.js';
import { filesOnDisk, repositorySource } from '../repository/memory-source.js';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { loadModuleFiles } from '../../src/terraform/load-module.js';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';

const HCL = fileURLToPath(new URL('./fixtures/hcl/', import.meta.url));


describe('a repository as the file source', () => {
  it('reads the same module tree as the disk, with ../ modules resolved inside the repository', async () => {
    const tree = await filesOnDisk(posix.join(HCL, 'modules-tree'), 'infra');
    const source = repositorySource(tree);

    const fromRepository = await loadModuleFiles('infra/root', source);
    const fromDisk = await loadModuleFiles(posix.join(HCL, 'modules-tree/root'));

    expect(fromRepository).toEqual(fromDisk);
    expect(fromRepository.map((file) => file.path)).toContain('../shared/bucket/main.tf');
    const model = buildHclModel(fromRepository, await loadTerraformParser());
    expect(model.resources.length).toBeGreaterThan(0);
  });

  it('names the repository and the config key when the root module is missing', async () => {
    const error = await loadModuleFiles('infra/prod', repositorySource({ 'README.md': '# infra' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DriftwatchError);
    expect((error as Error).message).toBe(
      "infra/prod is not a directory in acme/infra at 1a2b3c4, so there is no Terraform configuration to read. Point the workspace's dir at the root module (the directory where you run `terraform plan`).",
    );
  });

  it('never reads outside the repository root', async () => {
    const source = repositorySource({ 'main.tf': 'module "x" {\n  source = "../../elsewhere"\n}\n' });
    const files = await loadModuleFiles('', source);
    expect(files.map((file) => file.path)).toEqual(['main.tf']);
    expect(source.reads).toEqual(['main.tf']);
  });

  it('reads a state committed to the repository from the same tree, relative to the repository root', async () => {
    const state = '{"version": 4, "serial": 3, "lineage": "l", "terraform_version": "1.11.4", "resources": []}';
    const source = repositorySource({ 'infra/prod/main.tf': 'resource "aws_s3_bucket" "b" {}\n', 'states/prod.tfstate': state });
    const files = await loadModuleFiles('infra/prod', source);
    const model = buildHclModel(files, await loadTerraformParser());

    const read = await readWorkspaceState({ dir: 'infra/prod', model, state: 'states/prod.tfstate', files: source, terraformWorkspace: 'default', defaultRegion: 'us-east-1', s3: () => () => { throw new Error('no S3 here'); } });

    expect(read).toEqual({ text: state, source: 'states/prod.tfstate in acme/infra at 1a2b3c4', bucket: null });
  });

  it('says which repository path to fix when a committed state is missing', async () => {
    const error = await readLocalState('states/prod.tfstate', repositorySource({})).catch((caught: unknown) => caught);
    expect((error as DriftwatchError).code).toBe('backend');
    expect((error as Error).message).toBe(
      "no state file at states/prod.tfstate in acme/infra at 1a2b3c4: fix the workspace's state: path in .github/driftwatch.yml, or configure an s3 backend in the root module",
    );
  });

  it('never takes a file that failed to read for an absent one', async () => {
    const source: FileSource = {
      origin: 'repository',
      label: 'acme/infra at 1a2b3c4',
      list: async () => [{ name: 'main.tf', kind: 'file' }],
      read: async () => {
        throw Object.assign(new Error('blob fetch failed'), { code: 'EIO' });
      },
    };
    const error = await loadModuleFiles('', source).catch((caught: unknown) => caught);
    expect((error as DriftwatchError).code).toBe('hcl');
    expect((error as Error).message).toContain('Cannot read main.tf (EIO)');
  });
});
