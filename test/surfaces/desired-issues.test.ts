import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceReport } from '../../src/repository/types.js';
import type { ReportDrift } from '../../src/report/types.js';
import type { FindingRecord } from '../../src/store/types.js';
import { desiredIssues, type DesiredIssuesInput } from '../../src/surfaces/desired-issues.js';
import { parseMarker, withoutMarker } from '../../src/surfaces/marker.js';
import { bucketDeleted, hostileDrift, imdsReenabled, resultWith, sshWorldOpen, tagsOnly, unmanagedInstance } from '../report/fixtures/scan-results.js';
import { expectInert, PAYLOADS } from '../report/markdown-structure.js';
import { disabledReport, failedReport, kilnReport } from './fixtures/reports.js';
import { SHOP_SECRET, shopReport } from './fixtures/shop-report.js';

const DASHBOARD = 'https://github.com/acme/infra/issues/7';

function issueFor(report: WorkspaceReport, resource: string, options: Partial<DesiredIssuesInput> = {}) {
  const issue = desiredIssues({ reports: [report], dashboardUrl: DASHBOARD, ...options }).find((candidate) => candidate.resource === resource);
  if (!issue) throw new Error(`no issue for ${resource}`);
  return issue;
}

function finding(overrides: Partial<FindingRecord>): FindingRecord {
  return {
    repo: 'acme/infra',
    workspace: 'kiln-production',
    resourceKey: 'aws_instance.worker',
    fingerprint: imdsReenabled.fingerprint,
    address: 'aws_instance.worker',
    type: 'aws_instance',
    cloudId: imdsReenabled.id,
    region: 'us-east-1',
    liveType: 'aws_instance',
    kind: 'modified',
    severity: 'high',
    title: imdsReenabled.title,
    attribution: null,
    costDeltaMonthly: 2.1,
    status: 'resolved',
    firstSeenAt: '2025-04-01T06:00:00Z',
    lastSeenAt: '2025-04-20T06:00:00Z',
    resolvedAt: '2025-04-21T06:00:00Z',
    lastResolvedAt: null,
    episode: 1,
    issueNumber: 41,
    ...overrides,
  };
}

