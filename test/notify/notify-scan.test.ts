import { afterEach, describe, expect, it } from 'vitest';
import { notifyScan, type NotifyScanInput } from '../../src/notify/notify-scan.js';
import type { SlackConfig } from '../../src/config/repo-config.js';
import { slackWebhooksFromEnv } from '../../src/config/settings.js';
import type { FindingRecord, RecordScanResult } from '../../src/store/types.js';
import { bucketFinding, DASHBOARD_URL, instanceFinding, securityGroupFinding, unmanagedInstanceFinding } from './findings.js';
import { recordingLog } from '../support/recording-log.js';
import { slackWebhook, WEBHOOK_URL } from './slack-nock.js';
import { recordScanAt, sqliteStore, type TestStore } from './sqlite-store.js';

const slack: SlackConfig = { channel: 'infra-alerts', min_severity: 'medium', briefing: { enabled: true, schedule: '0 9 * * 1' } };
const webhooks = slackWebhooksFromEnv({ DRIFTWATCH_SLACK_WEBHOOK_INFRA_ALERTS: WEBHOOK_URL });
const links = { issues: new Map([['aws_security_group.web-sg', 'https://github.com/acme/infra/issues/42']]), dashboard: DASHBOARD_URL };

const lowDrift = instanceFinding({ resourceKey: 'aws_instance.worker', address: 'aws_instance.worker', cloudId: 'i-0a9b8c7d6e5f40312', severity: 'low', title: 'Instance type changed from t3.large to t3.xlarge' });
const dbGroup = securityGroupFinding({ resourceKey: 'aws_security_group.db', address: 'aws_security_group.db', cloudId: 'sg-0f9e8d7c6b5a40321', fingerprint: 'd'.repeat(64) });

let opened: TestStore | null = null;

afterEach(async () => {
  await opened?.close();
  opened = null;
});

async function harness() {
  opened = await sqliteStore();
  const { store } = opened;
  const log = recordingLog();
  return { store, log, deps: { store, log, now: () => new Date('2024-05-13T06:00:05.000Z'), sleep: async () => {} } };
}

function input(result: RecordScanResult, overrides: Partial<NotifyScanInput> = {}): NotifyScanInput {
  return { result, slack, webhooks, links, timezone: 'UTC', ...overrides };
}

