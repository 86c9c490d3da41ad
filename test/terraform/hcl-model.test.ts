import { fileURLToPath } from 'node:url';
import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { formatHclError } from '../../src/terraform/hcl-format-error.js';
import { loadModuleFiles } from '../../src/terraform/load-module.js';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';
import type { HclModel, HclResourceBlock, SourceFile } from '../../src/terraform/types.js';

let parser: Parser;

beforeAll(async () => {
  parser = await loadTerraformParser();
});

function dir(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}

async function modelOf(relative: string): Promise<HclModel> {
  return buildHclModel(await loadModuleFiles(dir(relative)), await loadTerraformParser());
}

function block(model: HclModel, mode: 'managed' | 'data', type: string, name: string, modulePath: string[] = []): HclResourceBlock {
  const found = model.resources.find(
    (resource) =>
      resource.mode === mode && resource.type === type && resource.name === name && resource.modulePath.join('/') === modulePath.join('/'),
  );
  if (!found) throw new Error(`no ${mode} ${type}.${name} in module ${modulePath.join('.')}`);
  return found;
}

describe('buildHclModel on count-foreach-modules', () => {
  let model: HclModel;
  beforeAll(async () => {
    model = await modelOf('../fixtures/real-provider/count-foreach-modules');
  });

  it('loads the root module and the module it calls, without errors', () => {
    expect(model.errors).toEqual([]);
    expect(model.files).toEqual([
      'main.tf',
      'outputs.tf',
      'providers.tf',
      's3.tf',
      'variables.tf',
      'versions.tf',
      'modules/app/main.tf',
      'modules/app/outputs.tf',
      'modules/app/variables.tf',
    ]);
  });

  it('reads the local backend and the required version', () => {
    expect(model.backend).toEqual({
      file: 'versions.tf',
      startLine: 13,
      endLine: 15,
      type: 'local',
      config: { path: 'terraform.tfstate' },
      s3: null,
    });
    expect(model.requiredVersion).toBe('>= 1.5.0');
  });

  it('reads the provider with its default tags', () => {
    expect(model.providers).toEqual([
      {
        file: 'providers.tf',
        startLine: 3,
        endLine: 30,
        alias: null,
        region: 'us-east-1',
        defaultTags: { Project: 'granary', Environment: 'staging', ManagedBy: 'terraform' },
        assumeRole: null,
        modulePath: [],
      },
    ]);
  });

  it('records the module call with for_each', () => {
    expect(model.modules).toEqual([
      {
        file: 'main.tf',
        startLine: 3,
        endLine: 13,
        name: 'app',
        parentPath: [],
        source: './modules/app',
        local: true,
        dir: 'modules/app',
        hasCount: false,
        hasForEach: true,
      },
    ]);
  });

  it.each([
    ['aws_s3_bucket', 'shared', [], 's3.tf', 4, 12, false, true],
    ['aws_s3_bucket_policy', 'shared', [], 's3.tf', 48, 77, false, true],
    ['aws_security_group', 'this', ['app'], 'modules/app/main.tf', 3, 14, false, false],
    ['aws_security_group_rule', 'egress_all', ['app'], 'modules/app/main.tf', 47, 55, false, false],
    ['aws_instance', 'this', ['app'], 'modules/app/main.tf', 57, 68, true, false],
  ])('places %s.%s in module [%s] at %s:%i-%i', (type, name, modulePath, file, startLine, endLine, hasCount, hasForEach) => {
    expect(block(model, 'managed', type, name, modulePath)).toMatchObject({
      file,
      startLine,
      endLine,
      hasCount,
      hasForEach,
      moduleDir: modulePath.length ? 'modules/app' : '',
    });
  });

  it('keeps block bodies as hcl2-parser returns them', () => {
    const instance = block(model, 'managed', 'aws_instance', 'this', ['app']);
    expect(instance.body).toMatchObject({
      count: '${var.instance_count}',
      vpc_security_group_ids: ['${aws_security_group.this.id}'],
      tags: { Name: '${var.name}-${count.index}', App: '${var.name}' },
    });
    const versioning = block(model, 'managed', 'aws_s3_bucket_versioning', 'shared');
    expect(versioning.body.versioning_configuration).toEqual([{ status: 'Enabled' }]);
  });

  it('knows the literal variable defaults of the root module', () => {
    expect(model.variables).toEqual({
      apps: {
        ledger: { instance_type: 't3.micro', service_port: 8443, ingress_cidrs: ['10.30.0.0/16'] },
        courier: { instance_type: 't3.small', service_port: 9090, ingress_cidrs: ['10.30.0.0/16', '192.168.50.0/24'] },
      },
      admin_cidr: '203.0.113.64/27',
      ami_id: 'ami-04681a1dbd79675a5',
      bucket_names: ['granary-staging-exports', 'granary-staging-audit-logs'],
    });
  });
});

