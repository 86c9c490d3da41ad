import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DriftwatchError } from '../../src/errors.js';
import { parseState } from '../../src/terraform/state.js';
import type { DeclaredResource, ParsedState } from '../../src/terraform/types.js';

function realState(name: string): string {
  return readFileSync(new URL(`../fixtures/real-provider/${name}/terraform.tfstate`, import.meta.url), 'utf8');
}

function ownState(name: string): string {
  return readFileSync(new URL(`./fixtures/states/${name}`, import.meta.url), 'utf8');
}

function byAddress(state: ParsedState, address: string): DeclaredResource {
  const found = state.resources.find((resource) => resource.address === address);
  if (!found) throw new Error(`no resource ${address} in ${state.resources.map((r) => r.address).join(', ')}`);
  return found;
}

function stateError(text: string, source: string): DriftwatchError {
  try {
    parseState(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(DriftwatchError);
    return error as DriftwatchError;
  }
  throw new Error('parseState accepted the text');
}

describe('parseState on states written by Terraform 1.11.4', () => {
  it.each([
    ['count-foreach-modules', 24, 0, 26, 'b2a682cd-96a7-477f-d217-8727ec55d410'],
    ['legacy-inline', 10, 0, undefined, undefined],
    ['vpc-rules-new-style', 15, 2, undefined, undefined],
  ])('%s holds %i managed instances and %i data sources', (name, managed, data, serial, lineage) => {
    const state = parseState(realState(name), `${name}/terraform.tfstate`);
    expect(state.version).toBe(4);
    expect(state.terraformVersion).toBe('1.11.4');
    expect(state.resources).toHaveLength(managed);
    expect(state.dataSources).toBe(data);
    expect(state.deposed).toEqual([]);
    expect(state.resources.every((resource) => !resource.tainted && resource.providerAlias === null)).toBe(true);
    expect(state.resources.every((resource) => resource.provider === 'provider["registry.terraform.io/hashicorp/aws"]')).toBe(true);
    expect(new Set(state.resources.map((resource) => resource.address)).size).toBe(managed);
    if (serial !== undefined) expect(state.serial).toBe(serial);
    if (lineage !== undefined) expect(state.lineage).toBe(lineage);
  });

  it.each([
    ['module.app["courier"].aws_instance.this[1]', 'module.app["courier"]', 'aws_instance', 'this', 1],
    ['module.app["ledger"].aws_security_group_rule.egress_all', 'module.app["ledger"]', 'aws_security_group_rule', 'egress_all', null],
    ['aws_s3_bucket_policy.shared["granary-staging-exports"]', '', 'aws_s3_bucket_policy', 'shared', 'granary-staging-exports'],
    ['aws_s3_bucket.shared["granary-staging-audit-logs"]', '', 'aws_s3_bucket', 'shared', 'granary-staging-audit-logs'],
  ])('count-foreach-modules has %s', (address, module, type, name, index) => {
    const resource = byAddress(parseState(realState('count-foreach-modules'), 'x'), address);
    expect(resource).toMatchObject({ module, type, name, index });
  });

  it('keeps attributes as the state wrote them', () => {
    const state = parseState(realState('count-foreach-modules'), 'x');
    const instance = byAddress(state, 'module.app["courier"].aws_instance.this[1]');
    expect(instance.attributes.instance_type).toBe('t3.small');
    expect(instance.attributes.metadata_options).toEqual([]);
    expect(instance.schemaVersion).toBe(1);
    const bucket = byAddress(state, 'aws_s3_bucket.shared["granary-staging-exports"]');
    expect(bucket.attributes.tags_all).toEqual({
      Environment: 'staging',
      ManagedBy: 'terraform',
      Name: 'granary-staging-exports',
      Project: 'granary',
    });
  });

  it('reads the sensitive password paths of the database', () => {
    const state = parseState(realState('legacy-inline'), 'x');
    const db = byAddress(state, 'aws_db_instance.main');
    expect(db.sensitivePaths).toEqual([['password_wo'], ['password']]);
    const others = state.resources.filter((resource) => resource.address !== 'aws_db_instance.main');
    expect(others.every((resource) => resource.sensitivePaths.length === 0)).toBe(true);
  });

  it('leaves data sources out of the resources', () => {
    const state = parseState(realState('vpc-rules-new-style'), 'x');
    expect(state.resources.some((resource) => resource.address.startsWith('data.'))).toBe(false);
    expect(state.resources.map((resource) => resource.type)).toContain('aws_vpc_security_group_egress_rule');
  });
});

describe('parseState on nested modules, odd keys, tainted and deposed objects', () => {
  const state = parseState(ownState('nested-modules.tfstate'), 'states/nested-modules.tfstate');

  it('builds every address the way Terraform prints it', () => {
    expect(state.resources.map((resource) => resource.address)).toEqual([
      'aws_iam_access_key.ci',
      'aws_instance.api',
      'aws_instance.bastion',
      'aws_s3_bucket.replica',
      'aws_ssm_parameter.flags["app.example.com"]',
      'aws_ssm_parameter.flags["feature \\"beta\\""]',
      'aws_ssm_parameter.flags["path\\\\to"]',
      'aws_ssm_parameter.flags["tpl $${x}"]',
      'module.legacy.aws_lambda_function.worker',
      'module.network["eu.west-1"].aws_vpc.this',
      'module.network["eu.west-1"].module.subnets[0].aws_subnet.this[0]',
      'module.network["eu.west-1"].module.subnets[0].aws_subnet.this[1]',
      'module.network["us \\"east\\""].aws_vpc.this',
    ]);
  });

  it.each([
    ['aws_ssm_parameter.flags["feature \\"beta\\""]', '', 'feature "beta"'],
    ['aws_ssm_parameter.flags["path\\\\to"]', '', 'path\\to'],
    ['module.network["eu.west-1"].module.subnets[0].aws_subnet.this[1]', 'module.network["eu.west-1"].module.subnets[0]', 1],
    ['module.network["us \\"east\\""].aws_vpc.this', 'module.network["us \\"east\\""]', null],
  ])('%s has module %s and index %j', (address, module, index) => {
    expect(byAddress(state, address)).toMatchObject({ module, index });
  });

  it.each([
    ['aws_s3_bucket.replica', 'west'],
    ['module.legacy.aws_lambda_function.worker', 'replica'],
    ['aws_instance.bastion', null],
    ['module.network["eu.west-1"].aws_vpc.this', null],
  ])('%s uses provider alias %s', (address, alias) => {
    expect(byAddress(state, address).providerAlias).toBe(alias);
  });

  it('marks the tainted instance and only that one', () => {
    expect(state.resources.filter((resource) => resource.tainted).map((resource) => resource.address)).toEqual([
      'aws_instance.bastion',
    ]);
  });

  it('reports the deposed object apart from the current one', () => {
    expect(state.deposed).toEqual([{ address: 'aws_instance.api', deposedKey: '5b7e1c2a' }]);
    expect(byAddress(state, 'aws_instance.api').attributes.id).toBe('i-0a1b2c3d4e5f60718');
    expect(state.resources.filter((resource) => resource.address === 'aws_instance.api')).toHaveLength(1);
  });

  it('counts data sources in modules too', () => {
    expect(state.dataSources).toBe(2);
    expect(state.resources).toHaveLength(13);
  });

  it.each([
    ['aws_iam_access_key.ci', [['secret'], ['ses_smtp_password_v4']]],
    ['module.legacy.aws_lambda_function.worker', [['environment', 0, 'variables', 'DB_PASSWORD']]],
    ['aws_ssm_parameter.flags["app.example.com"]', [['value']]],
    ['aws_instance.bastion', []],
  ])('%s has sensitive paths %j', (address, paths) => {
    expect(byAddress(state, address).sensitivePaths).toEqual(paths);
  });
});

describe('parseState on legacy attributes_flat', () => {
  const state = parseState(ownState('legacy-flat.tfstate'), 'states/legacy-flat.tfstate');

  it('rebuilds sets, lists and maps', () => {
    const group = byAddress(state, 'aws_security_group.web');
    expect(group.attributes).toEqual({
      arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0f1e2d3c4b5a69788',
      description: 'Web tier',
      egress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: '0', protocol: '-1', self: false, to_port: '0' }],
      id: 'sg-0f1e2d3c4b5a69788',
      ingress: [
        { cidr_blocks: [], from_port: '22', protocol: 'tcp', self: true, to_port: '22' },
        { cidr_blocks: ['0.0.0.0/0'], from_port: '443', protocol: 'tcp', self: false, to_port: '443' },
      ],
      name: 'web',
      revoke_rules_on_delete: false,
      tags: { Name: 'web', 'kubernetes.io/cluster/prod': 'owned' },
      vpc_id: 'vpc-0b1c2d3e4f5a6b7c8',
    });
    expect(group.providerAlias).toBeNull();
  });

  it('keeps empty lists and maps', () => {
    const bucket = byAddress(state, 'aws_s3_bucket.logs');
    expect(bucket.attributes).toMatchObject({
      lifecycle_rule: [],
      tags: {},
      versioning: [{ enabled: true, mfa_delete: false }],
      force_destroy: false,
    });
  });
});