describe('notifyScan, after the store recorded the scan', () => {
  it('sends the first scan of a workspace as one summary, not one alert per drift', async () => {
    const { store, deps } = await harness();
    const webhook = slackWebhook([[200, 'ok']]);
    const first = await recordScanAt(store, '2024-05-01T06:00:00.000Z', [securityGroupFinding(), bucketFinding(), instanceFinding(), unmanagedInstanceFinding(), lowDrift]);
    expect(first.firstScan).toBe(true);

    const outcome = await notifyScan(input(first), deps);

    expect(outcome).toEqual({ skipped: null, sends: [{ status: 'sent', key: 'slack:INFRA_ALERTS:acme/infra:prod:first-scan', attempts: 1 }] });
    expect(webhook.posted).toHaveLength(1);
    expect(webhook.posted[0]!.text.split('\n')[0]).toBe('First drift scan — prod (acme/infra): 5 drifted');
    expect(await store.notifications({ repo: 'acme/infra' })).toEqual([expect.objectContaining({ key: 'slack:INFRA_ALERTS:acme/infra:prod:first-scan', kind: 'summary', status: 'sent', attempts: 1 })]);
  });

  it('stays quiet on a first scan that found nothing at or above min_severity', async () => {
    const { store, deps } = await harness();
    const outcome = await notifyScan(input(await recordScanAt(store, '2024-05-01T06:00:00.000Z', [lowDrift])), deps);
    expect(outcome).toEqual({ skipped: null, sends: [] });
  });

  it('alerts each new, changed and recurred drift at or above min_severity, most severe first, then the resolved', async () => {
    const { store, deps } = await harness();
    await recordScanAt(store, '2024-05-01T06:00:00.000Z', [securityGroupFinding(), dbGroup, bucketFinding(), instanceFinding(), lowDrift]);
    await recordScanAt(store, '2024-05-03T06:00:00.000Z', [securityGroupFinding(), dbGroup, instanceFinding(), lowDrift]);
    const changed = instanceFinding({ fingerprint: 'b'.repeat(64), title: 'Instance profile changed from app-profile to admin-profile', severity: 'medium' });
    const latest = await recordScanAt(store, '2024-05-13T06:00:00.000Z', [securityGroupFinding(), bucketFinding(), changed, unmanagedInstanceFinding(), lowDrift]);
    const webhook = slackWebhook([[200, 'ok'], [200, 'ok'], [200, 'ok'], [200, 'ok']]);

    const outcome = await notifyScan(input(latest), deps);

    expect(outcome.sends.map((send) => send.key)).toEqual([
      `slack:INFRA_ALERTS:acme/infra:prod:module.storage.aws_s3_bucket_public_access_block.assets:${bucketFinding().fingerprint}:recurred:2`,
      `slack:INFRA_ALERTS:acme/infra:prod:aws_instance.api:${'b'.repeat(64)}:changed:1`,
      `slack:INFRA_ALERTS:acme/infra:prod:aws_instance:i-0123456789abcdef0:${unmanagedInstanceFinding().fingerprint}:opened:1`,
      `slack:INFRA_ALERTS:acme/infra:prod:aws_security_group.db:${'d'.repeat(64)}:resolved:1`,
    ]);
    expect(outcome.sends.every((send) => send.status === 'sent')).toBe(true);
    expect(webhook.posted.map((message) => message.text.split(' (')[0])).toEqual([
      '🟠 Drifted again — prod',
      '🟡 Drift changed — prod',
      '🟡 New drift — prod',
      '✅ no longer drifted: db',
    ]);
    expect(JSON.stringify(webhook.posted[0])).toContain('last resolved 2024-05-03 06:00 UTC');
    expect((await store.notifications({ repo: 'acme/infra' })).map((record) => [record.kind, record.status]).sort()).toEqual([
      ['alert', 'sent'],
      ['alert', 'sent'],
      ['alert', 'sent'],
      ['resolved', 'sent'],
    ]);
  });

  it('sends nothing the second time it is given the same scan (a retried job, another replica)', async () => {
    const { store, deps } = await harness();
    await recordScanAt(store, '2024-05-01T06:00:00.000Z', [bucketFinding()]);
    const latest = await recordScanAt(store, '2024-05-02T06:00:00.000Z', [bucketFinding(), securityGroupFinding()]);
    const webhook = slackWebhook([[200, 'ok']]);

    await notifyScan(input(latest), deps);
    const again = await notifyScan(input(latest), deps);

    expect(again.sends).toEqual([{ status: 'duplicate', key: expect.stringContaining('aws_security_group.web-sg') }]);
    expect(webhook.posted).toHaveLength(1);
  });

  it('alerts a drift each time it comes back, even with the fingerprint of an earlier episode', async () => {
    const { store, deps } = await harness();
    const webhook = slackWebhook([[200, 'ok'], [200, 'ok'], [200, 'ok'], [200, 'ok']]);
    const results: RecordScanResult[] = [];
    for (const [day, found] of [['01', [bucketFinding()]], ['02', [bucketFinding(), securityGroupFinding()]], ['03', [bucketFinding()]], ['04', [bucketFinding(), securityGroupFinding()]], ['05', [bucketFinding()]], ['06', [bucketFinding(), securityGroupFinding()]]] as [string, FindingRecord[]][]) {
      results.push(await recordScanAt(store, `2024-05-${day}T06:00:00.000Z`, found));
    }

    for (const result of results.slice(1)) await notifyScan(input(result), deps);

    expect(webhook.posted.map((message) => message.text.split(' (')[0])).toEqual([
      '🔴 New drift — prod',
      '✅ no longer drifted: web-sg',
      '🔴 Drifted again — prod',
      '✅ no longer drifted: web-sg',
    ]);
    expect(webhook.scope.pendingMocks()).toEqual([]);
    // The fourth scan's recurrence has a key of its own, so the third episode is alerted too.
    const third = await notifyScan(input(results[5]!), deps);
    expect(third.sends).toEqual([{ status: 'duplicate', key: expect.stringContaining(':recurred:3') }]);
  });

  it('keeps going after a message Slack refuses, and reports it instead of throwing', async () => {
    const { store, deps } = await harness();
    await recordScanAt(store, '2024-05-01T06:00:00.000Z', [lowDrift]);
    const latest = await recordScanAt(store, '2024-05-02T06:00:00.000Z', [lowDrift, securityGroupFinding(), bucketFinding()]);
    const webhook = slackWebhook([[404, 'no_service'], [200, 'ok']]);

    const outcome = await notifyScan(input(latest), deps);

    expect(outcome.sends.map((send) => send.status)).toEqual(['failed', 'sent']);
    expect(outcome.sends[0]).toMatchObject({ error: 'Slack answered HTTP 404: no_service' });
    expect(webhook.scope.isDone()).toBe(true);
    expect((await store.notifications({ repo: 'acme/infra' })).map((record) => record.status).sort()).toEqual(['failed', 'sent']);
  });

  it('sends nothing for a channel the server has no webhook for, and says which variable to set', async () => {
    const { store, log, deps } = await harness();
    await recordScanAt(store, '2024-05-01T06:00:00.000Z', [lowDrift]);
    const latest = await recordScanAt(store, '2024-05-02T06:00:00.000Z', [lowDrift, securityGroupFinding()]);

    const outcome = await notifyScan(input(latest, { slack: { ...slack, channel: 'sec-ops' } }), deps);

    expect(outcome).toEqual({ skipped: 'unknown-channel', sends: [] });
    expect(log.lines).toEqual([expect.objectContaining({ level: 'warn', meta: expect.objectContaining({ channel: 'sec-ops', env: 'DRIFTWATCH_SLACK_WEBHOOK_SEC_OPS' }) })]);
  });

  it('takes a channel written with a leading # as the same destination', async () => {
    const { store, deps } = await harness();
    const webhook = slackWebhook([[200, 'ok']]);
    await recordScanAt(store, '2024-05-01T06:00:00.000Z', [lowDrift]);
    const latest = await recordScanAt(store, '2024-05-02T06:00:00.000Z', [lowDrift, securityGroupFinding()]);

    const first = await notifyScan(input(latest, { slack: { ...slack, channel: '#infra-alerts' } }), deps);
    const again = await notifyScan(input(latest), deps);

    expect(first.sends).toEqual([expect.objectContaining({ status: 'sent', key: expect.stringMatching(/^slack:INFRA_ALERTS:/) })]);
    expect(again.sends).toEqual([expect.objectContaining({ status: 'duplicate' })]);
    expect(webhook.posted).toHaveLength(1);
  });

  it('says nothing about an unknown channel when nothing was due (an unchanged rescan)', async () => {
    const { store, log, deps } = await harness();
    await recordScanAt(store, '2024-05-01T06:00:00.000Z', [securityGroupFinding()]);
    const unchanged = await recordScanAt(store, '2024-05-02T06:00:00.000Z', [securityGroupFinding()]);

    const outcome = await notifyScan(input(unchanged, { slack: { ...slack, channel: 'sec-ops' } }), deps);

    expect(unchanged.transitions.map((transition) => transition.kind)).toEqual(['unchanged']);
    expect(outcome).toEqual({ skipped: null, sends: [] });
    expect(log.lines).toEqual([]);
  });

  it('does nothing when the repository has no notify.slack', async () => {
    const { store, deps } = await harness();
    const first = await recordScanAt(store, '2024-05-01T06:00:00.000Z', [securityGroupFinding()]);
    expect(await notifyScan(input(first, { slack: undefined }), deps)).toEqual({ skipped: 'not-configured', sends: [] });
  });

  it('sends nothing for a failed scan, and the next scan that reads the workspace is still its first', async () => {
    const { store, deps } = await harness();
    const failed = await recordScanAt(store, '2024-05-01T06:00:00.000Z', [], { status: 'failed', error: 'the state s3://acme-tfstate/prod.tfstate could not be read: AccessDenied' });
    expect(await notifyScan(input(failed), deps)).toEqual({ skipped: null, sends: [] });

    const webhook = slackWebhook([[200, 'ok']]);
    const next = await recordScanAt(store, '2024-05-02T06:00:00.000Z', [securityGroupFinding()]);
    const outcome = await notifyScan(input(next), deps);
    expect(outcome.sends).toEqual([expect.objectContaining({ key: 'slack:INFRA_ALERTS:acme/infra:prod:first-scan', status: 'sent' })]);
    expect(webhook.posted).toHaveLength(1);
  });

  it('sends no ✅ for what a partial scan could not read', async () => {
    const { store, deps } = await harness();
    await recordScanAt(store, '2024-05-01T06:00:00.000Z', [securityGroupFinding(), instanceFinding()]);
    const partial = await recordScanAt(store, '2024-05-02T06:00:00.000Z', [securityGroupFinding()], { status: 'partial', unknown: [{ liveType: 'aws_instance', region: 'eu-west-1', reason: 'AccessDenied: ec2:DescribeInstances' }] });

    expect(await notifyScan(input(partial), deps)).toEqual({ skipped: null, sends: [] });
  });

  it('never sends a secret from the state', async () => {
    const { store, deps } = await harness();
    const webhook = slackWebhook([[200, 'ok']]);
    const secret = 'hunter2-db-master-password';
    await recordScanAt(store, '2024-05-01T06:00:00.000Z', [lowDrift]);
    const latest = await recordScanAt(store, '2024-05-02T06:00:00.000Z', [lowDrift, unmanagedInstanceFinding({ title: `Changed outside Terraform: password = ${secret}`, cloudId: `db-${secret}` })]);

    await notifyScan(input(latest, { secrets: [secret] }), deps);

    expect(webhook.posted).toHaveLength(1);
    expect(JSON.stringify(webhook.posted)).not.toContain(secret);
  });
});
