// A root module and Terraform state that manage every object of a simulated account
// (test/aws/fake-aws/generate.ts), so a whole `driftwatch scan` of the account finds no drift
// until some is planted. The state is built from the account's own inventory in the shapes the
// AWS provider writes (inline security group rules, role inline_policy, S3 settings split into
// their v4 resources, cloned from the real-provider fixture the bucket template comes from).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LiveInventory, LiveResource } from '../src/resources/live-types.js';

const FIXTURES = path.resolve(import.meta.dirname, '../test/fixtures/real-provider');
/** The bucket generate.ts clones, and its split settings resources in the fixture's state. */
const TEMPLATE_BUCKET = 'granary-staging-exports';
const SPLIT_SETTINGS = ['aws_s3_bucket_versioning', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_policy'];
const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface StateResource {
  mode: 'managed';
  type: string;
  name: string;
  provider: string;
  instances: { schema_version: number; attributes: Json; sensitive_attributes: unknown[] }[];
}

/** Writes providers.tf, one .tf file per type (a block per resource) and terraform.tfstate into
 * `dir`; returns the number of state resources. */
export function writeSimulatedWorkspace(dir: string, inventory: LiveInventory): number {
  mkdirSync(dir, { recursive: true });
  const bucketTemplates = templateBucketResources();
  const resources: StateResource[] = [];
  const blocks = new Map<string, string[]>();
  const add = (type: string, name: string, attributes: Json, hcl: string): void => {
    resources.push({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }] });
    blocks.set(type, [...(blocks.get(type) ?? []), `resource "${type}" "${name}" {\n${hcl}}\n`]);
  };

  inventory.resources.forEach((live, i) => {
    const name = `${live.type.replace(/^aws_/, '')}_${i}`;
    const attributes: Json = { ...live.attributes, id: live.id };
    switch (live.type) {
      case 'aws_security_group':
        attributes.ingress = inlineRules(live, 'ingress');
        attributes.egress = inlineRules(live, 'egress');
        delete attributes.rules;
        add(live.type, name, attributes, `  name        = "${String(live.attributes.name)}"\n  description = "${String(live.attributes.description)}"\n${ruleBlocks(attributes)}`);
        return;
      case 'aws_iam_role':
        attributes.inline_policy = live.attributes.inline_policies;
        delete attributes.inline_policies;
        add(live.type, name, attributes, `  name = "${live.id}"\n`);
        return;
      case 'aws_s3_bucket': {
        const bucket = structuredClone(bucketTemplates.get('aws_s3_bucket'));
        Object.assign(bucket, {
          id: live.id,
          bucket: live.id,
          arn: `arn:aws:s3:::${live.id}`,
          bucket_domain_name: `${live.id}.s3.amazonaws.com`,
          bucket_regional_domain_name: `${live.id}.s3.${live.region}.amazonaws.com`,
        });
        add(live.type, name, bucket, `  bucket = "${live.id}"\n`);
        for (const type of SPLIT_SETTINGS) {
          const setting = { ...structuredClone(bucketTemplates.get(type)), id: live.id, bucket: live.id };
          add(type, name, setting, `  bucket = aws_s3_bucket.${name}.id\n`);
        }
        return;
      }
      case 'aws_instance':
        add(live.type, name, attributes, `  ami           = "${String(live.attributes.ami)}"\n  instance_type = "${String(live.attributes.instance_type)}"\n`);
        return;
      default:
        add(live.type, name, attributes, `  # ${live.id}\n`);
    }
  });

  const state = { version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'bench-simulated-account', outputs: {}, resources, check_results: null };
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(state));
  writeFileSync(path.join(dir, 'providers.tf'), 'provider "aws" {\n  region = "us-east-1"\n}\n');
  for (const [type, list] of blocks) writeFileSync(path.join(dir, `${type.replace(/^aws_/, '')}.tf`), list.join('\n'));
  return resources.length;
}

/** The template bucket's state attributes per resource type, from the fixture's state. */
function templateBucketResources(): Map<string, Json> {
  const state = JSON.parse(readFileSync(path.join(FIXTURES, 'count-foreach-modules', 'terraform.tfstate'), 'utf8'));
  const found = new Map<string, Json>();
  for (const resource of state.resources) {
    const instance = resource.instances.find((i: Json) => i.attributes.bucket === TEMPLATE_BUCKET);
    if (instance && (resource.type === 'aws_s3_bucket' || SPLIT_SETTINGS.includes(resource.type))) found.set(resource.type, instance.attributes);
  }
  return found;
}

/** A group's live rules as the provider stores inline ingress/egress blocks. */
function inlineRules(live: LiveResource, direction: 'ingress' | 'egress'): Json[] {
  const rules = (live.attributes.rules as Json[]).filter((rule) => rule.direction === direction);
  return rules.map((rule) => ({
    cidr_blocks: rule.cidr_ipv4 ? [rule.cidr_ipv4] : [],
    ipv6_cidr_blocks: rule.cidr_ipv6 ? [rule.cidr_ipv6] : [],
    prefix_list_ids: rule.prefix_list_id ? [rule.prefix_list_id] : [],
    security_groups: rule.referenced_security_group_id && rule.referenced_security_group_id !== live.id ? [rule.referenced_security_group_id] : [],
    self: rule.referenced_security_group_id === live.id,
    from_port: rule.from_port ?? 0,
    to_port: rule.to_port ?? 0,
    protocol: rule.protocol,
    description: rule.description ?? '',
  }));
}

/** The group's inline rules as `ingress` / `egress` blocks: a group whose configuration writes no
 * block of a direction leaves that direction's rules to other resources (the provider treats the
 * attribute as computed), and they would be unmanaged. */
function ruleBlocks(attributes: Json): string {
  const list = (values: string[]) => `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;
  let out = '';
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of attributes[direction] as Json[]) {
      out += `\n  ${direction} {\n    from_port   = ${rule.from_port}\n    to_port     = ${rule.to_port}\n    protocol    = ${JSON.stringify(rule.protocol)}\n`;
      if (rule.cidr_blocks.length > 0) out += `    cidr_blocks = ${list(rule.cidr_blocks)}\n`;
      if (rule.ipv6_cidr_blocks.length > 0) out += `    ipv6_cidr_blocks = ${list(rule.ipv6_cidr_blocks)}\n`;
      if (rule.prefix_list_ids.length > 0) out += `    prefix_list_ids = ${list(rule.prefix_list_ids)}\n`;
      if (rule.security_groups.length > 0) out += `    security_groups = ${list(rule.security_groups)}\n`;
      if (rule.self) out += '    self        = true\n';
      if (rule.description) out += `    description = ${JSON.stringify(rule.description)}\n`;
      out += '  }\n';
    }
  }
  return out;
}