describe('parseState refuses what it cannot read, with a message that says what to do', () => {
  it('an empty file', () => {
    const error = stateError(ownState('empty.tfstate'), 's3://orbit-state/prod/terraform.tfstate');
    expect(error.code).toBe('state');
    expect(error.message).toContain('s3://orbit-state/prod/terraform.tfstate is empty');
    expect(error.message).toContain('terraform state pull');
  });

  it('a file of blank lines', () => {
    expect(stateError('\n  \n', 'blank.tfstate').message).toContain('blank.tfstate is empty');
  });

  it('malformed JSON, with the line and column where it breaks', () => {
    const error = stateError(ownState('malformed.tfstate'), 'states/malformed.tfstate');
    expect(error.code).toBe('state');
    expect(error.message).toMatch(/^states\/malformed\.tfstate is not valid JSON: .+ at line 132, column 13\./);
    expect(error.message).toContain('terraform state pull');
  });

  it('a truncated state', () => {
    const error = stateError(ownState('truncated.tfstate'), 'states/truncated.tfstate');
    expect(error.message).toMatch(/^states\/truncated\.tfstate is cut short: .*\(line \d+, column \d+\)/);
    expect(error.message).toContain('fetch it again');
  });

  it('never quotes the state text in the message', () => {
    const text = '{"version": 4, "resources": [{"secret": "FIXTURE-hunter2" oops}]}';
    const error = stateError(text, 'inline.tfstate');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('line 1, column');
  });

  it('a version 3 state', () => {
    const error = stateError(ownState('version-3.tfstate'), 'states/version-3.tfstate');
    expect(error.message).toContain('version 3 state, written by Terraform 0.11 or older');
    expect(error.message).toContain('terraform apply -refresh-only');
    expect(error.message).toContain('terraform state pull');
  });

  it.each([1, 2])('a version %i state', (version) => {
    const error = stateError(JSON.stringify({ version, serial: 1, modules: [] }), 'old.tfstate');
    expect(error.message).toContain(`version ${version} state`);
  });

  it('a future state version', () => {
    const error = stateError(ownState('version-5.tfstate'), 'states/version-5.tfstate');
    expect(error.message).toContain('version 5 state, written by Terraform 2.0.0');
    expect(error.message).toContain('Upgrade driftwatch');
  });

  it.each([
    ['plan.json', 'a plan rendered by `terraform show -json`'],
    ['terraform.tfvars.json', 'no `version` number'],
  ])('%s, which is JSON but not a state', (name, why) => {
    const error = stateError(ownState(name), `states/${name}`);
    expect(error.message).toContain(`states/${name} is JSON but not a Terraform state: it`);
    expect(error.message).toContain(why);
  });

  it.each([
    ['[]', 'an array'],
    ['"terraform"', 'not an object'],
    ['{"format_version":"1.0","values":{"root_module":{}}}', '`terraform show -json`'],
    ['{"version":4,"serial":1}', 'no `resources` list'],
  ])('%s', (text, why) => {
    expect(stateError(text, 'x.json').message).toContain(why);
  });

  it('a saved plan file (zip)', () => {
    const error = stateError('PK\u0003\u0004\u0014\u0000\u0000\u0000tfplan', 'plan.out');
    expect(error.message).toContain('zip archive');
  });

  it('a resource entry without a type', () => {
    const error = stateError(JSON.stringify({ version: 4, resources: [{ mode: 'managed', name: 'x' }] }), 'x.tfstate');
    expect(error.message).toContain('resource entry 1 has no type or name');
  });

  describe('a managed resource that cannot be read is refused, naming the entry, never left out', () => {
    // A real state (legacy-inline), damaged in one place: scanned as it is, the resource would be
    // missing from the declared side and reported unmanaged.
    function damaged(damage: (resource: Record<string, unknown>) => void): { text: string; entry: number; address: string } {
      const state = JSON.parse(realState('legacy-inline'));
      const entry = state.resources.findIndex((r: { mode: string; type: string }) => r.mode === 'managed' && r.type === 'aws_security_group');
      const resource = state.resources[entry];
      damage(resource);
      return { text: JSON.stringify(state), entry: entry + 1, address: `${resource.type}.${resource.name}` };
    }

    it.each([
      ['without instances', (r: Record<string, unknown>) => delete r.instances, 'has no `instances` list'],
      ['with instances that are not a list', (r: Record<string, unknown>) => (r.instances = { attributes: {} }), 'has no `instances` list'],
    ])('a resource %s', (_, damage, reason) => {
      const { text, entry, address } = damaged(damage);
      const error = stateError(text, 'prod.tfstate');
      expect(error.message).toContain(`prod.tfstate: resource entry ${entry} (${address}) ${reason}`);
      expect(error.message).toContain('terraform state pull');
    });

    it.each([
      ['attributes: null', (i: Record<string, unknown>) => (i.attributes = null)],
      ['no attributes', (i: Record<string, unknown>) => delete i.attributes],
      ['attributes that are a list', (i: Record<string, unknown>) => (i.attributes = [])],
    ])('an instance with %s', (_, damage) => {
      const { text, entry, address } = damaged((r) => damage((r.instances as Record<string, unknown>[])[0] as Record<string, unknown>));
      const error = stateError(text, 'prod.tfstate');
      expect(error.message).toContain(`prod.tfstate: resource entry ${entry} (${address}), instance 1, has no attributes`);
    });

    it('an instance that is not an object', () => {
      const { text, entry, address } = damaged((r) => ((r.instances as unknown[])[0] = 'gone'));
      expect(stateError(text, 'prod.tfstate').message).toContain(`resource entry ${entry} (${address}), instance 1, has no attributes`);
    });

    it('reads a resource whose instances list is empty (older Terraform left such entries) as having none', () => {
      const { text, address } = damaged((r) => (r.instances = []));
      const state = parseState(text, 'prod.tfstate');
      expect(state.resources.some((r) => r.address === address)).toBe(false);
      expect(state.resources.length).toBeGreaterThan(0);
    });
  });
});
