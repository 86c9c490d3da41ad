// A patch for one instance never changes the others: under count or for_each, a drift of some
// instances is written as a value picked by count.index or each.key (every other instance keeps
// what it had), a place every instance drifted the same way is rewritten for all, and what cannot
// be told apart (a module's instances) is explained. Values are checked by evaluating the patched
// configuration for every instance (evaluate-hcl.ts), independently of the engine.
import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPatchSet, loadPatchEngine } from '../../src/patch/build-patch-set.js';
import type { PatchEngine } from '../../src/patch/build-patch-set.js';
import type { PatchDirection, PatchSet } from '../../src/patch/types.js';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import type { PathStep, SourceFile } from '../../src/terraform/types.js';
import { gitApply } from './apply-check.js';
import { evaluator } from './evaluate-hcl.js';
import { target, type TargetSpec } from './helpers.js';

let engine: PatchEngine;
let parser: Parser;
beforeAll(async () => {
  engine = await loadPatchEngine();
  parser = engine.parser;
});

const DATABASES = `resource "aws_db_instance" "db" {
  count = 20

  identifier          = "orders-\${count.index}"
  instance_class      = "db.t3.micro"
  publicly_accessible = false
  storage_encrypted   = true
}
`;

const BUCKET_NAMES = Array.from({ length: 40 }, (_, i) => `b${String(i).padStart(2, '0')}`);

const BUCKETS = `resource "aws_s3_bucket_versioning" "data" {
  for_each = toset([${BUCKET_NAMES.map((name) => `"${name}"`).join(', ')}])

  bucket = each.key

  versioning_configuration {
    status = "Enabled"
  }
}
`;

const db = (i: number) => `aws_db_instance.db[${i}]`;
const allDatabases = Array.from({ length: 20 }, (_, i) => db(i));

async function patch(direction: PatchDirection, text: string, specs: TargetSpec[], path = 'main.tf'): Promise<{ set: PatchSet; files: SourceFile[] }> {
  const files: SourceFile[] = [{ path, text }];
  const model = buildHclModel(files, parser);
  const targets = specs.map((spec, i) => target(model, { fingerprint: `t${i + 1}`, ...spec }));
  return { set: await buildPatchSet({ direction, files, model, targets, engine }), files };
}

/** What every database instance declares at `path` in `text`. */
function perDatabase(text: string, path: PathStep[]): unknown[] {
  const config = evaluator(text);
  return Array.from({ length: 20 }, (_, i) => config.declared('aws_db_instance', 'db', path, { countIndex: i }) ?? null);
}

function mergedText(set: PatchSet, original: string): string {
  const applied = gitApply(set.files);
  return applied.get('main.tf') ?? original;
}