describe('desiredIssues', () => {
  it('wants one issue per drifted resource, keyed by address or type:id', () => {
    const issues = desiredIssues({ reports: [kilnReport()] });
    expect(issues.map((issue) => [issue.workspace, issue.resource, issue.severity])).toEqual([
      ['kiln-production', 'aws_vpc_security_group_ingress_rule.worker_ssh', 'critical'],
      ['kiln-production', 'aws_s3_bucket.artifacts', 'high'],
      ['kiln-production', 'aws_instance.worker', 'high'],
      ['kiln-production', 'aws_instance:i-0f3a9c2b7d1e4a5b6', 'medium'],
      ['kiln-production', 'aws_security_group.lb', 'low'],
    ]);
  });

  it.each([
    ['a modified resource', sshWorldOpen, '[CRITICAL] aws_vpc_security_group_ingress_rule.worker_ssh drifted in kiln-production'],
    ['a deleted resource', bucketDeleted, '[HIGH] aws_s3_bucket.artifacts deleted in kiln-production'],
    ['an unmanaged resource, by type and id', unmanagedInstance, '[MEDIUM] aws_instance i-0f3a9c2b7d1e4a5b6 unmanaged in kiln-production'],
  ])('titles %s with its severity and subject', (_name, drift, title) => {
    const [issue] = desiredIssues({ reports: [kilnReport({}, resultWith([drift]))] });
    expect(issue?.title).toBe(title);
  });

  it('keeps a title within 256 characters, as plain text that mentions and links nothing', () => {
    const address = `aws_s3_bucket.b["${'@org/team #1 '.repeat(40)}"]`;
    const [issue] = desiredIssues({ reports: [kilnReport({}, resultWith([{ ...bucketDeleted, address }]))] });
    expect(issue?.title.length).toBeLessThanOrEqual(256);
    expect(issue?.title).toMatch(/^\[HIGH\] aws_s3_bucket\.b\["/);
    expect(issue?.title).toMatch(/ deleted in kiln-production$/);
    expect(issue?.title).not.toMatch(/@[a-z]|#\d/);
    expect(issue?.title).not.toContain('\\');
  });

  it('labels each issue drift and severity:<level>, then the configured labels', () => {
    const issue = issueFor(kilnReport(), 'aws_instance.worker', { labels: ['infra', ' team:platform ', 'drift', ''] });
    expect(issue.labels).toEqual(['drift', 'severity:high', 'infra', 'team:platform']);
  });

  it('puts every drift of one resource in one issue, its fingerprint the hash of the sorted fingerprints', () => {
    const second: ReportDrift = { ...tagsOnly, address: imdsReenabled.address, type: 'aws_instance', id: imdsReenabled.id, fingerprint: 'e'.repeat(64) };
    const issues = desiredIssues({ reports: [kilnReport({}, resultWith([second, imdsReenabled]))] });
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    const expected = createHash('sha256').update([imdsReenabled.fingerprint, 'e'.repeat(64)].sort().join('\n')).digest('hex');
    expect(issue?.marker.fingerprint).toBe(expected);
    expect(issue?.severity).toBe('high');
    expect(issue?.body).toContain('### 🟠 High · Instance metadata service accepts IMDSv1');
    expect(issue?.body).toContain('### 🔵 Low · Tags changed: Name, Owner');
    expect(issue?.body).toContain('2 drifts: 1 high, 1 low');
    expect(issue?.whatChanged).toContain('; `tags.Name`');
  });

  it('marks a single drift with its own fingerprint, type and region', () => {
    const issue = issueFor(kilnReport(), 'aws_vpc_security_group_ingress_rule.worker_ssh');
    expect(issue.marker).toEqual({
      kind: 'drift-issue',
      v: 1,
      workspace: 'kiln-production',
      resource: 'aws_vpc_security_group_ingress_rule.worker_ssh',
      type: 'aws_vpc_security_group_ingress_rule',
      region: 'us-east-1',
      fingerprint: sshWorldOpen.fingerprint,
      state: 'drifted',
      resolvedAt: null,
    });
    expect(parseMarker(issue.body)).toEqual(issue.marker);
    expect(issue.body.trimEnd().endsWith('-->')).toBe(true);
  });

  it.each([
    ['a modified resource whose restore needs no edit', 'aws_vpc_security_group_ingress_rule.worker_ssh', 'issue-modified'],
    ['a drift with a restore patch', 'aws_instance.worker', 'issue-patch'],
    ['a deleted resource', 'aws_s3_bucket.artifacts', 'issue-deleted'],
    ['an unmanaged resource with a remediation command', 'aws_instance:i-0f3a9c2b7d1e4a5b6', 'issue-unmanaged'],
    ['a drift with no attribution', 'aws_security_group.lb', 'issue-unattributed'],
  ])('renders %s', async (_name, resource, snapshot) => {
    await expect(issueFor(kilnReport(), resource).body).toMatchFileSnapshot(`__snapshots__/${snapshot}.md`);
  });

  it('shows the restore diff with repository-relative paths, so git apply takes it at the root', () => {
    const { body } = issueFor(kilnReport(), 'aws_instance.worker');
    expect(body).toContain('<summary>Restore patch: infra/kiln/compute.tf</summary>');
    expect(body).toContain('```diff\ndiff --git a/infra/kiln/compute.tf b/infra/kiln/compute.tf\n--- a/infra/kiln/compute.tf\n+++ b/infra/kiln/compute.tf\n@@ -6,6 +6,7 @@');
    expect(body).toContain('`infra/kiln/compute.tf` line 3');
  });

  it('gives the commands that act on the drift, the ignore pattern of an unmanaged one in driftctl form', () => {
    const managed = issueFor(kilnReport(), 'aws_instance.worker').body;
    for (const command of ['`/drift fix`', '`/drift accept`', '`/drift ignore aws_instance.worker [reason]`', '`/drift scan kiln-production`']) expect(managed).toContain(command);
    const dotted = { ...unmanagedInstance, type: 'aws_s3_bucket', id: 'logs.example.com' };
    const [unmanaged] = desiredIssues({ reports: [kilnReport({}, resultWith([dotted]))] });
    expect(unmanaged?.body).toContain('`/drift ignore aws_s3_bucket.logs\\.example\\.com [reason]`');
  });

  it('says when a drift came back, from the store', () => {
    const resolved = issueFor(kilnReport(), 'aws_instance.worker', { findings: [finding({})] });
    expect(resolved.lastResolvedAt).toBe('2025-04-21T06:00:00Z');
    expect(resolved.body).toContain('> [!NOTE]\n> This drift came back: it was last resolved on 2025-04-21 06:00 UTC.');
    // After the store recorded this scan, the finding is open again and remembers the episode before.
    const reopened = issueFor(kilnReport(), 'aws_instance.worker', { findings: [finding({ status: 'open', resolvedAt: null, lastResolvedAt: '2025-04-21T06:00:00Z', episode: 2 })] });
    expect(reopened.lastResolvedAt).toBe('2025-04-21T06:00:00Z');
    const other = issueFor(kilnReport(), 'aws_instance.worker', { findings: [finding({ workspace: 'staging' })] });
    expect(other.lastResolvedAt).toBeNull();
    expect(other.body).not.toContain('came back');
  });

  it('wants no issue from a failed or disabled workspace', () => {
    expect(desiredIssues({ reports: [failedReport('prod', 'The state could not be read'), disabledReport('legacy')] })).toEqual([]);
  });

  it('links the dashboard only when its URL is a plain GitHub URL', () => {
    expect(issueFor(kilnReport(), 'aws_instance.worker').body).toContain(`[the Drift Dashboard](${DASHBOARD})`);
    const body = issueFor(kilnReport(), 'aws_instance.worker', { dashboardUrl: 'javascript:alert(1)//)' }).body;
    expect(body).not.toContain('javascript');
    expect(body).not.toContain('Drift Dashboard]');
  });

  it('stays under 65,536 characters with a truncation note, and keeps its marker', () => {
    const long = 'x'.repeat(2_000);
    const changes = Array.from({ length: 30 }, (_, index) => ({ path: `tags.k${index}`, declared: long, live: long.toUpperCase() }));
    const many: ReportDrift[] = Array.from({ length: 40 }, (_, index) => ({ ...tagsOnly, fingerprint: index.toString(16).padStart(64, '0'), changes }));
    const [issue] = desiredIssues({ reports: [kilnReport({}, resultWith(many))], dashboardUrl: DASHBOARD });
    expect(issue?.body.length).toBeLessThan(65_536);
    expect(issue?.body).toContain("> This issue was cut to fit GitHub's limit of 65,536 characters.");
    expect(issue?.body).toContain('`driftwatch scan --dir infra/kiln --patch restore` prints the whole report.');
    expect(parseMarker(issue?.body)).toEqual(issue?.marker);
  });

  it('drops the diffs before it cuts drifts', () => {
    const diff = `diff --git a/compute.tf b/compute.tf\n--- a/compute.tf\n+++ b/compute.tf\n@@ -1,1 +1,3000 @@\n${'+  # generated line of a very large edit\n'.repeat(3_000)}`;
    const big = { ...imdsReenabled, patch: { ...imdsReenabled.patch!, files: [{ path: 'compute.tf', before: '', after: '', diff }] } };
    const [issue] = desiredIssues({ reports: [kilnReport({ patches: {} }, resultWith([big]))] });
    expect(issue?.body.length).toBeLessThan(65_536);
    expect(issue?.body).toContain('_The patch (3004 lines) is too long to show here._');
    expect(issue?.body).not.toContain('This issue was cut');
  });

  describe('with a secret from the state in the cloud text', () => {
    let shop: WorkspaceReport;
    beforeAll(async () => {
      shop = await shopReport();
    });

    it('never writes it in a title, body or comment line', () => {
      const drifts = shop.result!.drifts.map((drift) => ({
        ...drift,
        title: `${drift.title} ${SHOP_SECRET}`,
        attribution: { ...sshWorldOpen.attribution!, actor: `ops-${SHOP_SECRET}` },
        changes: drift.changes.map((change) => ({ ...change, live: { note: `pw_${SHOP_SECRET}_x`, [SHOP_SECRET]: 1 } })),
      }));
      const report = { ...shop, result: { ...shop.result!, drifts } };
      const issues = desiredIssues({ reports: [report] });
      expect(issues.length).toBe(7);
      for (const issue of issues) {
        for (const text of [issue.title, issue.body, issue.whatChanged, JSON.stringify(issue.marker)]) expect(text).not.toContain(SHOP_SECRET);
        expect(issue.body).toContain('(sensitive)');
      }
    });
  });

  describe.each(PAYLOADS)('with cloud data %j everywhere', (payload) => {
    function hostile(text: string) {
      const drift = hostileDrift(text, {
        attribution: { ...sshWorldOpen.attribution!, actor: text, eventName: text, sourceIp: text, role: text, sessionName: text, eventId: text },
        location: { file: `${text}.tf`, line: 1 },
        patch: { ...imdsReenabled.patch!, note: text, files: [{ path: 'main.tf', before: '', after: '', diff: `diff --git a/main.tf b/main.tf\n--- a/main.tf\n+++ b/main.tf\n@@ -1,1 +1,2 @@\n \`\`\`\n+  description = "${text}"\n` }], remediation: `aws ec2 x --description "${text}"` },
      });
      return desiredIssues({ reports: [kilnReport({ patches: {} }, resultWith([drift]))], dashboardUrl: DASHBOARD })[0]!;
    }

    it('renders it inert in the body and the reopen line', () => {
      const issue = hostile(payload);
      const benign = hostile('benign');
      expectInert(withoutMarker(issue.body), withoutMarker(benign.body), { links: [`[the Drift Dashboard](${DASHBOARD})`] });
      expectInert(issue.whatChanged, benign.whatChanged);
    });

    it('keeps the title plain and mentionless', () => {
      const title = desiredIssues({ reports: [kilnReport({}, resultWith([{ ...bucketDeleted, address: `aws_s3_bucket.${payload}` }]))] })[0]!.title;
      expect(title).not.toMatch(/@[A-Za-z]|#\d|:\/\/|\n/);
    });
  });
});
