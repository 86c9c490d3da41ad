import { afterEach, describe, expect, it } from 'vitest';
import { slackWebhooksFromEnv } from '../../src/config/settings.js';
import { sendBriefing, slackBriefingJob, type BriefingJobData, type BriefingTarget, type SlackBriefingJobDeps } from '../../src/notify/briefing-job.js';
import type { FindingRecord, ScanRecordInput, Store } from '../../src/store/types.js';
import { bucketFinding, DASHBOARD_URL, instanceFinding, securityGroupFinding, unmanagedInstanceFinding } from './findings.js';
import { recordingLog } from '../support/recording-log.js';
import { slackWebhook, WEBHOOK_URL } from './slack-nock.js';
import { recordScanAt, sqliteStore, type TestStore } from './sqlite-store.js';

// Monday 13 May 2024, 09:00 in Berlin: the default briefing slot.
const NOW = new Date('2024-05-13T07:00:00.000Z');
const DATA: BriefingJobData = { installationId: 4242, repo: 'acme/infra', workspace: 'prod' };
const TARGET: BriefingTarget = {
  slack: { channel: 'infra-alerts', min_severity: 'high', briefing: { enabled: true, schedule: '0 9 * * 1' } },
  timezone: 'Europe/Berlin',
  dashboardUrl: DASHBOARD_URL,
  repoUrl: 'https://github.com/acme/infra',
};

const imdsv1 = instanceFinding({ severity: 'high', title: 'Instance metadata service accepts IMDSv1 (session tokens not required)', fingerprint: 'e'.repeat(64) });
const oldLowDrift = instanceFinding({ resourceKey: 'aws_instance.worker', address: 'aws_instance.worker', severity: 'low', title: 'Instance type changed from t3.large to t3.xlarge', issueNumber: null });

let opened: TestStore | null = null;

afterEach(async () => {
  await opened?.close();
  opened = null;
});

async function harness(target: BriefingTarget | null = TARGET) {
  opened = await sqliteStore();
  const { store } = opened;
  const log = recordingLog();
  const deps: SlackBriefingJobDeps = { store, webhooks: slackWebhooksFromEnv({ DRIFTWATCH_SLACK_WEBHOOK_INFRA_ALERTS: WEBHOOK_URL }), loadTarget: async () => target, now: () => NOW, sleep: async () => {} };
  return { store, log, deps };
}

/** Daily scans at 06:00 UTC, from `from` to `to` (inclusive), each finding what `found(day)` says. */
async function dailyScans(store: Store, from: string, to: string, found: (day: string) => FindingRecord[], overrides: (day: string) => Partial<ScanRecordInput> = () => ({})): Promise<void> {
  for (let at = Date.parse(`${from}T06:00:00.000Z`); at <= Date.parse(`${to}T06:00:00.000Z`); at += 24 * 60 * 60 * 1000) {
    const day = new Date(at).toISOString().slice(0, 10);
    await recordScanAt(store, new Date(at).toISOString(), found(day), overrides(day));
  }
}

/**
 * A busy week: a week ago only the assets bucket was drifted (since 30 April); this week tanaka
 * opened web-sg to the internet (7 May), the api instance lost IMDSv2 (8 May), the bucket was put
 * right (9 May), and someone launched a c5.2xlarge by hand (10 May). A worker drift came and went
 * the week before. The 11th's and 13th's scans could not read everything.
 */
async function busyWeek(store: Store): Promise<void> {
  await dailyScans(
    store,
    '2024-04-29',
    '2024-05-13',
    (day) => [
      ...(day >= '2024-04-30' && day < '2024-05-09' ? [bucketFinding()] : []),
      ...(day >= '2024-05-01' && day < '2024-05-03' ? [oldLowDrift] : []),
      ...(day >= '2024-05-07' ? [securityGroupFinding()] : []),
      // The 11th's scan could not read EC2: what it knew of instances stays open.
      ...(day >= '2024-05-08' && day !== '2024-05-11' ? [imdsv1] : []),
      ...(day >= '2024-05-10' && day !== '2024-05-11' ? [unmanagedInstanceFinding()] : []),
    ],
    (day) =>
      day === '2024-05-11'
        ? { status: 'partial', unknown: [{ liveType: 'aws_instance', region: 'eu-west-1', reason: 'AccessDenied: ec2:DescribeInstances' }] }
        : day === '2024-05-13'
          ? { status: 'partial', unknown: [{ liveType: 'aws_db_instance', region: 'eu-west-1', reason: 'Throttling: rds:DescribeDBInstances retries exhausted' }] }
          : {},
  );
  // The GitHub writer recorded the issues it opened.
  await store.setFindingIssue('acme/infra', 'prod', 'aws_security_group.web-sg', 42);
  await store.setFindingIssue('acme/infra', 'prod', 'aws_instance.api', 44);
}

