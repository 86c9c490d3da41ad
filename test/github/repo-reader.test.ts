import { readdir, readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRepoReader } from '../../src/github/repo-reader.js';
import { treeFileSource } from '../../src/github/tree-file-source.js';
import { readWorkspaceState } from '../../src/scan/read-state.js';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { loadModuleFiles } from '../../src/terraform/load-module.js';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';
import { client, gitFixture, serveGitData, type FixtureFile } from './git-data.js';

const HCL = fileURLToPath(new URL('../terraform/fixtures/hcl/', import.meta.url));
const REPO = { owner: 'acme', name: 'infra' };

async function filesUnder(dir: string, prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const absolute = posix.join(entry.parentPath, entry.name);
    out[posix.join(prefix, posix.relative(dir, absolute))] = await readFile(absolute, 'utf8');
  }
  return out;
}

const PROD_MAIN = `terraform {
  backend "s3" {
    bucket = "acme-tfstate"
    key    = "prod/terraform.tfstate"
    region = "us-east-1"
  }
}

provider "aws" {
  region = "us-east-1"
}

module "network" {
  source = "../modules/network"
  cidr   = "10.0.0.0/16"
}
`;

const NETWORK_MAIN = `variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
`;

function infra(extra: Record<string, FixtureFile> = {}): Record<string, FixtureFile> {
  return {
    'README.md': '# infra\n',
    'infra/prod/main.tf': PROD_MAIN,
    'infra/prod/outputs.tf': 'output "vpc_id" {\n  value = module.network.vpc_id\n}\n',
    'infra/staging/main.tf': PROD_MAIN.replace('prod/', 'staging/'),
    'infra/modules/network/main.tf': NETWORK_MAIN,
    'infra/modules/network/outputs.tf': 'output "vpc_id" {\n  value = aws_vpc.this.id\n}\n',
    'docs/diagram.png': 'not really a png',
    ...extra,
  };
}

