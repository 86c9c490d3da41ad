import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/drift/types.js';
import type { WorkspaceReport } from '../../src/repository/types.js';
import type { ReportDrift } from '../../src/report/types.js';
import { configCheckRun } from '../../src/surfaces/config-check-run.js';
import { desiredCheckRun, type CheckRunInput } from '../../src/surfaces/desired-check-run.js';
import { changedLineRanges, type LineRange } from '../../src/surfaces/patch-line-ranges.js';
import { bucketDeleted, hostileDrift, imdsReenabled, partial, quiet, resultWith, sshWorldOpen, tagsOnly, unmanagedInstance } from '../report/fixtures/scan-results.js';
import { expectInert, PAYLOADS } from '../report/markdown-structure.js';
import { disabledReport, failedReport, kilnReport } from './fixtures/reports.js';
import { SHOP_SECRET, shopReport } from './fixtures/shop-report.js';

const HEAD = '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f';
const encoder = new TextEncoder();

function run(overrides: Partial<CheckRunInput> = {}) {
  return desiredCheckRun({ headSha: HEAD, reports: [kilnReport()], failOn: 'high', changedLines: new Map(), ...overrides });
}

/** The pull request changes these lines of a file (repository-relative). */
function changing(file: string, ...ranges: LineRange[]): Map<string, LineRange[]> {
  return new Map([[file, ranges]]);
}

