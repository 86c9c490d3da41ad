// Which local directories a configuration file calls as modules: the loader follows them.
import { describe, expect, it } from 'vitest';
import { moduleSources } from '../../src/terraform/hcl-module-sources.js';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';

const sources = async (text: string, path = 'main.tf') => moduleSources(path, text, await loadTerraformParser());

describe('moduleSources', () => {
  it('reads the source of every module block, quoted or bare label, one-line or not', async () => {
    const text = [
      'module "network" {',
      '  source = "./modules/network"',
      '  cidr   = "10.0.0.0/16"',
      '}',
      '',
      'module compute { source = "../shared/compute" }',
      '',
      'module /* the database */ "db" {',
      '  source  = "terraform-aws-modules/rds/aws"',
      '  version = "6.1.0"',
      '}',
    ].join('\n');
    expect(await sources(text)).toEqual(['./modules/network', '../shared/compute', 'terraform-aws-modules/rds/aws']);
  });

  it('finds nothing in a file that only refers to modules or mentions the word', async () => {
    const text = [
      'output "vpc_id" {',
      '  value = module.network.vpc_id',
      '}',
      'resource "aws_instance" "web" {',
      '  subnet_id = module . network.subnet_ids[0]',
      '  tags = { Note = "see the network module" }',
      '}',
    ].join('\n');
    expect(await sources(text)).toEqual([]);
  });

  it('skips a source that is not a plain string', async () => {
    expect(await sources('module "x" {\n  source = "./mods/${var.name}"\n}\n')).toEqual([]);
  });

  it('reads .tf.json module calls', async () => {
    expect(await sources(JSON.stringify({ module: { network: { source: './modules/network' }, db: [{ source: './modules/db' }] } }), 'main.tf.json')).toEqual(['./modules/network', './modules/db']);
  });
});