describe('buildHclModel on legacy-inline and vpc-rules-new-style', () => {
  it('reads heredoc policies, inline blocks and no default tags (legacy-inline)', async () => {
    const model = await modelOf('../fixtures/real-provider/legacy-inline');
    expect(model.errors).toEqual([]);
    expect(model.resources.filter((resource) => resource.mode === 'managed')).toHaveLength(10);
    const role = block(model, 'managed', 'aws_iam_role', 'app');
    expect(JSON.parse(role.body.assume_role_policy as string)).toMatchObject({
      Statement: [{ Sid: 'EC2AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }],
    });
    const inline = block(model, 'managed', 'aws_iam_role_policy', 'artifacts_read');
    expect(inline.body.policy).toContain('"${aws_s3_bucket.artifacts.arn}/*"');
    const group = block(model, 'managed', 'aws_db_parameter_group', 'mysql');
    expect(group.body.parameter).toHaveLength(3);
    expect(model.providers.map((provider) => provider.defaultTags)).toEqual([{}]);
    expect(model.backend).toBeNull();
    expect(model.requiredVersion).toBe('>= 0.13');
  });

  it('resolves the provider region from a variable default and keeps data blocks (vpc-rules-new-style)', async () => {
    const model = await modelOf('../fixtures/real-provider/vpc-rules-new-style');
    expect(model.providers[0]).toMatchObject({ region: 'us-east-1', defaultTags: { Team: 'kiln', CostCenter: 'cc-4821' } });
    expect(model.resources.filter((resource) => resource.mode === 'data').map((resource) => resource.type).sort()).toEqual([
      'aws_ec2_managed_prefix_list',
      'aws_iam_policy_document',
    ]);
    expect(model.resources.filter((resource) => resource.mode === 'managed')).toHaveLength(15);
    expect(model.requiredVersion).toBe('~> 1.9');
  });
});

describe('buildHclModel on an S3 backend with aliases, tfvars and a .tf.json file', () => {
  let model: HclModel;
  beforeAll(async () => {
    model = await modelOf('./fixtures/hcl/s3-backend');
  });

  it('reads the S3 backend, including assume_role and endpoints', () => {
    expect(model.backend).toMatchObject({ file: 'versions.tf', startLine: 13, endLine: 31, type: 's3' });
    expect(model.backend?.s3).toEqual({
      bucket: 'orbit-terraform-state',
      key: 'platform/network.tfstate',
      region: 'eu-west-1',
      workspaceKeyPrefix: 'envs',
      dynamodbTable: 'terraform-locks',
      useLockfile: true,
      roleArn: 'arn:aws:iam::210987654321:role/terraform-state-reader',
      externalId: 'orbit-drift',
      profile: 'orbit-state',
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
    });
    expect(model.backend?.config).toMatchObject({ encrypt: true, workspace_key_prefix: 'envs' });
  });

  it('orders variables as Terraform does: defaults, terraform.tfvars, terraform.tfvars.json, *.auto.tfvars', () => {
    expect(model.variables).toEqual({
      region: 'eu-west-1',
      west_region: 'us-west-2',
      dr_region: 'eu-north-1',
      deploy_external_id: 'orbit-deploy-prod',
      instance_count: 4,
      azs: ['eu-west-1a', 'eu-west-1b'],
      cdn_price_class: 'PriceClass_100',
    });
  });

  it.each([
    [null, 'eu-west-1', 1, 17],
    ['west', 'us-west-2', 20, 23],
    ['dr', 'eu-north-1', 25, 28],
    ['ops', null, 30, 33],
    ['us_east_1', 'us-east-1', 36, 39],
  ])('provider alias %s has region %s', (alias, region, startLine, endLine) => {
    const provider = model.providers.find((candidate) => candidate.alias === alias);
    expect(provider).toMatchObject({ file: 'providers.tf', region, startLine, endLine, modulePath: [] });
  });

  it('reads only aws providers, with literal default tags and the first assume_role', () => {
    expect(model.providers).toHaveLength(5);
    const main = model.providers.find((provider) => provider.alias === null);
    expect(main?.defaultTags).toEqual({ Team: 'orbit', ManagedBy: 'terraform' });
    expect(main?.assumeRole).toEqual({
      roleArn: 'arn:aws:iam::123456789012:role/terraform-deploy',
      externalId: 'orbit-deploy-prod',
      sessionName: 'terraform',
    });
  });

  it('reads heredoc policies as their text', () => {
    const policy = block(model, 'managed', 'aws_iam_policy', 'deploy');
    expect(JSON.parse(policy.body.policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::${var.log_bucket}/*' }],
    });
    expect(policy).toMatchObject({ file: 'iam.tf', startLine: 18, endLine: 33 });
    expect(block(model, 'managed', 'aws_iam_role', 'deploy')).toMatchObject({ startLine: 1, endLine: 16 });
  });

  it.each([
    ['managed', 'aws_cloudfront_distribution', 'cdn', 5, 12, false],
    ['managed', 'aws_s3_bucket', 'assets', 16, 19, true],
    ['data', 'aws_caller_identity', 'current', 25, 25, false],
  ] as const)('reads %s %s.%s from cdn.tf.json at lines %i-%i', (mode, type, name, startLine, endLine, hasForEach) => {
    expect(block(model, mode, type, name)).toMatchObject({ file: 'cdn.tf.json', startLine, endLine, hasForEach, hasCount: false });
  });

  it('keeps the JSON body without its comment key', () => {
    expect(block(model, 'managed', 'aws_cloudfront_distribution', 'cdn').body).toEqual({
      provider: 'aws.us_east_1',
      enabled: true,
      comment: 'orbit assets',
      tags: { Name: 'orbit-cdn' },
    });
  });
});

describe('buildHclModel with malformed files among good ones', () => {
  let model: HclModel;
  beforeAll(async () => {
    model = await modelOf('./fixtures/hcl/broken');
  });

  it('names the file, line and column of every syntax error, several in one file too', () => {
    expect(model.errors.map(formatHclError)).toEqual([
      'dns.tf.json:5:32: JSON syntax error: trailing comma (JSON allows none before `}` or `]`)',
      'dns.tf.json:13:19: JSON syntax error: trailing comma (JSON allows none before `}` or `]`)',
      'network.tf:8:1: syntax error: unexpected `}`',
      'security.tf:9:3: syntax error: missing `]` to close the list that starts on line 8',
      'storage.tf:2:27: syntax error: unexpected `+`',
      'storage.tf:6:32: syntax error: unexpected `.`',
    ]);
  });

  it('still loads the good files, and nothing of the broken ones', () => {
    expect(model.resources.map((resource) => `${resource.type}.${resource.name}`)).toEqual(['aws_s3_bucket.logs']);
    expect(model.providers).toHaveLength(1);
    expect(model.variables).toEqual({ retention_days: 30 });
    expect(model.files).toEqual(['dns.tf.json', 'main.tf', 'network.tf', 'security.tf', 'storage.tf', 'variables.tf']);
  });
});

describe('buildHclModel on nested local modules and remote ones', () => {
  let model: HclModel;
  beforeAll(async () => {
    model = await modelOf('./fixtures/hcl/modules-tree/root');
  });

  it('follows ./ and ../ sources, normalizing the paths', () => {
    expect(model.errors).toEqual([]);
    expect(model.files).toEqual([
      'main.tf',
      'providers.tf',
      'variables.tf',
      'modules/network/main.tf',
      'modules/network/variables.tf',
      'modules/subnets/main.tf',
      '../shared/bucket/main.tf',
    ]);
    expect(model.modules.map((call) => [call.parentPath.join('.'), call.name, call.local, call.dir])).toEqual([
      ['', 'network', true, 'modules/network'],
      ['', 'network_dr', true, 'modules/network'],
      ['', 'vpc_registry', false, null],
      ['', 'tags', false, null],
      ['', 'shared_bucket', true, '../shared/bucket'],
      ['network', 'subnets', true, 'modules/subnets'],
      ['network_dr', 'subnets', true, 'modules/subnets'],
    ]);
  });

  it('records remote modules with their source', () => {
    expect(model.modules.find((call) => call.name === 'vpc_registry')).toEqual({
      file: 'main.tf',
      startLine: 18,
      endLine: 23,
      name: 'vpc_registry',
      parentPath: [],
      source: 'terraform-aws-modules/vpc/aws',
      local: false,
      dir: null,
      hasCount: false,
      hasForEach: false,
    });
  });

  it('yields the blocks of a module called twice once per call', () => {
    const subnets = model.resources.filter((resource) => resource.type === 'aws_subnet');
    expect(subnets.map((resource) => resource.modulePath)).toEqual([
      ['network', 'subnets'],
      ['network_dr', 'subnets'],
    ]);
    expect(subnets.every((resource) => resource.file === 'modules/subnets/main.tf' && resource.moduleDir === 'modules/subnets')).toBe(true);
    expect(block(model, 'managed', 'aws_s3_bucket', 'this', ['shared_bucket'])).toMatchObject({
      file: '../shared/bucket/main.tf',
      moduleDir: '../shared/bucket',
    });
  });

  it('resolves a module provider region through the arguments of each call', () => {
    expect(model.providers.map((provider) => [provider.modulePath.join('.'), provider.alias, provider.region])).toEqual([
      ['', null, 'eu-west-1'],
      // module.network passes each.value, unknown here: the module's default applies.
      ['network', 'peer', 'eu-west-2'],
      // module.network_dr passes var.dr_peer_region, known from the root default.
      ['network_dr', 'peer', 'ca-central-1'],
    ]);
  });
});

describe('buildHclModel on in-memory configurations', () => {
  const file = (path: string, text: string): SourceFile => ({ path, text });

  it('stops at a module loop and says where it starts', () => {
    const model = buildHclModel(
      [
        file('main.tf', 'module "a" {\n  source = "./a"\n}\n'),
        file('a/main.tf', 'module "b" {\n  source = "../b"\n}\nresource "aws_sns_topic" "a" {}\n'),
        file('b/main.tf', 'module "a" {\n  source = "../a"\n}\n'),
      ],
      parser,
    );
    expect(model.resources.map((resource) => resource.modulePath)).toEqual([['a']]);
    expect(model.errors).toEqual([
      {
        file: 'b/main.tf',
        line: 1,
        column: 1,
        message: 'module "a" calls ../a, a module that is already calling it; driftwatch does not follow the loop',
      },
    ]);
  });

  it('reports a local module whose directory has no configuration', () => {
    const model = buildHclModel([file('main.tf', '\nmodule "gone" {\n  source = "./modules/gone"\n}\n')], parser);
    expect(model.modules[0]).toMatchObject({ name: 'gone', local: true, dir: 'modules/gone' });
    expect(model.errors.map(formatHclError)).toEqual([
      'main.tf:2:1: module "gone" calls ./modules/gone, but no .tf files were found in modules/gone',
    ]);
  });

  it('keeps the other blocks of a file when one uses syntax hcl2-parser cannot read', () => {
    const text = [
      'resource "aws_s3_bucket" "a" {',
      '  bucket = "orbit-a"',
      '}',
      '',
      'resource "aws_iam_role" "b" {',
      '  name = provider::aws::arn_parse(var.arn).resource',
      '}',
      '',
    ].join('\n');
    const model = buildHclModel([file('main.tf', text)], parser);
    expect(block(model, 'managed', 'aws_s3_bucket', 'a').body).toEqual({ bucket: 'orbit-a' });
    expect(block(model, 'managed', 'aws_iam_role', 'b')).toMatchObject({ startLine: 5, endLine: 7, body: {} });
    expect(model.errors).toHaveLength(1);
    expect(model.errors[0]).toMatchObject({ file: 'main.tf', line: 5, column: 1 });
    expect(model.errors[0]?.message).toContain('`resource "aws_iam_role" "b"`');
  });

  it('gives blocks with the same labels in one file their own bodies', () => {
    const text = 'resource "aws_sns_topic" "t" {\n  name = "one"\n}\n\nresource "aws_sns_topic" "t" {\n  name = "two"\n}\n';
    const model = buildHclModel([file('dup.tf', text)], parser);
    expect(model.resources.map((resource) => [resource.startLine, resource.body.name])).toEqual([
      [1, 'one'],
      [5, 'two'],
    ]);
  });

  it('reads a backend, providers and modules written in JSON syntax', () => {
    const json = JSON.stringify(
      {
        terraform: { backend: { s3: { bucket: 'orbit-state', key: 'app.tfstate', region: 'eu-west-1', role_arn: 'arn:aws:iam::1:role/old' } } },
        provider: { aws: [{ region: 'eu-west-1' }, { alias: 'west', region: '${var.west}' }] },
        variable: { west: { default: 'us-west-2' } },
        module: { app: { source: './app', count: 2 } },
      },
      null,
      2,
    );
    const model = buildHclModel([file('main.tf.json', json), file('app/main.tf', 'resource "aws_sqs_queue" "q" {}\n')], parser);
    expect(model.errors).toEqual([]);
    expect(model.backend?.s3).toMatchObject({ bucket: 'orbit-state', roleArn: 'arn:aws:iam::1:role/old', workspaceKeyPrefix: null, useLockfile: false });
    expect(model.backend).toMatchObject({ file: 'main.tf.json', startLine: 4 });
    expect(model.providers.map((provider) => [provider.alias, provider.region])).toEqual([
      [null, 'eu-west-1'],
      ['west', 'us-west-2'],
    ]);
    expect(model.modules[0]).toMatchObject({ name: 'app', dir: 'app', hasCount: true });
    expect(block(model, 'managed', 'aws_sqs_queue', 'q', ['app']).moduleDir).toBe('app');
  });

  it('accepts Windows separators in file paths', () => {
    const model = buildHclModel(
      [file('main.tf', 'module "m" {\n  source = "./mods/m"\n}\n'), file('mods\\m\\main.tf', 'resource "aws_sqs_queue" "q" {}\n')],
      parser,
    );
    expect(model.files).toEqual(['main.tf', 'mods/m/main.tf']);
    expect(model.resources[0]).toMatchObject({ file: 'mods/m/main.tf', modulePath: ['m'] });
  });
});
