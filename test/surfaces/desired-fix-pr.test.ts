import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PatchSet } from '../../src/patch/types.js';
import type { WorkspaceReport } from '../../src/repository/types.js';
import type { ReportDrift } from '../../src/report/types.js';
import { desiredFixPr, type FixPrPlan } from '../../src/surfaces/desired-fix-pr.js';
import { parseMarker, withoutMarker } from '../../src/surfaces/marker.js';
import type { DesiredFixPr } from '../../src/surfaces/types.js';
import { hostileDrift, imdsReenabled, resultWith, sshWorldOpen } from '../report/fixtures/scan-results.js';
import { expectInert, PAYLOADS } from '../report/markdown-structure.js';
import { failedReport, kilnReport } from './fixtures/reports.js';
import { SHOP_DIR, SHOP_SECRET, shopReport } from './fixtures/shop-report.js';

const SHOP = path.resolve(import.meta.dirname, '../..', SHOP_DIR);
const original = (file: string) => (existsSync(path.join(SHOP, file)) ? readFileSync(path.join(SHOP, file), 'utf8') : '');

type Resources = { type: string; id: string; attributes: Record<string, unknown> }[];

/** Changes made in the console that a restore can only undo by pinning a value the blocks leave
 * out: multi_az on the database, detailed monitoring on web[0]. */
function pinnedDrifts(resources: Resources): void {
  const db = resources.find((resource) => resource.type === 'aws_db_instance');
  const web0 = resources.find((resource) => resource.id === 'i-0b8d2f4a6c1e3a5b7');
  if (!db || !web0) throw new Error('examples/shop changed: no database or web[0]');
  db.attributes.multi_az = true;
  web0.attributes.monitoring = true;
}

function pr(plan: FixPrPlan): DesiredFixPr {
  if (plan.desired === null) throw new Error(`no pull request: ${plan.reply}`);
  return plan.desired;
}

function file(desired: DesiredFixPr, name: string): string {
  const found = desired.files.find((candidate) => candidate.path === `${SHOP_DIR}/${name}`);
  if (!found) throw new Error(`${name} is not in the pull request`);
  return found.content;
}

let shop: WorkspaceReport;
let restorable: WorkspaceReport;
beforeAll(async () => {
  shop = await shopReport();
  restorable = await shopReport({ live: pinnedDrifts });
});