describe('the weekly briefing job, on the store', () => {
  it('a busy week: the agreed shape, the trend against a week ago, what was resolved, the dashboard', async () => {
    const { store, log, deps } = await harness();
    await busyWeek(store);
    const webhook = slackWebhook([[200, 'ok']]);

    await slackBriefingJob(deps).run(DATA, { attempt: 1, log });

    expect(webhook.posted).toHaveLength(1);
    const message = webhook.posted[0]!;
    expect(message.text.split('\n').slice(0, 7)).toEqual([
      'Drift briefing — prod',
      '3 drifted · ▲ 2 since last week',
      '🔴 1 critical 🟠 1 high 🟡 1 medium ⚪ 0 low',
      '─────────────',
      'CRITICAL web-sg (aws_security_group / prod)',
      'Opened to the entire internet (0.0.0.0/0)',
      'changed by tanaka via AuthorizeSecurityGroupIngress',
    ]);
    await expect(`${JSON.stringify({ text: message.text, blocks: message.blocks }, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/briefing-busy-week.json');
    await expect(message.text).toMatchFileSnapshot('__snapshots__/briefing-busy-week.txt');
    expect(await store.notifications({ repo: 'acme/infra', kind: 'briefing' })).toEqual([
      expect.objectContaining({ key: 'slack:INFRA_ALERTS:acme/infra:prod:briefing:2024-05-13', channel: 'infra-alerts', status: 'sent', attempts: 1 }),
    ]);
  });

  it('a quiet week: nothing drifted and nothing resolved, so nothing is sent', async () => {
    const { store, log, deps } = await harness();
    // web-sg drifted and was put right the week before last; every scan since found nothing.
    await dailyScans(store, '2024-04-22', '2024-05-13', (day) => (day >= '2024-04-22' && day < '2024-04-24' ? [securityGroupFinding()] : []));

    // No interceptor: a post would fail on disallowed net connect.
    const outcome = await sendBriefing(DATA, { ...deps, log });

    expect(outcome).toEqual({ status: 'skipped', reason: 'quiet-week' });
    expect(await store.notifications({ repo: 'acme/infra' })).toEqual([]);
    expect(log.lines).toEqual([expect.objectContaining({ level: 'info', message: 'briefing not sent: nothing drifted and nothing was resolved this week' })]);
  });

  it('a week where the last drift was put right still says so', async () => {
    const { store, log, deps } = await harness();
    await dailyScans(store, '2024-04-29', '2024-05-13', (day) => (day < '2024-05-09' ? [securityGroupFinding()] : []));
    const webhook = slackWebhook([[200, 'ok']]);

    const outcome = await sendBriefing(DATA, { ...deps, log });

    expect(outcome).toMatchObject({ status: 'sent' });
    expect(webhook.posted[0]!.text.split('\n').slice(0, 2)).toEqual(['Drift briefing — prod', '0 drifted · ▼ 1 since last week']);
    expect(webhook.posted[0]!.text).toContain('✅ 1 resolved this week: web-sg');
  });

  it('has nothing to compare with in the first week a workspace is scanned', async () => {
    const { store, log, deps } = await harness();
    await dailyScans(store, '2024-05-10', '2024-05-13', () => [securityGroupFinding()]);
    const webhook = slackWebhook([[200, 'ok']]);

    await sendBriefing(DATA, { ...deps, log });

    expect(webhook.posted[0]!.text.split('\n')[1]).toBe('1 drifted · first week scanned');
  });

  it('sends one briefing a day however often the job runs (a retry, a catch-up, a second replica)', async () => {
    const { store, log, deps } = await harness();
    await busyWeek(store);
    const webhook = slackWebhook([[200, 'ok']]);
    const job = slackBriefingJob(deps);

    await job.run(DATA, { attempt: 1, log });
    await job.run(DATA, { attempt: 2, log });

    expect(webhook.posted).toHaveLength(1);
    expect(log.lines.at(-1)?.message).toBe('Slack message already sent or being sent for this key; not sending it again');
  });

  it('never throws for a failing webhook: the failure is recorded', async () => {
    const { store, log, deps } = await harness();
    await busyWeek(store);
    slackWebhook([[400, 'invalid_blocks']]);

    await expect(slackBriefingJob(deps).run(DATA, { attempt: 1, log })).resolves.toBeUndefined();

    expect(await store.notifications({ repo: 'acme/infra', kind: 'briefing' })).toEqual([expect.objectContaining({ status: 'failed', error: 'Slack answered HTTP 400: invalid_blocks' })]);
  });

  it.each([
    ['switched off since it was scheduled', { ...TARGET, slack: { ...TARGET.slack, briefing: { enabled: false, schedule: '0 9 * * 1' } } }, 'disabled'],
    ['for a repository or workspace that is gone', null, 'gone'],
    ['for a channel the server has no webhook for', { ...TARGET, slack: { ...TARGET.slack, channel: 'sec-ops' } }, 'unknown-channel'],
  ] as const)('sends nothing when %s', async (_name, target, reason) => {
    const { store, log, deps } = await harness(target);
    await busyWeek(store);

    expect(await sendBriefing(DATA, { ...deps, log })).toEqual({ status: 'skipped', reason });
    expect(await store.notifications({ repo: 'acme/infra' })).toEqual([]);
  });
});
