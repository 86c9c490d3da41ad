import { describe, expect, it } from 'vitest';
import { notifyScan, type NotifyScanInput } from '../../src/notify/notify-scan.js';
import type { SlackConfig } from '../../src/config/repo-config.js';
import { slackWebhooksFromEnv } from '../../src/config/settings.js';
import type { RecordScanResult, ScanRecord, Transition } from '../../src/store/types.js';
import { bucketFinding, DASHBOARD_URL, instanceFinding, REPO, securityGroupFinding, unmanagedInstanceFinding } from './findings.js';
import { recordingLog } from './log.js';
import { notificationStore } from './notification-store.js';
import { slackWebhook, WEBHOOK_URL } from './slack-nock.js';

const slack: SlackConfig = { channel: 'infra-alerts', min_severity: 'medium', briefing: { enabled: true, schedule: '0 9 * * 1' } };
const webhooks = slackWebhooksFromEnv({ DRIFTWATCH_SLACK_WEBHOOK_INFRA_ALERTS: WEBHOOK_URL });
const links = { issues: new Map([['aws_security_group.web-sg', 'https://github.com/acme/infra/issues/42']]), dashboard: DASHBOARD_URL };

function scan(overrides: Partial<ScanRecord> = {}): ScanRecord {
  return {
    id: 815,
    repo: REPO,
    installationId: 4242,
    workspace: 'prod',
    commitSha: '3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c0e2b4d6f8a',
    trigger: 'schedule',
    status: 'complete',
    error: null,
    startedAt: '2024-05-13T05:59:41.000Z',
    finishedAt: '2024-05-13T06:00:03.000Z',
    durationMs: 22_000,
    counts: { critical: 1, high: 1, medium: 2, low: 1 },
    postureScore: 71,
    apiCalls: 118,
    unknown: [],
    ...overrides,
  };
}

function result(transitions: Transition[], overrides: Partial<RecordScanResult> = {}): RecordScanResult {
  return { scan: scan(), firstScan: false, transitions, ...overrides };
}

function input(overrides: Partial<NotifyScanInput>): NotifyScanInput {
  return { result: result([]), slack, webhooks, links, timezone: 'UTC', ...overrides };
}

function harness() {
  const store = notificationStore();
  const log = recordingLog();
  return { store, log, deps: { store, log, now: () => new Date('2024-05-13T06:00:05.000Z'), sleep: async () => {} } };
}

const lowDrift = instanceFinding({ resourceKey: 'aws_instance.worker', address: 'aws_instance.worker', severity: 'low', title: 'Instance type changed from t3.large to t3.xlarge' });