describe('desiredFixPr', () => {
  describe('restore', () => {
    it('commits the patch set\'s files, repository-relative, on driftwatch/<workspace>/restore', () => {
      const desired = pr(desiredFixPr({ report: restorable, direction: 'restore', selection: { kind: 'all' } }));
      expect(desired.branch).toBe('driftwatch/shop/restore');
      expect(desired.title).toBe('Restore 2 drifted resources in shop');
      expect(desired.files.map((entry) => entry.path)).toEqual(['examples/shop/compute.tf', 'examples/shop/database.tf']);
      expect(file(desired, 'database.tf')).toBe(original('database.tf').replace('  instance_class = "db.t4g.medium"\n', '  instance_class = "db.t4g.medium"\n  multi_az       = false\n'));
      expect(file(desired, 'compute.tf')).toBe(restorable.patches.restore?.files.find((entry) => entry.path === 'compute.tf')?.after);
    });

    it('marks it with the hash of its files and the fingerprints it fixes', () => {
      const desired = pr(desiredFixPr({ report: restorable, direction: 'restore', selection: { kind: 'all' } }));
      const fixed = restorable.result!.drifts.filter((drift) => drift.address === 'aws_db_instance.orders' || drift.address === 'aws_instance.web[0]').map((drift) => drift.fingerprint).sort();
      const hash = createHash('sha256').update(desired.files.map((entry) => `${entry.path}\0${entry.content}`).join('\0')).digest('hex');
      expect(desired.marker).toEqual({ kind: 'fix-pr', v: 1, workspace: 'shop', direction: 'restore', patchHash: hash, fingerprints: fixed, state: 'open' });
      expect(parseMarker(desired.body)).toEqual(desired.marker);
    });

    it('describes every drift fixed and every drift left out, with why and the commands apply does not replace', async () => {
      const { body } = pr(desiredFixPr({ report: restorable, direction: 'restore', selection: { kind: 'all' } }));
      await expect(body).toMatchFileSnapshot('__snapshots__/fix-pr-restore.md');
      expect(body).toContain('  - After `terraform apply`: sets `multi_az` `false`, `backup_retention_period` `7` back.');
      expect(body).toContain('`aws_instance.web[1]`: a patch cannot express it. \\`instance\\_type\\`: it is set by \\`var.web\\_instance\\_type\\`');
      expect(body).toContain('`terraform apply` does not undo it: see the commands under "After merging".');
      expect(body).toContain('`terraform apply` does not undo everything above; also run:\n\n```sh\naws iam detach-role-policy --role-name shop-app --policy-arn arn:aws:iam::aws:policy/AdministratorAccess\naws ec2 terminate-instances --region us-east-1 --instance-ids i-0f7e6d5c4b3a29180\n```');
      expect(body).toContain('Run `terraform -chdir=examples/shop apply`');
    });

    it('says when nothing needs an edit, and gives the terraform apply to run', () => {
      const plan = desiredFixPr({ report: shop, direction: 'restore', selection: { kind: 'addresses', addresses: ['aws_db_instance.orders', 'aws_s3_bucket.assets'] } });
      expect(plan.desired).toBeNull();
      expect(plan.reply).toBe('Nothing needs an edit: every value is written literally, so `terraform apply` in `examples/shop` reverts it. Run `terraform -chdir=examples/shop apply` to put the declared values back.');
    });

    it('says why there is nothing to edit when a patch cannot express it, with the commands to run', () => {
      const plan = desiredFixPr({ report: shop, direction: 'restore', selection: { kind: 'all' } });
      expect(plan.desired).toBeNull();
      expect(plan.reply).toContain('No pull request: nothing in `shop` can be restored by editing the configuration.');
      expect(plan.reply).toContain('- `aws_instance.web[1]`: a patch cannot express it.');
      expect(plan.reply).toContain('```sh\naws iam detach-role-policy --role-name shop-app --policy-arn arn:aws:iam::aws:policy/AdministratorAccess\naws ec2 terminate-instances --region us-east-1 --instance-ids i-0f7e6d5c4b3a29180\n```');
    });
  });

  describe('accept', () => {
    it('commits every merged file, a new one for imports included', () => {
      const desired = pr(desiredFixPr({ report: shop, direction: 'accept', selection: { kind: 'all' } }));
      expect(desired.branch).toBe('driftwatch/shop/accept');
      expect(desired.files.map((entry) => entry.path)).toEqual(['examples/shop/database.tf', 'examples/shop/driftwatch_imports.tf', 'examples/shop/iam.tf', 'examples/shop/network.tf', 'examples/shop/storage.tf']);
      const storage = file(desired, 'storage.tf');
      expect(storage).toContain('Owner = "marketing"');
      expect(storage).toContain('removed {');
      expect(desired.marker.fingerprints).toHaveLength(6);
    });

    it('builds a merged file from the selected drift\'s own edit when another drift also edits it', () => {
      const desired = pr(desiredFixPr({ report: shop, direction: 'accept', selection: { kind: 'addresses', addresses: ['aws_s3_bucket.assets'] } }));
      expect(desired.title).toBe('Accept the live aws_s3_bucket.assets in shop');
      expect(desired.files.map((entry) => entry.path)).toEqual(['examples/shop/storage.tf']);
      expect(file(desired, 'storage.tf')).toBe(original('storage.tf').replace('Owner = "storefront"', 'Owner = "marketing"'));
      expect(desired.body).toContain('- 6 other drifts of this workspace, not named in the command: `aws_iam_role.app`,');
    });

    it('takes the merged file, and says so, when the selection covers some but not all of several edits to it', async () => {
      const report = await shopReport({ live: (resources) => {
        const bucket = resources.find((resource) => resource.type === 'aws_s3_bucket');
        if (bucket) bucket.attributes.versioning = { status: 'Suspended', mfa_delete: null };
      } });
      const editors = report.patches.accept!.patches.filter((patch) => patch.files.some((entry) => entry.path === 'storage.tf'));
      expect(editors).toHaveLength(3);
      const desired = pr(desiredFixPr({ report, direction: 'accept', selection: { kind: 'addresses', addresses: ['aws_s3_bucket.assets', 'aws_s3_bucket_versioning.assets'] } }));
      expect(file(desired, 'storage.tf')).toBe(report.patches.accept!.files.find((entry) => entry.path === 'storage.tf')?.after);
      expect(desired.marker.fingerprints).toHaveLength(3);
      expect(desired.body).toContain('  - Not asked for, but included: its edit is merged into the same file as a drift that was.');
    });

    it('refuses an edit that would write a secret from the state into the repository', async () => {
      const report = await shopReport({ live: (resources) => {
        const bucket = resources.find((resource) => resource.type === 'aws_s3_bucket');
        if (bucket) (bucket.attributes.tags as Record<string, string>).Owner = SHOP_SECRET;
      } });
      const plan = desiredFixPr({ report, direction: 'accept', selection: { kind: 'all' } });
      const desired = pr(plan);
      // The patch engine already declines that edit (its diff could not be shown): the other
      // drifts of storage.tf are committed, the secret never is.
      for (const entry of desired.files) expect(entry.content.split(SHOP_SECRET).length).toBe(original(path.basename(entry.path)).split(SHOP_SECRET).length);
      expect(desired.body).toMatch(/Tags changed: Owner[^\n]*The edit is not offered: it would write a value that is also a secret in the Terraform state/);
      expect(desired.title + desired.body).not.toContain(SHOP_SECRET);
    });
  });

  describe('selection', () => {
    it.each<[string, Parameters<typeof desiredFixPr>[0]['selection'], string[]]>([
      ['an address without its instance key names every instance', { kind: 'addresses', addresses: ['aws_instance.web'] }, ['aws_instance.web[0]']],
      ['autofix takes what is at or above min_severity', { kind: 'min-severity', severity: 'medium' }, ['aws_db_instance.orders']],
      ['autofix at low takes every drift with an edit', { kind: 'min-severity', severity: 'low' }, ['aws_db_instance.orders', 'aws_instance.web[0]']],
    ])('%s', (_name, selection, fixed) => {
      const desired = pr(desiredFixPr({ report: restorable, direction: 'restore', selection }));
      const fingerprints = restorable.result!.drifts.filter((drift) => fixed.includes(drift.address ?? '')).map((drift) => drift.fingerprint).sort();
      expect(desired.marker.fingerprints).toEqual(fingerprints);
    });

    it('names what it could not find', () => {
      const plan = desiredFixPr({ report: restorable, direction: 'restore', selection: { kind: 'addresses', addresses: ['aws_instance.api'] } });
      expect(plan.desired).toBeNull();
      expect(plan.reply).toMatch(/^No pull request: no drift in `shop` matches `aws_instance.api`\. The drifted resources are `aws_iam_role.app`, /);
      const partly = pr(desiredFixPr({ report: restorable, direction: 'restore', selection: { kind: 'addresses', addresses: ['aws_instance.api', 'aws_db_instance.orders'] } }));
      expect(partly.body).toContain('- No drift matches `aws_instance.api`.');
    });

    it('says when autofix has nothing at its min_severity', () => {
      const plan = desiredFixPr({ report: kilnReport({}, resultWith([{ ...imdsReenabled, severity: 'low' }])), direction: 'restore', selection: { kind: 'min-severity', severity: 'high' } });
      expect(plan).toEqual({ desired: null, reply: 'No pull request: no drift in `kiln-production` is at or above `high`.' });
    });
  });

  it('opens nothing for a workspace that could not be scanned, and says why', () => {
    const plan = desiredFixPr({ report: failedReport('prod', 'The state s3://acme-tfstate/prod.tfstate could not be read: AccessDenied'), direction: 'restore', selection: { kind: 'all' } });
    expect(plan.desired).toBeNull();
    expect(plan.reply).toBe('No pull request: `prod` could not be scanned:\n\n```text\nThe state s3://acme-tfstate/prod.tfstate could not be read: AccessDenied\n```');
  });

  it('says when the patch of that direction was not built', () => {
    const plan = desiredFixPr({ report: { ...restorable, patches: {} }, direction: 'accept', selection: { kind: 'all' } });
    expect(plan.reply).toBe('No pull request: the accept patch was not built for this scan of `shop`. Comment `/drift accept` to scan again and build it.');
  });

  it('stays under 65,536 characters with a note, and keeps its marker', () => {
    const set: PatchSet = { direction: 'restore', patches: [], files: [] };
    const drifts: ReportDrift[] = Array.from({ length: 300 }, (_, index) => {
      const fingerprint = index.toString(16).padStart(64, '0');
      const edit = { path: `rules-${index}.tf`, before: 'a = 1\n', after: 'a = 1\nb = 2\n', diff: '' };
      set.patches.push({ fingerprint, direction: 'restore', status: 'edit', note: 'x'.repeat(500), files: [edit], remediation: null });
      set.files.push(edit);
      return { ...sshWorldOpen, address: `aws_vpc_security_group_ingress_rule.r${index}`, fingerprint, title: 'y'.repeat(200) };
    });
    const desired = pr(desiredFixPr({ report: kilnReport({ patches: { restore: set } }, resultWith(drifts)), direction: 'restore', selection: { kind: 'all' } }));
    expect(desired.body.length).toBeLessThan(65_536);
    expect(desired.body).toContain("> This description was cut to fit GitHub's limit. `driftwatch scan --dir infra/kiln --patch restore` prints every drift and its patch.");
    expect(parseMarker(desired.body)).toEqual(desired.marker);
    expect(desired.files).toHaveLength(300);
  });

  it('never writes a secret of the state in its title, body or reply', () => {
    const drifts = restorable.result!.drifts.map((drift) => ({ ...drift, title: `${drift.title} ${SHOP_SECRET}`, attribution: { ...sshWorldOpen.attribution!, actor: SHOP_SECRET } }));
    const report = { ...restorable, result: { ...restorable.result!, drifts } };
    const desired = pr(desiredFixPr({ report, direction: 'restore', selection: { kind: 'all' } }));
    expect(desired.title + desired.body).not.toContain(SHOP_SECRET);
    const reply = desiredFixPr({ report: { ...shop, result: { ...shop.result!, drifts: shop.result!.drifts.map((drift) => ({ ...drift, patch: null })) }, patches: { restore: { ...shop.patches.restore!, patches: shop.patches.restore!.patches.map((patch) => ({ ...patch, note: `${patch.note} ${SHOP_SECRET}` })) } } }, direction: 'restore', selection: { kind: 'all' } }).reply;
    expect(reply).not.toContain(SHOP_SECRET);
    expect(reply).toContain('\\(sensitive\\)');
  });

  describe.each(PAYLOADS)('with cloud data %j everywhere', (payload) => {
    function hostile(text: string) {
      const drift = hostileDrift(text, { attribution: { ...sshWorldOpen.attribution!, actor: text, eventName: text, sourceIp: text } });
      const edit = { path: 'security.tf', before: 'a = 1\n', after: 'a = 2\n', diff: '' };
      const patch = { fingerprint: drift.fingerprint, direction: 'restore' as const, status: 'edit' as const, note: text, files: [edit], remediation: `aws ec2 x --d "${text}"` };
      const other = { ...imdsReenabled, title: text, patch: null };
      const set: PatchSet = { direction: 'restore', patches: [patch, { fingerprint: other.fingerprint, direction: 'restore', status: 'explain', note: text, files: [], remediation: text }], files: [edit] };
      return pr(desiredFixPr({ report: kilnReport({ patches: { restore: set } }, resultWith([{ ...drift, patch }, other])), direction: 'restore', selection: { kind: 'all' } }));
    }

    it('renders it inert in the body, and keeps the title plain', () => {
      const desired = hostile(payload);
      expectInert(withoutMarker(desired.body), withoutMarker(hostile('benign').body));
      expect(desired.title).not.toMatch(/@[A-Za-z]|#\d|:\/\/|\n/);
    });
  });
});