describe('desiredCheckRun', () => {
  it('is the "driftwatch" check on the head commit with the fix and rescan buttons', () => {
    const check = run();
    expect(check).toMatchObject({ name: 'driftwatch', headSha: HEAD });
    expect(check.actions).toEqual([
      { label: 'Open fix PR', description: 'A restore pull request for these drifts', identifier: 'fix' },
      { label: 'Rescan', description: 'Scan these workspaces again', identifier: 'rescan' },
    ]);
    for (const action of check.actions) {
      expect(action.label.length).toBeLessThanOrEqual(20);
      expect(action.description.length).toBeLessThanOrEqual(40);
    }
    expect(run({ reports: [kilnReport({}, quiet)] }).actions.map((action) => action.identifier)).toEqual(['rescan']);
  });

  it.each<[string, Severity | 'none', WorkspaceReport[], string]>([
    ['a drift at fail_on fails', 'high', [kilnReport({}, resultWith([imdsReenabled]))], 'failure'],
    ['a drift above fail_on fails', 'high', [kilnReport({}, resultWith([sshWorldOpen]))], 'failure'],
    ['drift only below fail_on is neutral', 'high', [kilnReport({}, resultWith([unmanagedInstance, tagsOnly]))], 'neutral'],
    ['fail_on low fails on any drift', 'low', [kilnReport({}, resultWith([tagsOnly]))], 'failure'],
    ['fail_on none never fails on drift', 'none', [kilnReport({}, resultWith([sshWorldOpen]))], 'neutral'],
    ['no drift succeeds', 'high', [kilnReport({}, quiet)], 'success'],
    ['no drift in a partial scan is neutral: the rest is unknown', 'high', [kilnReport({}, { ...partial, drifts: [], summary: { critical: 0, high: 0, medium: 0, low: 0 } })], 'neutral'],
    ['a workspace that could not be scanned fails, drift or not', 'critical', [kilnReport({}, quiet), failedReport('kiln-dr', 'The state s3://kiln-tfstate/dr.tfstate could not be read: AccessDenied')], 'failure'],
    ['a disabled workspace changes nothing', 'high', [kilnReport({}, quiet), disabledReport('legacy')], 'success'],
    ['no workspace touched succeeds', 'high', [], 'success'],
  ])('%s', (_name, failOn, reports, conclusion) => {
    const check = run({ failOn, reports });
    expect(check.conclusion).toBe(conclusion);
    expect(check.conclusion).not.toBe('action_required');
  });

  it('titles the run with its counts, plain and within 255 characters', () => {
    expect(run().output.title).toBe('5 drifts (1 critical, 2 high, 1 medium, 1 low)');
    expect(run({ reports: [kilnReport({}, quiet)] }).output.title).toBe('No drift');
    expect(run({ reports: [failedReport('kiln-dr', 'x')] }).output.title).toBe('Could not scan kiln-dr');
    const many = Array.from({ length: 40 }, (_, index) => failedReport(`workspace-with-a-long-name-${index}`, 'x'));
    expect(run({ reports: many }).output.title.length).toBeLessThanOrEqual(255);
  });

  it('renders the summary and the text', async () => {
    const check = run({ reports: [kilnReport(), failedReport('kiln-dr', 'The state s3://kiln-tfstate/dr.tfstate could not be read: AccessDenied. Give the role driftwatch-reader s3:GetObject on it.'), kilnReport({ workspace: 'kiln-staging', dir: 'infra/staging' }, { ...partial, workspace: 'kiln-staging' })], changedLines: changing('infra/kiln/security.tf', { start: 64, end: 65 }) });
    await expect(`${check.output.summary}\n`).toMatchFileSnapshot('__snapshots__/check-summary.md');
    await expect(`${check.output.text}\n`).toMatchFileSnapshot('__snapshots__/check-text.md');
  });

  it('says why a workspace could not be scanned and what to fix, and what a partial scan could not read', () => {
    const check = run({ reports: [failedReport('kiln-dr', 'The state s3://kiln-tfstate/dr.tfstate could not be read: AccessDenied. Give the role driftwatch-reader s3:GetObject on it.'), kilnReport({}, partial)] });
    expect(check.output.summary).toContain('**`kiln-dr` could not be scanned.**\n\n```text\nThe state s3://kiln-tfstate/dr.tfstate could not be read: AccessDenied. Give the role driftwatch-reader s3:GetObject on it.\n```');
    expect(check.output.text).toContain('### Not read');
    expect(check.output.text).toContain("To fix: give driftwatch's role the read-only permissions in `docs/iam-policy.json`, then press Rescan.");
  });

  describe('annotations', () => {
    it('go on the first line of each drifted block, repository-relative, at the level of its severity', () => {
      const annotations = run().annotations;
      expect(annotations.map((a) => [a.path, a.start_line, a.end_line, a.annotation_level])).toEqual([
        ['infra/kiln/security.tf', 64, 64, 'failure'],
        ['infra/kiln/s3.tf', 5, 5, 'failure'],
        ['infra/kiln/compute.tf', 3, 3, 'failure'],
        ['infra/kiln/security.tf', 4, 4, 'notice'],
      ]);
    });

    it.each<[Severity, string]>([
      ['critical', 'failure'],
      ['high', 'failure'],
      ['medium', 'warning'],
      ['low', 'notice'],
    ])('a %s drift is a %s annotation', (severity, level) => {
      const [annotation] = run({ reports: [kilnReport({}, resultWith([{ ...tagsOnly, severity }]))] }).annotations;
      expect(annotation?.annotation_level).toBe(level);
    });

    it('skip unmanaged resources (in no file) and blocks outside the repository', () => {
      const outside = { ...imdsReenabled, location: { file: '../../../shared/compute.tf', line: 3 } };
      expect(run({ reports: [kilnReport({}, resultWith([unmanagedInstance, outside]))] }).annotations).toEqual([]);
    });

    it('are plain text: no Markdown escapes, no control characters', () => {
      const drift = { ...sshWorldOpen, title: 'Opened to *everyone* (0.0.0.0/0)\u001b[31m on port 22\u0007' };
      const [annotation] = run({ reports: [kilnReport({}, resultWith([drift]))] }).annotations;
      expect(annotation?.message).toContain('Opened to *everyone* (0.0.0.0/0) on port 22.');
      expect(annotation?.message).toContain('Changed by alice via ModifySecurityGroupRules at 2025-05-02T08:41:17Z from 198.51.100.23 (console).');
      // eslint-disable-next-line no-control-regex -- control characters are what must not get through
      expect(annotation?.message).not.toMatch(/\\|[\u0000-\u0008\u001b]/);
      expect(annotation?.title).toBe('[CRITICAL] aws_vpc_security_group_ingress_rule.worker_ssh drifted outside Terraform');
      expect(annotation?.raw_details).toBe(
        'aws_vpc_security_group_ingress_rule.worker_ssh cidr_ipv4: declared 10.20.0.0/16, live 0.0.0.0/0\naws_vpc_security_group_ingress_rule.worker_ssh description: declared SSH from the bastion network, live temp: vendor debug, ask @kiln/oncall (#1432)',
      );
    });

    it('keep message and raw details within 64 KB and the title within 255 characters', () => {
      const huge = '🙂'.repeat(40_000);
      const drift = { ...sshWorldOpen, address: `aws_security_group.${'x'.repeat(300)}`, title: huge, changes: [{ path: 'description', declared: huge, live: huge }] };
      const [annotation] = run({ reports: [kilnReport({}, resultWith([drift]))] }).annotations;
      expect(encoder.encode(annotation!.message).length).toBeLessThanOrEqual(65_536);
      expect(encoder.encode(annotation!.raw_details!).length).toBeLessThanOrEqual(65_536);
      expect(annotation!.title.length).toBeLessThanOrEqual(255);
      expect(annotation!.message.endsWith('…')).toBe(true);
    });

    it('merge the drifts of one block into one annotation at the most severe level', () => {
      const second: ReportDrift = { ...tagsOnly, address: imdsReenabled.address, location: imdsReenabled.location, fingerprint: 'e'.repeat(64) };
      const annotations = run({ reports: [kilnReport({}, resultWith([second, imdsReenabled]))] }).annotations;
      expect(annotations).toHaveLength(1);
      expect(annotations[0]).toMatchObject({ path: 'infra/kiln/compute.tf', start_line: 3, annotation_level: 'failure', title: '[HIGH] aws_instance.worker and 1 more drifted outside Terraform' });
    });
  });

  describe('when the pull request edits a block that drifted', () => {
    const rule = { ...sshWorldOpen, location: { file: 'security.tf', line: 64, endLine: 71 } };

    it.each<[string, LineRange[], boolean]>([
      ['a line inside it', [{ start: 66, end: 66 }], true],
      ['its first line', [{ start: 64, end: 64 }], true],
      ['its closing line', [{ start: 71, end: 71 }], true],
      ['a range around it', [{ start: 1, end: 200 }], true],
      ['only the line after it', [{ start: 72, end: 80 }], false],
      ['only lines before it', [{ start: 50, end: 63 }], false],
    ])('changing %s collides: %s', (_name, ranges, collides) => {
      const [annotation] = run({ reports: [kilnReport({}, resultWith([rule]))], changedLines: changing('infra/kiln/security.tf', ...ranges) }).annotations;
      expect(annotation?.message.startsWith('Applying this PR will revert a live change:')).toBe(collides);
    });

    it('says what changed, by whom, via which event and when, on the first changed line of the block', () => {
      const check = run({ reports: [kilnReport({}, resultWith([rule]))], changedLines: changing('infra/kiln/security.tf', { start: 60, end: 60 }, { start: 67, end: 68 }) });
      const [annotation] = check.annotations;
      expect(annotation).toMatchObject({ path: 'infra/kiln/security.tf', start_line: 67, end_line: 67, annotation_level: 'failure', title: 'Applying this PR reverts a live change to aws_vpc_security_group_ingress_rule.worker_ssh' });
      expect(annotation?.message.split('\n')[0]).toBe(
        'Applying this PR will revert a live change: cidr_ipv4: 10.20.0.0/16 → 0.0.0.0/0, description: SSH from the bastion network → temp: vendor debug, ask @kiln/oncall (#1432) changed by alice via ModifySecurityGroupRules on 2025-05-02.',
      );
      expect(check.output.title).toBe('1 drift (1 critical) · applying this PR reverts 1 live change');
      expect(check.output.summary).toContain('> **Applying this pull request will revert a live change.**');
      expect(check.output.summary).toContain('> - `infra/kiln/security.tf:67` `aws_vpc_security_group_ingress_rule.worker_ssh`: Applying this PR will revert a live change:');
    });

    it('says "by an unknown actor" without attribution', () => {
      const [annotation] = run({ reports: [kilnReport({}, resultWith([{ ...bucketDeleted, attribution: null, location: { file: 's3.tf', line: 5, endLine: 9 } }]))], changedLines: changing('infra/kiln/s3.tf', { start: 7, end: 7 }) }).annotations;
      expect(annotation?.message.split('\n')[0]).toBe('Applying this PR will revert a live change: aws_s3_bucket.artifacts was deleted outside Terraform changed by an unknown actor.');
    });

    it('finds the collision in a real scan of the pull request head with the patch GitHub gives', async () => {
      // The head of a pull request that edits the web security group, whose live copy gained SSH from anywhere.
      const head = readFileSync(path.resolve(import.meta.dirname, '../../examples/shop/network.tf'), 'utf8').replace('description = "HTTPS from anywhere"', 'description = "HTTPS from anywhere (ALB)"');
      const report = await shopReport({ files: { 'network.tf': head } });
      const patch = '@@ -5,7 +5,7 @@ resource "aws_security_group" "web" {\n   vpc_id      = "vpc-0a1b2c3d4e5f60718"\n \n   ingress {\n-    description = "HTTPS from anywhere"\n+    description = "HTTPS from anywhere (ALB)"\n     from_port   = 443\n     to_port     = 443\n     protocol    = "tcp"';
      const check = desiredCheckRun({ headSha: HEAD, reports: [report], failOn: 'high', changedLines: changedLineRanges([{ filename: 'examples/shop/network.tf', status: 'modified', patch, changes: 2 }]) });
      const collisions = check.annotations.filter((annotation) => annotation.title.startsWith('Applying this PR'));
      expect(collisions).toHaveLength(1);
      expect(collisions[0]).toMatchObject({ path: 'examples/shop/network.tf', start_line: 8, end_line: 8, annotation_level: 'failure' });
      expect(collisions[0]?.message.split('\n')[0]).toMatch(/^Applying this PR will revert a live change: ingress: \(absent\) → \{"protocol":"tcp","from_port":22,.* changed by an unknown actor\.$/);
      expect(check.annotations.map((annotation) => annotation.path)).toContain('examples/shop/storage.tf');
    });
  });

  it('keeps summary and text within 65,535 characters, with a note, for thousands of drifts', () => {
    const many: ReportDrift[] = Array.from({ length: 4_000 }, (_, index) => ({ ...tagsOnly, address: `aws_security_group.sg_${index}`, fingerprint: index.toString(16).padStart(64, '0'), location: { file: 'security.tf', line: index + 1 } }));
    const check = run({ reports: [kilnReport({}, resultWith(many))], changedLines: changing('infra/kiln/security.tf', { start: 1, end: 4_000 }) });
    expect(check.output.summary.length).toBeLessThanOrEqual(65_535);
    expect(check.output.text.length).toBeLessThanOrEqual(65_535);
    expect(check.output.text).toContain("> This text was cut to fit GitHub's limit.");
    expect(check.annotations).toHaveLength(4_000);
  });

  it('never shows a secret from the state, in any field', async () => {
    const shop = await shopReport();
    const drifts = shop.result!.drifts.map((drift) => ({ ...drift, title: `${drift.title} ${SHOP_SECRET}`, attribution: { ...sshWorldOpen.attribution!, actor: `ops-${SHOP_SECRET}` }, changes: drift.changes.map((change) => ({ ...change, live: `x${SHOP_SECRET}` })) }));
    const report = { ...shop, result: { ...shop.result!, drifts, unknown: [{ type: 'aws_db_instance', reason: `AccessDenied ${SHOP_SECRET}` }] } };
    const check = desiredCheckRun({ headSha: HEAD, reports: [report, failedReport('other', `bad password ${SHOP_SECRET}`, { secrets: [SHOP_SECRET] })], failOn: 'high', changedLines: changing('examples/shop/network.tf', { start: 1, end: 100 }) });
    expect(JSON.stringify(check)).not.toContain(SHOP_SECRET);
    expect(JSON.stringify(check)).toContain('(sensitive)');
  });

  describe.each(PAYLOADS)('with cloud data %j everywhere', (payload) => {
    function hostile(text: string) {
      const drift = hostileDrift(text, { attribution: { ...sshWorldOpen.attribution!, actor: text, eventName: text }, location: { file: 'security.tf', line: 4 } });
      return run({ reports: [kilnReport({}, resultWith([drift, { ...unmanagedInstance, type: text, id: text }], { status: 'partial', unknown: [{ type: text, reason: text }] })), failedReport('kiln-dr', text)], changedLines: changing('infra/kiln/security.tf', { start: 4, end: 4 }) });
    }

    it('renders it inert in the summary and the text', () => {
      const check = hostile(payload);
      const benign = hostile('benign');
      expectInert(check.output.summary, benign.output.summary);
      expectInert(check.output.text, benign.output.text);
    });
  });
});

describe('configCheckRun', () => {
  const errors = [
    { file: '.github/driftwatch.yml', line: 7, field: 'workspaces[0].schedule', message: 'expected a five-field cron expression such as "0 6 * * 1-5"' },
    { file: '.github/driftwatch.yml', line: null, field: 'notify.slack.channel', message: 'channel "@oncall" is not one the server knows: set DRIFTWATCH_SLACK_WEBHOOK_ONCALL' },
  ];

  it('fails "driftwatch config" on the commit, naming file, line and field', () => {
    const check = configCheckRun({ headSha: HEAD, errors });
    expect(check).toMatchObject({ name: 'driftwatch config', headSha: HEAD, conclusion: 'failure', actions: [] });
    expect(check.output.title).toBe('.github/driftwatch.yml is not valid: 2 problems');
    expect(check.output.summary).toContain('- `.github/driftwatch.yml:7` `workspaces[0].schedule`: expected a five-field cron expression such as "0 6 \\* \\* 1-5"');
    expect(check.output.summary).toContain('- `.github/driftwatch.yml` `notify.slack.channel`: channel "@\u200doncall" is not one the server knows');
    expect(check.output.summary).toContain('so no scan runs until it is fixed');
    expect(check.output.text).toContain('Fix the file and push');
    expect(check.annotations).toEqual([
      { path: '.github/driftwatch.yml', start_line: 7, end_line: 7, annotation_level: 'failure', title: 'Invalid workspaces[0].schedule', message: 'expected a five-field cron expression such as "0 6 * * 1-5"' },
      { path: '.github/driftwatch.yml', start_line: 1, end_line: 1, annotation_level: 'failure', title: 'Invalid notify.slack.channel', message: 'channel "@oncall" is not one the server knows: set DRIFTWATCH_SLACK_WEBHOOK_ONCALL' },
    ]);
  });

  it('renders its summary', async () => {
    await expect(`${configCheckRun({ headSha: HEAD, errors }).output.summary}\n`).toMatchFileSnapshot('__snapshots__/config-check-summary.md');
  });
});
