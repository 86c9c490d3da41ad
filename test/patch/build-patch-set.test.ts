// Behaviour of buildPatchSet beyond the corpus: what is never written or shown, how drifts of
// one file combine, new files, and the statuses for what cannot be edited.
import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPatchSet, loadPatchEngine } from '../../src/patch/build-patch-set.js';
import type { PatchEngine } from '../../src/patch/build-patch-set.js';
import { parseHcl2 } from '../../src/patch/hcl2-parse.js';
import type { PatchDirection, PatchTarget } from '../../src/patch/types.js';
import type { SourceFile } from '../../src/terraform/types.js';
import { gitApply } from './apply-check.js';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { target, type TargetSpec } from './helpers.js';

let engine: PatchEngine;
let parser: Parser;
beforeAll(async () => {
  engine = await loadPatchEngine();
  parser = engine.parser;
});

const MAIN = `terraform {
  required_version = ">= 1.5.0"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "hunter2-not-real"
}

resource "aws_db_instance" "main" {
  identifier     = "orders"
  instance_class = "db.t3.micro"
  password       = var.db_password
  master_note    = "literal-secret-looking-value"
}

resource "aws_iam_policy" "home" {
  name = "home-dirs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:*"
      Resource = "arn:aws:s3:::homes/$\${aws:username}/*"
    }]
  })
}

resource "aws_iam_role_policy" "home_legacy" {
  name = "home-legacy"
  role = "app"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::homes/$\${aws:username}/*" }
  ]
}
EOF
}
`;

async function run(direction: PatchDirection, specs: TargetSpec[], files: SourceFile[] = [{ path: 'main.tf', text: MAIN }]) {
  const model = buildHclModel(files, parser);
  const targets: PatchTarget[] = specs.map((spec, i) => target(model, { fingerprint: `t${i + 1}`, ...spec }));
  return { set: await buildPatchSet({ direction, files, model, targets, engine }), files };
}