describe('accept under count and for_each', () => {
  it('changes one database of 20 without making the other 19 public', async () => {
    const { set } = await patch('accept', DATABASES, [
      { address: db(10), instances: allDatabases, changes: [{ path: 'publicly_accessible', declared: false, live: true }] },
    ]);
    const patched = set.patches[0];
    expect(patched?.status, patched?.note).toBe('edit');
    const after = mergedText(set, DATABASES);
    expect(after).toContain('publicly_accessible = count.index == 10 ? true : false');
    expect(perDatabase(after, ['publicly_accessible'])).toEqual(Array.from({ length: 20 }, (_, i) => i === 10));
    expect(patched?.note).toContain('aws_db_instance.db[10] only');
    expect(patched?.note).toContain('the other 19 instances of aws_db_instance.db keep false');
  });

  it('does not take an instance list that lacks the drifted instance as the whole story', async () => {
    const { set } = await patch('accept', DATABASES, [
      { address: db(10), instances: [], changes: [{ path: 'publicly_accessible', declared: false, live: true }] },
    ]);
    expect(perDatabase(mergedText(set, DATABASES), ['publicly_accessible'])).toEqual(Array.from({ length: 20 }, (_, i) => i === 10));
  });

  it("changes one bucket's versioning among 40, inside the nested block", async () => {
    const { set } = await patch('accept', BUCKETS, [
      { address: 'aws_s3_bucket_versioning.data["b07"]', changes: [{ path: 'versioning_configuration[0].status', declared: 'Enabled', live: 'Suspended' }] },
    ]);
    expect(set.patches[0]?.status, set.patches[0]?.note).toBe('edit');
    const after = mergedText(set, BUCKETS);
    expect(after).toContain('status = each.key == "b07" ? "Suspended" : "Enabled"');
    const config = evaluator(after);
    const statuses = BUCKET_NAMES.map((name) => config.declared('aws_s3_bucket_versioning', 'data', ['versioning_configuration', 0, 'status'], { eachKey: name }));
    expect(statuses).toEqual(BUCKET_NAMES.map((name) => (name === 'b07' ? 'Suspended' : 'Enabled')));
  });

  it('rewrites the shared literal when every instance drifted the same way', async () => {
    const { set } = await patch(
      'accept',
      DATABASES,
      allDatabases.map((address) => ({ address, instances: allDatabases, changes: [{ path: 'publicly_accessible', declared: false, live: true }] })),
    );
    expect(set.patches.every((entry) => entry.status === 'edit')).toBe(true);
    const after = mergedText(set, DATABASES);
    expect(after).toContain('publicly_accessible = true\n');
    expect(set.patches[0]?.note).toContain('Every one of the 20 instances of aws_db_instance.db drifted the same way');
  });

  it('gives each drifted instance its own value, and each drift a patch that changes its instance alone', async () => {
    const { set } = await patch('accept', DATABASES, [
      { address: db(3), instances: allDatabases, changes: [{ path: 'instance_class', declared: 'db.t3.micro', live: 'db.t3.large' }] },
      { address: db(10), instances: allDatabases, changes: [{ path: 'instance_class', declared: 'db.t3.micro', live: 'db.m5.large' }] },
      { address: db(12), instances: allDatabases, changes: [{ path: 'instance_class', declared: 'db.t3.micro', live: 'db.t3.large' }] },
    ]);
    expect(set.patches.map((entry) => entry.status)).toEqual(['edit', 'edit', 'edit']);
    const expected = (changed: Record<number, string>) => Array.from({ length: 20 }, (_, i) => changed[i] ?? 'db.t3.micro');
    const after = mergedText(set, DATABASES);
    expect(after).toContain('instance_class      = lookup({ "3" = "db.t3.large", "10" = "db.m5.large", "12" = "db.t3.large" }, count.index, "db.t3.micro")\n');
    expect(perDatabase(after, ['instance_class'])).toEqual(expected({ 3: 'db.t3.large', 10: 'db.m5.large', 12: 'db.t3.large' }));
    const own = set.patches.map((entry) => perDatabase(gitApply(entry.files).get('main.tf') ?? '', ['instance_class']));
    expect(own).toEqual([expected({ 3: 'db.t3.large' }), expected({ 10: 'db.m5.large' }), expected({ 12: 'db.t3.large' })]);
  });

  it('adds an instance to a per-instance value already written, keeping the others', async () => {
    const text = DATABASES.replace('publicly_accessible = false', 'publicly_accessible = count.index == 2 ? true : false');
    const { set } = await patch('accept', text, [
      { address: db(5), instances: allDatabases, changes: [{ path: 'publicly_accessible', declared: false, live: true }] },
      { address: db(2), instances: allDatabases, changes: [{ path: 'storage_encrypted', declared: true, live: false }] },
    ]);
    expect(set.patches.map((entry) => entry.status)).toEqual(['edit', 'edit']);
    const after = mergedText(set, text);
    expect(after).toContain('publicly_accessible = contains([2, 5], count.index) ? true : false');
    expect(perDatabase(after, ['publicly_accessible'])).toEqual(Array.from({ length: 20 }, (_, i) => i === 2 || i === 5));
    expect(perDatabase(after, ['storage_encrypted'])).toEqual(Array.from({ length: 20 }, (_, i) => i !== 2));
  });

  it('reads a per-instance value back for restore: apply reverts what the instance declares', async () => {
    const text = DATABASES.replace('publicly_accessible = false', 'publicly_accessible = count.index == 10 ? true : false');
    const { set } = await patch('restore', text, [
      { address: db(10), instances: allDatabases, changes: [{ path: 'publicly_accessible', declared: true, live: false }] },
      { address: db(4), instances: allDatabases, changes: [{ path: 'publicly_accessible', declared: false, live: true }] },
    ]);
    expect(set.patches.map((entry) => [entry.status, entry.note])).toEqual([
      ['none', '`publicly_accessible` is written as true (main.tf:6): the next apply reverts the live false.'],
      ['none', '`publicly_accessible` is written as false (main.tf:6): the next apply reverts the live true.'],
    ]);
  });

  it('explains a drift of some instances of a block inside a module with for_each', async () => {
    const files: SourceFile[] = [
      { path: 'main.tf', text: 'module "app" {\n  source   = "./modules/app"\n  for_each = toset(["a", "b"])\n}\n' },
      { path: 'modules/app/main.tf', text: 'resource "aws_instance" "this" {\n  ami           = "ami-1"\n  instance_type = "t3.micro"\n}\n' },
    ];
    const model = buildHclModel(files, parser);
    const instances = ['module.app["a"].aws_instance.this', 'module.app["b"].aws_instance.this'];
    const spec = (address: string) => ({ address, instances, changes: [{ path: 'instance_type', declared: 't3.micro', live: 't3.large' }] });
    const one = await buildPatchSet({ direction: 'accept', files, model, targets: [target(model, spec(instances[0] as string))], engine });
    expect(one.patches[0]?.status).toBe('explain');
    expect(one.patches[0]?.note).toContain('module "app" has for_each');
    expect(one.files).toEqual([]);
    const both = await buildPatchSet({ direction: 'accept', files, model, targets: instances.map((address, i) => target(model, { ...spec(address), fingerprint: `t${i}` })), engine });
    expect(both.patches.map((entry) => entry.status)).toEqual(['edit', 'edit']);
    expect(both.files[0]?.after).toContain('instance_type = "t3.large"');
  });
});

