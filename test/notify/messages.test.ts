import { describe, expect, it } from 'vitest';
import { alertMessage } from '../../src/notify/alert-message.js';
import { briefingMessage, type BriefingData } from '../../src/notify/briefing-message.js';
import { firstScanSummary } from '../../src/notify/first-scan-summary.js';
import { resolvedMessage } from '../../src/notify/resolved-message.js';
import { MAX_BLOCKS, MAX_FIELD_TEXT, MAX_HEADER_TEXT, MAX_SECTION_TEXT } from '../../src/notify/slack-blocks.js';
import type { SlackMessage } from '../../src/notify/types.js';
import type { FindingRecord } from '../../src/store/types.js';
import { bucketFinding, DASHBOARD_URL, instanceFinding, issueUrlOf, REPO, securityGroupFinding, unmanagedInstanceFinding } from './findings.js';

const json = (message: SlackMessage | null) => `${JSON.stringify(message, null, 2)}\n`;

/** Every limit Slack enforces on a message, checked on the whole payload. */
function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  for (const block of message.blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(MAX_HEADER_TEXT);
    if (block.type === 'section') {
      expect(block.text.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(MAX_FIELD_TEXT);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(10);
    }
    if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(10);
  }
}

function briefing(overrides: Partial<BriefingData> = {}): BriefingData {
  return {
    repo: REPO,
    workspace: 'prod',
    open: [securityGroupFinding()],
    resolved: [],
    trend: { kind: 'change', delta: 2 },
    lastScan: null,
    timezone: 'Asia/Tokyo',
    issueUrl: issueUrlOf,
    dashboardUrl: DASHBOARD_URL,
    ...overrides,
  };
}

// A tag value, a security group name or a role name chosen by whoever can write to the account.
const HOSTILE = '<!channel> @here urgent: <https://evil.example/login|re-authenticate> & see <@U024BE7LH>';

