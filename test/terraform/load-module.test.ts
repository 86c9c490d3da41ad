import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DriftwatchError } from '../../src/errors.js';
import { loadModuleFiles } from '../../src/terraform/load-module.js';

function dir(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}

async function loadError(path: string): Promise<DriftwatchError> {
  const error = await loadModuleFiles(path).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DriftwatchError);
  return error as DriftwatchError;
}

const temporary: string[] = [];
afterEach(async () => {
  for (const path of temporary.splice(0)) await rm(path, { recursive: true, force: true });
});

describe('loadModuleFiles', () => {
  it('reads the root module and the local modules it calls, and nothing else', async () => {
    const files = await loadModuleFiles(dir('./fixtures/hcl/modules-tree/root'));
    expect(files.map((file) => file.path)).toEqual([
      'main.tf',
      'providers.tf',
      'variables.tf',
      'modules/network/main.tf',
      'modules/network/variables.tf',
      '../shared/bucket/main.tf',
      'modules/subnets/main.tf',
    ]);
    const subnets = files.find((file) => file.path === 'modules/subnets/main.tf');
    expect(subnets?.text).toContain('resource "aws_subnet" "this"');
  });

  it('reads the root variable files, but no .tfvars of other directories', async () => {
    const files = await loadModuleFiles(dir('./fixtures/hcl/s3-backend'));
    expect(files.map((file) => file.path)).toEqual([
      'a.auto.tfvars',
      'b.auto.tfvars',
      'cdn.tf.json',
      'iam.tf',
      'locals.tf',
      'providers.tf',
      'terraform.tfvars',
      'terraform.tfvars.json',
      'variables.tf',
      'versions.tf',
    ]);
  });

  it('says which directory is missing and how to point at the root module', async () => {
    const error = await loadError(dir('./fixtures/hcl/no-such-dir'));
    expect(error.code).toBe('hcl');
    expect(error.message).toContain('no-such-dir is not a directory');
    expect(error.message).toContain('--dir <root module>');
  });

  it('refuses a file given as the root module', async () => {
    const error = await loadError(dir('./fixtures/hcl/broken/main.tf'));
    expect(error.message).toContain('main.tf is not a directory');
  });

  it('refuses a directory without configuration files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'driftwatch-empty-'));
    temporary.push(root);
    await writeFile(join(root, 'README.md'), '# not terraform\n');
    const error = await loadError(root);
    expect(error.message).toContain('has no .tf or .tf.json files');
  });

  it('follows a module loop once, finds sources in .tf.json files, and skips .terraform', async () => {
    const root = await mkdtemp(join(tmpdir(), 'driftwatch-loop-'));
    temporary.push(root);
    await mkdir(join(root, 'a'));
    await mkdir(join(root, 'b'));
    await mkdir(join(root, '.terraform', 'modules', 'x'), { recursive: true });
    await writeFile(join(root, 'main.tf.json'), JSON.stringify({ module: { a: { source: './a' }, x: { source: './.terraform/modules/x' } } }));
    await writeFile(join(root, 'a', 'main.tf'), 'module "b" {\n  source = "../b"\n}\n');
    await writeFile(join(root, 'b', 'main.tf'), 'module "a" {\n  source = "../a"\n}\n');
    await writeFile(join(root, '.terraform', 'modules', 'x', 'main.tf'), 'resource "aws_vpc" "x" {}\n');
    await writeFile(join(root, 'a', 'terraform.tfvars'), 'ignored = true\n');
    const files = await loadModuleFiles(root);
    expect(files.map((file) => file.path)).toEqual(['main.tf.json', 'a/main.tf', 'b/main.tf']);
  });

  it('drops a UTF-8 byte order mark', async () => {
    const root = await mkdtemp(join(tmpdir(), 'driftwatch-bom-'));
    temporary.push(root);
    await writeFile(join(root, 'main.tf'), '\ufeffresource "aws_sqs_queue" "q" {}\n');
    const [file] = await loadModuleFiles(root);
    expect(file?.text.startsWith('resource')).toBe(true);
  });

  it('follows symlinked configuration files, as Terraform does', async () => {
    const root = await mkdtemp(join(tmpdir(), 'driftwatch-link-'));
    temporary.push(root);
    await mkdir(join(root, 'common'));
    await mkdir(join(root, 'live'));
    await writeFile(join(root, 'common', 'providers.tf'), 'provider "aws" {\n  region = "eu-west-1"\n}\n');
    await writeFile(join(root, 'live', 'main.tf'), 'resource "aws_sqs_queue" "q" {}\n');
    await symlink(join(root, 'common', 'providers.tf'), join(root, 'live', 'providers.tf'));
    await symlink(join(root, 'common', 'missing.tf'), join(root, 'live', 'dangling.tf'));
    const files = await loadModuleFiles(join(root, 'live'));
    expect(files.map((file) => file.path)).toEqual(['main.tf', 'providers.tf']);
    expect(files[1]?.text).toContain('region = "eu-west-1"');
  });
});