describe('reading a repository through the Git Data API', () => {
  it('reads a root module and its local modules with one tree call and one call per blob it needs', async () => {
    const commit = gitFixture(infra());
    const calls = serveGitData('acme', 'infra', [commit]);
    const reader = createRepoReader();

    const tree = await reader.readTree(client(), REPO, commit.commitSha);
    const files = await loadModuleFiles('infra/prod', treeFileSource(tree));

    expect(files.map((file) => file.path)).toEqual(['main.tf', 'outputs.tf', '../modules/network/main.tf', '../modules/network/outputs.tf']);
    expect(files[0]!.text).toBe(PROD_MAIN);
    expect(calls.recursiveTrees).toEqual([commit.commitSha]);
    expect(calls.commits).toEqual([]);
    expect(calls.trees).toEqual([]);
    expect(calls.blobs.sort()).toEqual(
      ['infra/prod/main.tf', 'infra/prod/outputs.tf', 'infra/modules/network/main.tf', 'infra/modules/network/outputs.tf'].map((path) => commit.blobSha(path)).sort(),
    );
  });

  it('reads the same files as the disk does', async () => {
    const onDisk = await filesUnder(posix.join(HCL, 'modules-tree'), 'infra');
    const commit = gitFixture(onDisk);
    serveGitData('acme', 'infra', [commit]);
    const tree = await createRepoReader().readTree(client(), REPO, commit.commitSha);

    const fromRepository = await loadModuleFiles('infra/root', treeFileSource(tree));

    expect(fromRepository).toEqual(await loadModuleFiles(posix.join(HCL, 'modules-tree/root')));
    expect(buildHclModel(fromRepository, await loadTerraformParser()).resources.length).toBeGreaterThan(0);
  });

  it('resolves a branch with one call answered in the sha media type', async () => {
    const commit = gitFixture(infra());
    const calls = serveGitData('acme', 'infra', [commit], { refs: { main: commit.commitSha } });

    const tree = await createRepoReader().readTree(client(), REPO, 'main');

    expect(tree.commitSha).toBe(commit.commitSha);
    expect(calls.commits).toEqual(['main']);
    expect(calls.recursiveTrees).toEqual([commit.commitSha]);
  });

  it('says which ref could not be resolved', async () => {
    serveGitData('acme', 'infra', [], { refs: {} });
    await expect(createRepoReader().readTree(client(), REPO, 'gone')).rejects.toThrow(/cannot resolve gone in acme\/infra \(GitHub answered 422: No commit found for SHA: gone/);
  });

  it('reads nothing again when the same commit is scanned again, and only the changed blob for a new commit', async () => {
    const first = gitFixture(infra());
    const second = gitFixture(infra({ 'infra/modules/network/main.tf': NETWORK_MAIN.replace('this', 'main') }), 'second');
    const calls = serveGitData('acme', 'infra', [first, second]);
    const reader = createRepoReader();
    const scan = async (sha: string) => {
      const tree = await reader.readTree(client(), REPO, sha);
      await loadModuleFiles('infra/prod', treeFileSource(tree));
      await loadModuleFiles('infra/staging', treeFileSource(tree));
    };

    await scan(first.commitSha);
    const afterFirst = { trees: calls.recursiveTrees.length, blobs: calls.blobs.length };
    await scan(first.commitSha);
    expect({ trees: calls.recursiveTrees.length, blobs: calls.blobs.length }).toEqual(afterFirst);

    await scan(second.commitSha);
    expect(calls.recursiveTrees.length).toBe(afterFirst.trees + 1);
    expect(calls.blobs.slice(afterFirst.blobs)).toEqual([second.blobSha('infra/modules/network/main.tf')]);
    expect(reader.counts()).toMatchObject({ treeCalls: 2, treeCacheHits: 1, blobCalls: 6 });
  });

  it('shares blobs across repositories (same content, same sha) but not trees', async () => {
    const commit = gitFixture(infra());
    const upstream = serveGitData('acme', 'infra', [commit]);
    const fork = serveGitData('acme', 'infra-fork', [commit]);
    const reader = createRepoReader();

    await loadModuleFiles('infra/prod', treeFileSource(await reader.readTree(client(), REPO, commit.commitSha)));
    await loadModuleFiles('infra/prod', treeFileSource(await reader.readTree(client(), { owner: 'acme', name: 'infra-fork' }, commit.commitSha)));

    expect(upstream.blobs).toHaveLength(4);
    expect(fork.blobs).toEqual([]);
    expect(fork.recursiveTrees).toEqual([commit.commitSha]);
  });

  it('evicts the least recently used blobs beyond its size bound', async () => {
    const commit = gitFixture(infra());
    const calls = serveGitData('acme', 'infra', [commit]);
    // Room for about one file: every scan reads them all again.
    const reader = createRepoReader({ blobCacheBytes: PROD_MAIN.length });
    for (let round = 0; round < 2; round++) await loadModuleFiles('infra/prod', treeFileSource(await reader.readTree(client(), REPO, commit.commitSha)));
    expect(calls.blobs.length).toBeGreaterThan(4);
  });

  it('keeps blob reads within its concurrency', async () => {
    const files: Record<string, FixtureFile> = {};
    for (let i = 0; i < 40; i++) files[`stack/r${String(i).padStart(2, '0')}.tf`] = `resource "aws_s3_bucket" "b${i}" {\n  bucket = "acme-${i}"\n}\n`;
    const commit = gitFixture(files);
    const calls = serveGitData('acme', 'infra', [commit], { delayMs: 5 });

    const loaded = await loadModuleFiles('stack', treeFileSource(await createRepoReader({ concurrency: 4 }).readTree(client(), REPO, commit.commitSha)));

    expect(loaded).toHaveLength(40);
    expect(calls.blobs).toHaveLength(40);
    expect(calls.maxConcurrentBlobs).toBe(4);
  });

  it('never takes a blob GitHub fails to give for an absent file', async () => {
    const commit = gitFixture(infra());
    serveGitData('acme', 'infra', [commit], { failBlobs: new Map([[commit.blobSha('infra/prod/outputs.tf'), 502]]) });
    const source = treeFileSource(await createRepoReader().readTree(client(), REPO, commit.commitSha));

    await expect(source.read('infra/prod/outputs.tf')).rejects.toThrow(/cannot read blob [0-9a-f]{7} of acme\/infra \(GitHub answered 502/);
    await expect(loadModuleFiles('infra/prod', source)).rejects.toThrow(/Cannot read outputs\.tf \(cannot read blob/);
  });

  it('walks the subtrees it needs, one call each, when GitHub truncates the recursive tree', async () => {
    const files = infra();
    for (let i = 0; i < 30; i++) files[`apps/app${i}/index.js`] = `module.exports = ${i};\n`;
    const commit = gitFixture(files);
    const calls = serveGitData('acme', 'infra', [commit], { truncateAt: 10 });
    const tree = await createRepoReader().readTree(client(), REPO, commit.commitSha);

    const loaded = await loadModuleFiles('infra/prod', treeFileSource(tree));

    expect(tree.truncated).toBe(true);
    expect(loaded.map((file) => file.path)).toEqual(['main.tf', 'outputs.tf', '../modules/network/main.tf', '../modules/network/outputs.tf']);
    // The root, infra, infra/prod, infra/modules, infra/modules/network: never the 30 app dirs.
    expect(calls.trees).toHaveLength(5);
  });
});

describe('a repository tree as a FileSource', () => {
  async function source(files: Record<string, FixtureFile>) {
    const commit = gitFixture(files);
    serveGitData('acme', 'infra', [commit]);
    return { commit, files: treeFileSource(await createRepoReader().readTree(client(), REPO, commit.commitSha)) };
  }

  it('is labelled with the repository and the short commit', async () => {
    const { commit, files } = await source(infra());
    expect(files.origin).toBe('repository');
    expect(files.label).toBe(`acme/infra at ${commit.commitSha.slice(0, 7)}`);
  });

  it('lists directories and files, and reads a path outside the root as absent', async () => {
    const { files } = await source(infra());
    expect(await files.list('')).toEqual([
      { name: 'README.md', kind: 'file' },
      { name: 'docs', kind: 'dir' },
      { name: 'infra', kind: 'dir' },
    ]);
    expect(await files.list('./infra/prod/')).toEqual([
      { name: 'main.tf', kind: 'file' },
      { name: 'outputs.tf', kind: 'file' },
    ]);
    expect(await files.list('infra/prod/main.tf')).toBeNull();
    expect(await files.list('nowhere')).toBeNull();
    expect(await files.list('..')).toBeNull();
    expect(await files.read('../infra/README.md')).toBeNull();
    expect(await files.read('infra/prod/../../../README.md')).toBeNull();
    expect(await files.read('/README.md')).toBeNull();
    expect(await files.read('infra/prod/../../README.md')).toBe('# infra\n');
    await expect(files.read('infra/prod')).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('follows symbolic links within the repository: a shared file and a modules directory', async () => {
    const { files } = await source({
      'shared/providers.tf': 'provider "aws" {\n  region = "eu-west-1"\n}\n',
      'shared/modules/network/main.tf': NETWORK_MAIN,
      'live/prod/providers.tf': { symlink: '../../shared/providers.tf' },
      'live/prod/modules': { symlink: '../../shared/modules' },
      'live/prod/main.tf': 'module "network" {\n  source = "./modules/network"\n  cidr   = "10.1.0.0/16"\n}\n',
    });

    const loaded = await loadModuleFiles('live/prod', files);

    expect(loaded.map((file) => file.path)).toEqual(['main.tf', 'providers.tf', 'modules/network/main.tf']);
    expect(loaded[1]!.text).toContain('eu-west-1');
    expect(await files.list('live/prod')).toEqual([
      { name: 'main.tf', kind: 'file' },
      { name: 'modules', kind: 'dir' },
      { name: 'providers.tf', kind: 'file' },
    ]);
  });

  it('reads links that leave the repository, dangle or loop, and submodules, as absent', async () => {
    const { files } = await source({
      'prod/main.tf': 'resource "aws_s3_bucket" "b" {}\n',
      'prod/escape.tf': { symlink: '../../outside.tf' },
      'prod/absolute.tf': { symlink: '/etc/passwd' },
      'prod/dangling.tf': { symlink: 'missing.tf' },
      'prod/loop-a.tf': { symlink: 'loop-b.tf' },
      'prod/loop-b.tf': { symlink: 'loop-a.tf' },
      'prod/vendor': { submodule: '0123456789abcdef0123456789abcdef01234567' },
    });

    expect(await files.list('prod')).toEqual([{ name: 'main.tf', kind: 'file' }]);
    for (const name of ['escape.tf', 'absolute.tf', 'dangling.tf', 'loop-a.tf', 'vendor']) expect(await files.read(`prod/${name}`)).toBeNull();
    expect(await files.list('prod/vendor')).toBeNull();
    expect((await loadModuleFiles('prod', files)).map((file) => file.path)).toEqual(['main.tf']);
  });

  it('reads a state committed to the repository at the scanned commit', async () => {
    const state = JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 3, lineage: '5d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6', outputs: {}, resources: [], check_results: null });
    const { commit, files } = await source({ 'prod/main.tf': 'terraform {\n  backend "local" {\n    path = "state/prod.tfstate"\n  }\n}\n', 'prod/state/prod.tfstate': state });
    const model = buildHclModel(await loadModuleFiles('prod', files), await loadTerraformParser());

    const read = await readWorkspaceState({ dir: 'prod', model, files, terraformWorkspace: 'default', defaultRegion: 'us-east-1', s3: () => () => { throw new Error('no S3 here'); } });

    expect(read).toEqual({ text: state, source: `prod/state/prod.tfstate in acme/infra at ${commit.commitSha.slice(0, 7)}`, bucket: null });
  });
});