describe('the alert for a new, changed or recurred drift', () => {
  it('a new critical drift: title, severity, resource, workspace, who and via which call, issue', async () => {
    const message = alertMessage({ transition: { kind: 'opened', finding: securityGroupFinding() }, issueUrl: issueUrlOf(securityGroupFinding()), timezone: 'UTC' });
    await expect(json(message)).toMatchFileSnapshot('__snapshots__/alert-opened.json');
    expect(message.text).toContain('changed by tanaka via AuthorizeSecurityGroupIngress');
  });

  it('a changed drift says what it was before', async () => {
    const previous = bucketFinding({ severity: 'medium', title: 'Block Public Access weakened: block_public_policy turned off', fingerprint: 'f'.repeat(64) });
    const message = alertMessage({ transition: { kind: 'changed', finding: bucketFinding(), previous }, issueUrl: issueUrlOf(bucketFinding()), timezone: 'Europe/Berlin' });
    await expect(json(message)).toMatchFileSnapshot('__snapshots__/alert-changed.json');
  });

  it('a drift that came back says when it was last resolved', async () => {
    const previous = securityGroupFinding({ status: 'resolved', resolvedAt: '2024-05-02T06:00:03.000Z' });
    const finding = securityGroupFinding({ episode: 2, lastResolvedAt: '2024-05-02T06:00:03.000Z', firstSeenAt: '2024-05-13T06:00:03.000Z' });
    const message = alertMessage({ transition: { kind: 'recurred', finding, previous }, issueUrl: issueUrlOf(finding), timezone: 'UTC' });
    await expect(json(message)).toMatchFileSnapshot('__snapshots__/alert-recurred.json');
    expect(JSON.stringify(message)).toContain('last resolved 2024-05-02 06:00 UTC');
  });

  it('an unmanaged resource nobody is known to have made, with its monthly cost and no issue yet', async () => {
    const message = alertMessage({ transition: { kind: 'opened', finding: unmanagedInstanceFinding() }, issueUrl: null, timezone: 'UTC' });
    await expect(json(message)).toMatchFileSnapshot('__snapshots__/alert-unmanaged.json');
    expect(message.text).toContain('an unknown actor');
    expect(JSON.stringify(message)).toContain('+$248.20/month');
  });

  it('keeps hostile cloud text from pinging, mentioning or linking', () => {
    const finding = unmanagedInstanceFinding({ title: `Security group ${HOSTILE} was created outside Terraform`, cloudId: HOSTILE, attribution: { ...tanaka(), actor: HOSTILE } });
    const message = alertMessage({ transition: { kind: 'opened', finding }, issueUrl: null, timezone: 'UTC' });
    const payload = JSON.stringify(message);
    expect(payload).not.toMatch(/<[!@#h]/);
    expect(payload).not.toMatch(/@(here|channel)/);
    expect(payload).not.toContain('https://evil');
  });

  it('stays within Slack limits whatever the size of the cloud text', () => {
    const finding = securityGroupFinding({ title: 'x'.repeat(20_000), address: `aws_security_group.${'a'.repeat(5_000)}`, attribution: { ...tanaka(), actor: '&'.repeat(5_000) } });
    const message = alertMessage({ transition: { kind: 'opened', finding }, issueUrl: null, timezone: 'UTC' });
    expectWithinSlackLimits(message);
    expect(message.text.length).toBeLessThanOrEqual(4000);
  });
});

describe('the message when a drift is resolved', () => {
  it('says ✅ no longer drifted with the resource, the workspace and the issue', async () => {
    const finding = securityGroupFinding({ status: 'resolved', resolvedAt: '2024-05-14T06:00:02.000Z' });
    const message = resolvedMessage({ finding, issueUrl: issueUrlOf(finding), timezone: 'UTC' });
    await expect(json(message)).toMatchFileSnapshot('__snapshots__/resolved.json');
    expect(message.text).toBe('✅ no longer drifted: web-sg (aws_security_group / prod) in acme/infra');
  });
});

describe('the first-scan summary', () => {
  const found = [instanceFinding(), unmanagedInstanceFinding(), securityGroupFinding(), bucketFinding(), instanceFinding({ resourceKey: 'aws_instance.worker', address: 'aws_instance.worker', severity: 'low', title: 'Instance type changed from t3.large to t3.xlarge' })];

  it('counts by severity, lists the most severe at or above min_severity, links the dashboard', async () => {
    const message = firstScanSummary({ repo: REPO, workspace: 'prod', findings: found, minSeverity: 'medium', issueUrl: issueUrlOf, dashboardUrl: DASHBOARD_URL });
    await expect(json(message)).toMatchFileSnapshot('__snapshots__/first-scan-summary.json');
    expect(message.text.split('\n').slice(0, 2)).toEqual(['First drift scan — prod (acme/infra): 5 drifted', '🔴 1 critical 🟠 1 high 🟡 2 medium ⚪ 1 low']);
  });

  it('lists a few and sends the rest to the dashboard, within Slack limits, for a very drifted account', () => {
    const many = Array.from({ length: 300 }, (_, index) => securityGroupFinding({ resourceKey: `aws_security_group.sg-${index}`, address: `aws_security_group.sg-${index}` }));
    const message = firstScanSummary({ repo: REPO, workspace: 'prod', findings: many, minSeverity: 'low', issueUrl: issueUrlOf, dashboardUrl: DASHBOARD_URL });
    expectWithinSlackLimits(message);
    expect(message.blocks.filter((block) => block.type === 'section')).toHaveLength(1 + 5);
    expect(JSON.stringify(message.blocks.at(-1))).toContain('…and 295 more');
  });
});

describe('the weekly briefing', () => {
  it('has exactly the agreed shape as its plain-text fallback', () => {
    const message = briefingMessage(briefing());
    expect(message?.text.split('\n').slice(0, 7)).toEqual([
      'Drift briefing — prod',
      '1 drifted · ▲ 2 since last week',
      '🔴 1 critical 🟠 0 high 🟡 0 medium ⚪ 0 low',
      '─────────────',
      'CRITICAL web-sg (aws_security_group / prod)',
      'Opened to the entire internet (0.0.0.0/0)',
      'changed by tanaka via AuthorizeSecurityGroupIngress',
    ]);
  });

  it.each([
    ['no change', { kind: 'change', delta: 0 } as const, '1 drifted · = unchanged since last week'],
    ['fewer', { kind: 'change', delta: -3 } as const, '1 drifted · ▼ 3 since last week'],
    ['no scan before the week', { kind: 'first-week' } as const, '1 drifted · first week scanned'],
  ])('says the trend: %s', (_name, trend, line) => {
    expect(briefingMessage(briefing({ trend }))?.text.split('\n')[1]).toBe(line);
  });

  it('sends nothing for a week with nothing drifted and nothing resolved', () => {
    expect(briefingMessage(briefing({ open: [], resolved: [], trend: { kind: 'change', delta: 0 } }))).toBeNull();
  });

  it('still speaks when everything was resolved', () => {
    const message = briefingMessage(briefing({ open: [], resolved: [securityGroupFinding({ status: 'resolved', resolvedAt: '2024-05-10T06:00:00.000Z' })], trend: { kind: 'change', delta: -1 } }));
    expect(message?.text.split('\n').slice(0, 3)).toEqual(['Drift briefing — prod', '0 drifted · ▼ 1 since last week', '🔴 0 critical 🟠 0 high 🟡 0 medium ⚪ 0 low']);
    expect(message?.text).toContain('✅ 1 resolved this week: web-sg');
  });

  it('stays within Slack limits for a workspace with hundreds of drifts', () => {
    const open: FindingRecord[] = Array.from({ length: 400 }, (_, index) => bucketFinding({ resourceKey: `aws_s3_bucket.b${index}`, address: `aws_s3_bucket.b${index}`, type: 'aws_s3_bucket', title: 'y'.repeat(3000) }));
    const resolved = Array.from({ length: 40 }, (_, index) => bucketFinding({ resourceKey: `aws_s3_bucket.r${index}`, address: `aws_s3_bucket.r${index}`, type: 'aws_s3_bucket', status: 'resolved' }));
    const message = briefingMessage(briefing({ open, resolved }));
    expect(message).not.toBeNull();
    expectWithinSlackLimits(message!);
    expect(message!.text.length).toBeLessThanOrEqual(4000);
    expect(JSON.stringify(message!.blocks)).toContain('…and 385 more on the dashboard');
    expect(message!.text).toContain('✅ 40 resolved this week: r0, r1, r10, r11, r12 and 35 more');
  });

  it('keeps hostile names and titles inert in blocks and fallback alike', () => {
    const message = briefingMessage(briefing({ open: [unmanagedInstanceFinding({ cloudId: HOSTILE, title: HOSTILE })] }));
    const payload = JSON.stringify(message);
    expect(payload).not.toMatch(/<[!@#]|<https:\/\/evil/);
    expect(payload).not.toMatch(/@(here|channel)/);
  });
});

function tanaka() {
  return securityGroupFinding().attribution!;
}
