import { describe, expect, it } from 'vitest';
import { createRepoReader } from '../../src/github/repo-reader.js';
import { treeFileSource } from '../../src/github/tree-file-source.js';
import { discoverWorkspaces } from '../../src/repository/discover-workspaces.js';
import { client, gitFixture, serveGitData, type FixtureFile } from '../github/git-data.js';

async function discover(files: Record<string, FixtureFile>, name = 'infra') {
  const commit = gitFixture(files);
  const calls = serveGitData('acme', name, [commit]);
  const tree = await createRepoReader().readTree(client(), { owner: 'acme', name }, commit.commitSha);
  return { discovery: await discoverWorkspaces(treeFileSource(tree), name), calls, commit };
}

const S3_BACKEND = (key: string) => `terraform {
  required_version = ">= 1.6"

  backend "s3" {
    bucket       = "acme-tfstate"
    key          = "${key}/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
  }
}
`;
const NETWORK = 'variable "cidr" {\n  type = string\n}\n\nresource "aws_vpc" "this" {\n  cidr_block = var.cidr\n}\n';
const CALLS_NETWORK = 'module "network" {\n  source = "../../modules/network"\n  cidr   = "10.0.0.0/16"\n}\n';

describe('finding the workspaces of a repository without a workspaces key', () => {
  it('takes every directory with a backend block or a committed state, named after it', async () => {
    const { discovery } = await discover({
      'README.md': '# infra\n',
      'live/aws/prod/backend.tf': S3_BACKEND('prod'),
      'live/aws/prod/main.tf': CALLS_NETWORK,
      'live/gcp/prod/main.tf': 'terraform {\n  backend "gcs" {\n    bucket = "acme-tf"\n    prefix = "prod"\n  }\n}\n',
      'live/staging/versions.tf': 'terraform {\n  cloud {\n    organization = "acme"\n\n    workspaces {\n      name = "staging"\n    }\n  }\n}\n',
      'live/staging/main.tf': CALLS_NETWORK,
      'tools/terraform.tf.json': JSON.stringify({ terraform: { backend: { s3: { bucket: 'acme-tfstate', key: 'tools/terraform.tfstate', region: 'us-east-1' } } } }, null, 2),
      'sandbox/main.tf': 'provider "aws" {\n  region = "us-west-2"\n}\n',
      'sandbox/terraform.tfstate': '{"version": 4, "serial": 1, "lineage": "0b8c4d6e-1f2a-4b3c-9d5e-6f7a8b9c0d1e", "terraform_version": "1.11.4", "resources": []}',
      'modules/network/main.tf': NETWORK,
      'examples/complete/main.tf': 'module "network" {\n  source = "../../modules/network"\n  cidr   = "10.9.0.0/16"\n}\n',
      'live/aws/prod/.terraform/modules/network/main.tf': S3_BACKEND('copy'),
      'vendor/acme-base/main.tf': S3_BACKEND('vendored'),
      'node_modules/cdktf/main.tf': S3_BACKEND('npm'),
    });

    expect(discovery.workspaces.map(({ workspace, evidence }) => [workspace.name, workspace.dir, evidence])).toEqual([
      ['aws-prod', 'live/aws/prod', 'backend "s3" in live/aws/prod/backend.tf:4'],
      ['gcp-prod', 'live/gcp/prod', 'backend "gcs" in live/gcp/prod/main.tf:2'],
      ['staging', 'live/staging', 'cloud block in live/staging/versions.tf:2'],
      ['sandbox', 'sandbox', 'sandbox/terraform.tfstate committed beside the configuration'],
      ['tools', 'tools', 'backend "s3" in tools/terraform.tf.json:4'],
    ]);
    expect(discovery.workspaces[0]!.workspace).toEqual({ name: 'aws-prod', dir: 'live/aws/prod', terraform_workspace: 'default', enabled: true, schedule: '0 6 * * *', timezone: 'UTC' });
    expect(discovery.unreadable).toEqual([]);
  });

  it('names the repository root after the repository, and a directory of that name after its parent too', async () => {
    const { discovery } = await discover({ 'backend.tf': S3_BACKEND('root'), 'stacks/infra/main.tf': S3_BACKEND('infra'), 'stacks/dns/main.tf': S3_BACKEND('dns') });
    expect(discovery.workspaces.map(({ workspace }) => [workspace.name, workspace.dir])).toEqual([
      ['infra', '.'],
      ['dns', 'stacks/dns'],
      ['stacks-infra', 'stacks/infra'],
    ]);
  });

  it('numbers names that parent directories cannot tell apart, in path order', async () => {
    // c and b/c collide; b/c becomes b-c, which the directory b-c already is.
    const { discovery } = await discover({ 'b-c/main.tf': S3_BACKEND('one'), 'b/c/main.tf': S3_BACKEND('two'), 'c/main.tf': S3_BACKEND('three') });
    expect(discovery.workspaces.map(({ workspace }) => [workspace.name, workspace.dir])).toEqual([
      ['b-c', 'b-c'],
      ['b-c-2', 'b/c'],
      ['c', 'c'],
    ]);
  });

  it('takes the repository root as the one workspace when nothing has a backend but the root has .tf files', async () => {
    const { discovery } = await discover({ 'main.tf': 'provider "aws" {\n  region = "us-east-1"\n}\n', 'modules/bucket/main.tf': 'resource "aws_s3_bucket" "this" {}\n' }, 'shop.infra');
    expect(discovery.workspaces).toEqual([{ workspace: expect.objectContaining({ name: 'shop.infra', dir: '.' }), evidence: 'the repository root has .tf files and no directory has a backend block' }]);
  });

  it('finds nothing in a repository without Terraform at its root or a backend anywhere', async () => {
    const { discovery } = await discover({ 'README.md': '# docs\n', 'modules/bucket/main.tf': 'resource "aws_s3_bucket" "this" {}\n' });
    expect(discovery.workspaces).toEqual([]);
  });

  it('reports a file that may hold the backend but does not parse', async () => {
    const { discovery } = await discover({ 'prod/backend.tf': 'terraform {\n  backend "s3" {\n    bucket = \n  }\n}\n', 'prod/main.tf': NETWORK, 'dev/backend.tf': S3_BACKEND('dev') });
    expect(discovery.workspaces.map(({ workspace }) => workspace.name)).toEqual(['dev']);
    expect(discovery.unreadable).toHaveLength(1);
    expect(discovery.unreadable[0]).toMatch(/^prod\/backend\.tf:3: /);
  });

  it('reads no blob outside Terraform directories', async () => {
    const { calls, commit } = await discover({ 'README.md': '# infra\n', 'docs/guide.md': 'x\n', 'prod/backend.tf': S3_BACKEND('prod'), 'prod/main.tf': NETWORK });
    expect(calls.blobs.sort()).toEqual([commit.blobSha('prod/backend.tf'), commit.blobSha('prod/main.tf')].sort());
  });
});