describe('buildPatchSet', () => {
  it('never writes or shows a redacted value, nor the value of a variable', async () => {
    for (const direction of ['restore', 'accept'] as const) {
      const { set } = await run(direction, [
        {
          address: 'aws_db_instance.main',
          changes: [
            { path: 'password', declared: '(sensitive)', live: '(sensitive)' },
            { path: 'master_note', declared: 'literal-secret-looking-value', live: '(sensitive)' },
            { path: 'master_user_secret_kms_key_id', declared: '(sensitive)', live: null },
          ],
        },
      ]);
      const everything = JSON.stringify(set);
      expect(everything).not.toContain('hunter2-not-real');
      for (const file of set.files) expect(file.after).not.toContain('(sensitive)');
      const patch = set.patches[0];
      expect(patch?.status).toBe('explain');
      expect(patch?.note).toContain('`password`');
    }
  });

  it('escapes IAM policy variables when it rewrites heredoc and jsonencode policies', async () => {
    const live = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::homes/${aws:username}/*' }],
    });
    const { set } = await run('accept', [
      { address: 'aws_iam_policy.home', changes: [{ path: 'policy', declared: '{}', live }] },
      { address: 'aws_iam_role_policy.home_legacy', changes: [{ path: 'policy', declared: '{}', live }] },
    ]);
    expect(set.patches.map((patch) => patch.status)).toEqual(['edit', 'edit']);
    const after = set.files[0]?.after ?? '';
    expect(after).toContain('"arn:aws:s3:::homes/$${aws:username}/*"');
    const parsed = parseHcl2(after) as { resource: { aws_iam_role_policy: { home_legacy: { policy: string }[] } } };
    const heredoc = JSON.parse(parsed.resource.aws_iam_role_policy.home_legacy[0]?.policy ?? '{}') as { Statement: { Resource: string }[] };
    expect(heredoc.Statement[0]?.Resource).toBe('arn:aws:s3:::homes/${aws:username}/*');
  });

  it('merges several drifts of one file into one FileEdit, while each drift keeps its own standalone diff', async () => {
    const { set, files } = await run('accept', [
      { address: 'aws_db_instance.main', changes: [{ path: 'instance_class', declared: 'db.t3.micro', live: 'db.t3.large' }] },
      { address: 'aws_iam_policy.home', changes: [{ path: 'name', declared: 'home-dirs', live: 'home-directories' }] },
    ]);
    expect(set.files.map((file) => file.path)).toEqual(['main.tf']);
    const merged = set.files[0]?.after ?? '';
    expect(merged).toContain('instance_class = "db.t3.large"');
    expect(merged).toContain('name = "home-directories"');
    for (const patch of set.patches) {
      expect(patch.files).toHaveLength(1);
      expect(patch.files[0]?.before).toBe(files[0]?.text);
      expect(gitApply(patch.files).get('main.tf')).toBe(patch.files[0]?.after);
    }
    expect(set.patches[0]?.files[0]?.after).not.toContain('home-directories');
  });

  it('creates driftwatch_imports.tf when it does not exist, and adds to it for every unmanaged resource', async () => {
    const bucket = (name: string) => ({
      kind: 'unmanaged' as const,
      type: 'aws_s3_bucket',
      id: name,
      remediation: `aws s3 rb s3://${name}`,
      generated: { type: 'aws_s3_bucket', name: name.replace(/-/g, '_'), importId: name, attributes: { bucket: name }, blocks: {} },
    });
    const { set } = await run('accept', [bucket('stray-one'), bucket('stray-two')]);
    expect(set.files.map((file) => file.path)).toEqual(['driftwatch_imports.tf']);
    const created = set.files[0];
    expect(created?.before).toBe('');
    expect(created?.diff).toContain('--- /dev/null');
    expect(created?.after.match(/^import \{/gm)).toHaveLength(2);
    expect(created?.after).toContain('\n}\n\nimport {\n');
    expect(gitApply(set.files).get('driftwatch_imports.tf')).toBe(created?.after);
    expect(parseHcl2(created?.after ?? '')).not.toBeNull();
  });

  it('explains instead of editing when the configuration already differs from the state', async () => {
    const { set } = await run('restore', [
      { address: 'aws_db_instance.main', changes: [{ path: 'instance_class', declared: 'db.t3.small', live: 'db.t3.large' }] },
    ]);
    expect(set.patches[0]?.status).toBe('explain');
    expect(set.patches[0]?.note).toContain('pending change');
    expect(set.files).toEqual([]);
  });

  it.each([
    ['a block that is not in the configuration', { address: 'aws_db_instance.gone', changes: [{ path: 'instance_class', declared: 'a', live: 'b' }] }, 'no block in the configuration declares it'],
    ['a path that cannot be read', { address: 'aws_db_instance.main', changes: [{ path: 'tags[', declared: 'a', live: 'b' }] }, 'could not be read'],
    ['a value written by a variable', { address: 'aws_db_instance.main', changes: [{ path: 'password', declared: 'x', live: 'y' }] }, 'variable "db_password"'],
  ] as [string, TargetSpec, string][])('explains %s', async (_label, spec, phrase) => {
    for (const direction of ['restore', 'accept'] as const) {
      const { set } = await run(direction, [spec]);
      expect(set.patches[0]?.status).toBe('explain');
      expect(set.patches[0]?.note).toContain(phrase);
      expect(set.patches[0]?.files).toEqual([]);
    }
  });

  it('explains, without editing, when the file of the resource does not parse', async () => {
    const broken = `${MAIN}\nresource "aws_sqs_queue" "q" {\n  name = "q"\n`;
    for (const direction of ['restore', 'accept'] as const) {
      const { set } = await run(direction, [{ address: 'aws_db_instance.main', changes: [{ path: 'storage_encrypted', declared: true, live: false }] }], [
        { path: 'main.tf', text: broken },
      ]);
      expect(set.patches[0]?.status).toBe('explain');
      expect(set.patches[0]?.note).toContain('main.tf:');
      expect(set.patches[0]?.note).toContain('fix the syntax error first');
      expect(set.files).toEqual([]);
    }
  });

  it('writes a URL-encoded live policy (as IAM returns it) as the decoded document', async () => {
    const live = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] }));
    const { set } = await run('accept', [{ address: 'aws_iam_role_policy.home_legacy', changes: [{ path: 'policy', declared: '{}', live }] }]);
    expect(set.patches[0]?.status).toBe('edit');
    const after = set.files[0]?.after ?? '';
    expect(after).toContain('"Effect": "Deny"');
    expect(after).not.toContain('%7B');
  });

  it('removes only the source that is gone when an inline rule block also names other groups', async () => {
    const text = `resource "aws_security_group" "db" {
  name = "db"

  ingress {
    from_port       = 3306
    to_port         = 3306
    protocol        = "tcp"
    security_groups = [aws_security_group.web.id]
    self            = true
  }
}
`;
    const { set } = await run(
      'accept',
      [{ address: 'aws_security_group.db', changes: [{ path: 'ingress', declared: { protocol: 'tcp', from_port: 3306, to_port: 3306, self: true }, live: null }] }],
      [{ path: 'sg.tf', text }],
    );
    expect(set.patches[0]?.status).toBe('edit');
    const after = set.files[0]?.after ?? '';
    expect(after).toContain('security_groups = [aws_security_group.web.id]');
    expect(after).not.toContain('self');
  });

  describe('a secret from the state written literally in a .tf file', () => {
    const LEGACY = `resource "aws_db_instance" "legacy" {
  identifier          = "legacy"
  instance_class      = "db.t3.micro"
  username            = "admin"
  password            = "Legacy-Pa55-literal"
  publicly_accessible = false
  storage_encrypted   = true
  multi_az            = false
  deletion_protection = true
}
`;
    const SECRET = 'Legacy-Pa55-literal';
    const files: SourceFile[] = [{ path: 'db.tf', text: LEGACY }];

    async function accept(specs: TargetSpec[]) {
      const model = buildHclModel(files, parser);
      const targets = specs.map((spec, i) => target(model, { fingerprint: `t${i + 1}`, ...spec }));
      return buildPatchSet({ direction: 'accept', files, model, targets, engine, secrets: [SECRET] });
    }

    it('is never shown: a diff that would need its line as context is not offered, and the note says why and what to do', async () => {
      const set = await accept([{ address: 'aws_db_instance.legacy', changes: [{ path: 'username', declared: 'admin', live: 'root' }] }]);
      const patch = set.patches[0];
      expect(patch?.status).toBe('explain');
      expect(patch?.files).toEqual([]);
      expect(set.files).toEqual([]);
      expect(patch?.note).toContain('db.tf:5');
      expect(patch?.note).toContain('sensitive');
      expect(patch?.note).toContain('var.password');
      expect(JSON.stringify(set)).not.toContain(SECRET);
    });

    it('stays out of the context of a nearby edit, whose diff still applies', async () => {
      const set = await accept([
        { address: 'aws_db_instance.legacy', changes: [{ path: 'publicly_accessible', declared: false, live: true }] },
      ]);
      expect(set.patches[0]?.status).toBe('edit');
      for (const diff of [...set.patches.flatMap((patch) => patch.files), ...set.files].map((file) => file.diff)) {
        expect(diff).toContain('+  publicly_accessible = true');
        expect(diff).not.toContain(SECRET);
      }
      expect(gitApply(set.files).get('db.tf')).toBe(LEGACY.replace('publicly_accessible = false', 'publicly_accessible = true'));
    });

    it('stays out of the merged diff when edits on both sides of it would join into one hunk', async () => {
      const set = await accept([
        { address: 'aws_db_instance.legacy', changes: [{ path: 'instance_class', declared: 'db.t3.micro', live: 'db.t3.large' }] },
        { address: 'aws_db_instance.legacy', fingerprint: 't9', changes: [{ path: 'storage_encrypted', declared: true, live: false }] },
      ]);
      expect(set.patches.map((patch) => patch.status)).toEqual(['edit', 'edit']);
      const merged = set.files[0];
      expect(merged?.diff).not.toContain(SECRET);
      expect(merged?.diff.match(/^@@/gm)).toHaveLength(2);
      expect(gitApply(set.files).get('db.tf')).toBe(merged?.after);
    });
  });

  it('does not change its inputs', async () => {
    const files: SourceFile[] = [{ path: 'main.tf', text: MAIN }];
    const model = buildHclModel(files, parser);
    const targets = [target(model, { address: 'aws_db_instance.main', changes: [{ path: 'instance_class', declared: 'db.t3.micro', live: 'db.t3.large' }] })];
    const snapshot = JSON.stringify({ files, model, targets });
    await buildPatchSet({ direction: 'accept', files, model, targets, engine });
    expect(JSON.stringify({ files, model, targets })).toBe(snapshot);
  });

  it('gives the same patches on every run', async () => {
    const specs: TargetSpec[] = [
      { address: 'aws_db_instance.main', changes: [{ path: 'storage_encrypted', declared: true, live: false }] },
      { kind: 'unmanaged', type: 'aws_s3_bucket', id: 'x', generated: { type: 'aws_s3_bucket', name: 'x', importId: 'x', attributes: { bucket: 'x' }, blocks: {} } },
    ];
    expect((await run('accept', specs)).set).toEqual((await run('accept', specs)).set);
    expect((await run('restore', specs)).set).toEqual((await run('restore', specs)).set);
  });
});