describe('restore pins under count', () => {
  it('pins the declared value for the drifted instance only; the others leave it unset', async () => {
    const { set } = await patch('restore', DATABASES, [
      { address: db(3), instances: allDatabases, changes: [{ path: 'storage_type', declared: 'gp3', live: 'io1' }] },
    ]);
    expect(set.patches[0]?.status, set.patches[0]?.note).toBe('edit');
    const after = mergedText(set, DATABASES);
    expect(after).toContain('storage_type        = count.index == 3 ? "gp3" : null');
    expect(perDatabase(after, ['storage_type'])).toEqual(Array.from({ length: 20 }, (_, i) => (i === 3 ? 'gp3' : null)));
  });

  it('explains a pin that would need a nested block for one instance', async () => {
    const { set } = await patch('restore', DATABASES, [
      { address: db(3), instances: allDatabases, changes: [{ path: 'restore_to_point_in_time[0].use_latest_restorable_time', declared: true, live: false }] },
    ]);
    expect(set.patches[0]?.status).toBe('explain');
    expect(set.patches[0]?.note).toContain('dynamic block');
    expect(set.files).toEqual([]);
  });
});

describe('set elements and whole resources under count, for_each and shared modules', () => {
  const GROUPS = `resource "aws_security_group" "web" {
  count = 2
  name  = "web-\${count.index}"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
`;
  const groups = ['aws_security_group.web[0]', 'aws_security_group.web[1]'];
  const ssh = { protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' };

  it('explains a rule added to one group of several, and writes it when every group has it', async () => {
    const spec = (address: string) => ({ address, instances: groups, remediation: 'aws ec2 revoke-security-group-ingress ...', changes: [{ path: 'ingress', declared: null, live: ssh }] });
    const one = await patch('accept', GROUPS, [spec(groups[0] as string)]);
    expect(one.set.patches[0]?.status).toBe('explain');
    expect(one.set.patches[0]?.note).toContain('aws_security_group.web[0] alone');
    expect(one.set.patches[0]?.remediation).not.toBeNull();
    const both = await patch('accept', GROUPS, groups.map(spec));
    expect(both.set.patches.map((entry) => entry.status)).toEqual(['edit', 'edit']);
    expect(both.set.patches[0]?.note).toContain('Every one of the 2 instances');
    expect(both.set.files[0]?.after.match(/ingress \{/g)).toHaveLength(2);
  });

  it('explains a policy attached to one role of a for_each, which the role list would give every role', async () => {
    const text = `resource "aws_iam_role" "app" {
  for_each = toset(["api", "worker"])

  name                = "app-\${each.key}"
  assume_role_policy  = "{}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}
`;
    const { set } = await patch('accept', text, [
      { address: 'aws_iam_role.app["api"]', changes: [{ path: 'managed_policy_arns', declared: null, live: 'arn:aws:iam::aws:policy/AdministratorAccess' }] },
    ]);
    expect(set.patches[0]?.status).toBe('explain');
    expect(set.patches[0]?.note).toContain('aws_iam_role.app["api"] alone');
    expect(set.files).toEqual([]);
  });

  it('explains a deleted resource whose block a second module call also declares', async () => {
    const files: SourceFile[] = [
      { path: 'main.tf', text: 'module "blue" {\n  source = "./modules/queue"\n}\n\nmodule "green" {\n  source = "./modules/queue"\n}\n' },
      { path: 'modules/queue/main.tf', text: 'resource "aws_sqs_queue" "this" {\n  name = "jobs"\n}\n' },
    ];
    const model = buildHclModel(files, parser);
    const instances = ['module.blue.aws_sqs_queue.this', 'module.green.aws_sqs_queue.this'];
    for (const known of [instances, null]) {
      const set = await buildPatchSet({ direction: 'accept', files, model, targets: [target(model, { kind: 'deleted', address: instances[0], instances: known })], engine });
      expect(set.patches[0]?.status).toBe('explain');
      expect(set.patches[0]?.note).toContain('modules/queue is called by 2 module blocks');
      expect(set.files).toEqual([]);
    }
  });
});

describe('a value that comes from a variable other resources read', () => {
  const SHARED = `variable "instance_class" {
  type    = string
  default = "db.t3.micro"
}

resource "aws_db_instance" "orders" {
  count          = 3
  identifier     = "orders-\${count.index}"
  instance_class = var.instance_class
}

resource "aws_db_instance" "billing" {
  identifier     = "billing"
  instance_class = var.instance_class
}

resource "aws_db_instance" "audit" {
  identifier     = "audit"
  instance_class = var.instance_class
}
`;

  it.each(['restore', 'accept'] as const)('%s: never edits the variable, and says how many resources read it and how to change one alone', async (direction) => {
    const orders = ['aws_db_instance.orders[0]', 'aws_db_instance.orders[1]', 'aws_db_instance.orders[2]'];
    const { set } = await patch(direction, SHARED, [
      { address: orders[1], instances: orders, changes: [{ path: 'instance_class', declared: 'db.t3.micro', live: 'db.r6g.large' }] },
    ]);
    expect(set.patches[0]?.status).toBe('explain');
    expect(set.files).toEqual([]);
    const note = set.patches[0]?.note ?? '';
    expect(note).toContain('3 resource blocks read it (aws_db_instance.orders with 3 instances, aws_db_instance.billing, aws_db_instance.audit)');
    expect(note).toContain('`count.index == 1 ? <value> : var.instance_class`');
  });
});

describe('several instances pinned or changed in one combined patch', () => {
  it('writes one attribute that picks each instance its value, not the attribute twice', async () => {
    const text = 'resource "aws_sqs_queue" "jobs" {\n  for_each = toset(["blue", "green"])\n\n  name = "jobs-${each.key}"\n}\n';
    const { set } = await patch('restore', text, [
      { address: 'aws_sqs_queue.jobs["blue"]', changes: [{ path: 'delay_seconds', declared: 5, live: 0 }, { path: 'fifo_queue', declared: false, live: true }] },
      { address: 'aws_sqs_queue.jobs["green"]', changes: [{ path: 'delay_seconds', declared: 30, live: 0 }] },
    ]);
    expect(set.patches.map((entry) => entry.status)).toEqual(['edit', 'edit']);
    const after = mergedText(set, text);
    expect(after.match(/delay_seconds/g)).toHaveLength(1);
    const config = evaluator(after);
    expect(['blue', 'green'].map((key) => config.declared('aws_sqs_queue', 'jobs', ['delay_seconds'], { eachKey: key }))).toEqual([5, 30]);
  });
});