describe('notifyScan', () => {
  it('sends the first scan of a workspace as one summary, not one alert per drift', async () => {
    const { store, deps } = harness();
    const webhook = slackWebhook([[200, 'ok']]);
    const found = [securityGroupFinding(), bucketFinding(), instanceFinding(), unmanagedInstanceFinding(), lowDrift];

    const outcome = await notifyScan(input({ result: result(found.map((finding) => ({ kind: 'opened', finding })), { firstScan: true }) }), deps);

    expect(outcome).toEqual({ skipped: null, sends: [{ status: 'sent', key: 'slack:INFRA_ALERTS:acme/infra:prod:first-scan', attempts: 1 }] });
    expect(webhook.posted).toHaveLength(1);
    expect(webhook.posted[0]!.text.split('\n')[0]).toBe('First drift scan — prod (acme/infra): 5 drifted');
    expect(store.records.get('slack:INFRA_ALERTS:acme/infra:prod:first-scan')).toMatchObject({ kind: 'summary', status: 'sent' });
  });

  it('stays quiet on a first scan that found nothing at or above min_severity', async () => {
    const { deps } = harness();
    const outcome = await notifyScan(input({ result: result([{ kind: 'opened', finding: lowDrift }], { firstScan: true }) }), deps);
    expect(outcome).toEqual({ skipped: null, sends: [] });
  });

  it('alerts each new, changed and recurred drift at or above min_severity, most severe first, then the resolved', async () => {
    const { store, deps } = harness();
    const webhook = slackWebhook([[200, 'ok'], [200, 'ok'], [200, 'ok'], [200, 'ok']]);
    const resolved = securityGroupFinding({ resourceKey: 'aws_security_group.db', address: 'aws_security_group.db', status: 'resolved', resolvedAt: '2024-05-13T06:00:03.000Z' });
    const recurred = bucketFinding({ episode: 2, lastResolvedAt: '2024-05-01T06:00:00.000Z' });
    const changed = instanceFinding({ fingerprint: 'b'.repeat(64) });
    const transitions: Transition[] = [
      { kind: 'unchanged', finding: securityGroupFinding() },
      { kind: 'resolved', finding: resolved },
      { kind: 'opened', finding: lowDrift },
      { kind: 'changed', finding: changed, previous: instanceFinding() },
      { kind: 'recurred', finding: recurred, previous: bucketFinding({ status: 'resolved', resolvedAt: '2024-05-01T06:00:00.000Z' }) },
      { kind: 'opened', finding: unmanagedInstanceFinding() },
    ];

    const outcome = await notifyScan(input({ result: result(transitions) }), deps);

    expect(outcome.sends.map((send) => send.key)).toEqual([
      `slack:INFRA_ALERTS:acme/infra:prod:module.storage.aws_s3_bucket_public_access_block.assets:${recurred.fingerprint}:recurred:2`,
      `slack:INFRA_ALERTS:acme/infra:prod:aws_instance.api:${'b'.repeat(64)}:changed:1`,
      `slack:INFRA_ALERTS:acme/infra:prod:aws_instance:i-0123456789abcdef0:${unmanagedInstanceFinding().fingerprint}:opened:1`,
      `slack:INFRA_ALERTS:acme/infra:prod:aws_security_group.db:${resolved.fingerprint}:resolved:1`,
    ]);
    expect(outcome.sends.every((send) => send.status === 'sent')).toBe(true);
    expect(webhook.posted.map((message) => message.text.split(' (')[0])).toEqual([
      '🟠 Drifted again — prod',
      '🟡 Drift changed — prod',
      '🟡 New drift — prod',
      '✅ no longer drifted: db',
    ]);
    expect([...store.records.values()].map((record) => record.kind)).toEqual(['alert', 'alert', 'alert', 'resolved']);
  });

  it('sends nothing the second time it is given the same scan (a retried job, another replica)', async () => {
    const { deps } = harness();
    const webhook = slackWebhook([[200, 'ok']]);
    const once = input({ result: result([{ kind: 'opened', finding: securityGroupFinding() }]) });

    await notifyScan(once, deps);
    const again = await notifyScan(once, deps);

    expect(again.sends).toEqual([{ status: 'duplicate', key: expect.stringContaining(':opened:1') }]);
    expect(webhook.posted).toHaveLength(1);
  });

  it('alerts a drift that comes back with the fingerprint of an earlier episode', async () => {
    const { deps } = harness();
    const webhook = slackWebhook([[200, 'ok'], [200, 'ok']]);
    const first = securityGroupFinding({ episode: 2, lastResolvedAt: '2024-05-01T06:00:00.000Z' });
    const second = securityGroupFinding({ episode: 3, lastResolvedAt: '2024-05-08T06:00:00.000Z' });

    await notifyScan(input({ result: result([{ kind: 'recurred', finding: first, previous: securityGroupFinding({ status: 'resolved' }) }]) }), deps);
    await notifyScan(input({ result: result([{ kind: 'recurred', finding: second, previous: securityGroupFinding({ status: 'resolved' }) }]) }), deps);

    expect(webhook.posted).toHaveLength(2);
  });

  it('keeps going after a message Slack refuses, and reports it instead of throwing', async () => {
    const { deps } = harness();
    const webhook = slackWebhook([[404, 'no_service'], [200, 'ok']]);
    const transitions: Transition[] = [{ kind: 'opened', finding: securityGroupFinding() }, { kind: 'opened', finding: bucketFinding() }];

    const outcome = await notifyScan(input({ result: result(transitions) }), deps);

    expect(outcome.sends.map((send) => send.status)).toEqual(['failed', 'sent']);
    expect(outcome.sends[0]).toMatchObject({ error: 'Slack answered HTTP 404: no_service' });
    expect(webhook.scope.isDone()).toBe(true);
  });

  it('sends nothing for a channel the server has no webhook for, and says which variable to set', async () => {
    const { log, deps } = harness();
    const outcome = await notifyScan(input({ slack: { ...slack, channel: 'sec-ops' }, result: result([{ kind: 'opened', finding: securityGroupFinding() }]) }), deps);
    expect(outcome).toEqual({ skipped: 'unknown-channel', sends: [] });
    expect(log.lines).toEqual([expect.objectContaining({ level: 'warn', meta: expect.objectContaining({ channel: 'sec-ops', env: 'DRIFTWATCH_SLACK_WEBHOOK_SEC_OPS' }) })]);
  });

  it('says nothing about an unknown channel when nothing was due (an unchanged rescan)', async () => {
    const { log, deps } = harness();
    const outcome = await notifyScan(input({ slack: { ...slack, channel: 'sec-ops' }, result: result([{ kind: 'unchanged', finding: securityGroupFinding() }]) }), deps);
    expect(outcome).toEqual({ skipped: null, sends: [] });
    expect(log.lines).toEqual([]);
  });

  it('does nothing when the repository has no notify.slack', async () => {
    const { deps } = harness();
    expect(await notifyScan(input({ slack: undefined, result: result([{ kind: 'opened', finding: securityGroupFinding() }]) }), deps)).toEqual({ skipped: 'not-configured', sends: [] });
  });

  it('sends nothing for a failed scan', async () => {
    const { deps } = harness();
    const outcome = await notifyScan(input({ result: result([], { scan: scan({ status: 'failed', error: 'the state could not be read' }), firstScan: true }) }), deps);
    expect(outcome).toEqual({ skipped: null, sends: [] });
  });

  it('never sends a secret from the state', async () => {
    const { deps } = harness();
    const webhook = slackWebhook([[200, 'ok']]);
    const secret = 'hunter2-db-master-password';
    const finding = unmanagedInstanceFinding({ title: `Changed outside Terraform: password = ${secret}`, cloudId: `db-${secret}` });

    await notifyScan(input({ result: result([{ kind: 'opened', finding }]), secrets: [secret] }), deps);

    expect(JSON.stringify(webhook.posted)).not.toContain(secret);
    expect(webhook.posted).toHaveLength(1);
  });
});
