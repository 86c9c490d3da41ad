import { describe, expect, it } from 'vitest';
import { configuredArguments } from '../../src/terraform/configured-arguments.js';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';
import type { SourceFile } from '../../src/terraform/types.js';

async function lookup(files: SourceFile[]) {
  return configuredArguments(buildHclModel(files, await loadTerraformParser()));
}

const MAIN = `resource "aws_security_group" "blocks" {
  name = "blocks"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "none" {
  count = 2
  name  = "none-\${count.index}"
}

resource "aws_security_group" "dynamic" {
  name = "dynamic"
  dynamic "egress" {
    for_each = var.ports
    content {
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}

resource "aws_security_group" "empty_list" {
  name    = "empty"
  ingress = []
}

module "app" {
  source = "./modules/app"
}
`;
const APP = `resource "aws_security_group" "this" {
  name = "app"
}
`;
const JSON_FILE = JSON.stringify({ resource: { aws_security_group: { from_json: { name: 'json', egress: [] } } } });

describe('configuredArguments', () => {
  it.each([
    ['aws_security_group.blocks', ['ingress', 'name']],
    ['aws_security_group.none[1]', ['count', 'name']],
    ['aws_security_group.dynamic', ['egress', 'name']],
    ['aws_security_group.empty_list', ['ingress', 'name']],
    ['module.app["x"].aws_security_group.this', ['name']],
    ['aws_security_group.from_json', ['egress', 'name']],
  ])('%s writes %j', async (address, names) => {
    const find = await lookup([
      { path: 'main.tf', text: MAIN },
      { path: 'modules/app/main.tf', text: APP },
      { path: 'json.tf.json', text: JSON_FILE },
    ]);
    expect([...(find(address) ?? [])].sort()).toEqual(names);
  });

  it('cannot tell for a block it has not read: not written, in a file with errors, or an invalid address', async () => {
    const find = await lookup([
      { path: 'main.tf', text: MAIN },
      { path: 'broken.tf', text: 'resource "aws_security_group" "broken" {\n  name = \n}\n' },
    ]);
    expect(find('aws_security_group.missing')).toBeNull();
    expect(find('aws_security_group.broken')).toBeNull();
    expect(find('module.app.aws_security_group.this')).toBeNull();
    expect(find('not an address')).toBeNull();
  });
});
