import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { alertMessage } from '../../src/notify/alert-message.js';
import { sendSlackMessage, type SlackSendRequest } from '../../src/notify/send-slack-message.js';
import { securityGroupFinding } from './findings.js';
import { recordingLog } from '../support/recording-log.js';
import { sqliteStore, type TestStore } from './sqlite-store.js';
import { slackWebhook, WEBHOOK_SECRET, WEBHOOK_URL } from './slack-nock.js';

const KEY = 'slack:security:acme/infra:prod:aws_security_group.web-sg:9c1e5f0b:opened:1';

function request(overrides: Partial<SlackSendRequest> = {}): SlackSendRequest {
  return {
    channel: 'security',
    webhookUrl: WEBHOOK_URL,
    message: alertMessage({ transition: { kind: 'opened', finding: securityGroupFinding() }, issueUrl: null, timezone: 'UTC' }),
    notification: { key: KEY, kind: 'alert', repo: 'acme/infra', workspace: 'prod' },
    ...overrides,
  };
}

let opened: TestStore | null = null;

afterEach(async () => {
  await opened?.close();
  opened = null;
});

async function harness() {
  opened = await sqliteStore();
  const { store } = opened;
  const log = recordingLog();
  const sleeps: number[] = [];
  const deps = { store, log, now: () => new Date('2024-05-13T06:00:05.000Z'), sleep: async (ms: number) => void sleeps.push(ms) };
  const record = async (key = KEY) => (await store.notifications({ repo: 'acme/infra' })).find((notification) => notification.key === key);
  return { store, log, sleeps, deps, record };
}

describe('sendSlackMessage', () => {
  it('retries a 500 and sends the message once: two attempts, recorded as sent', async () => {
    const { record, log, sleeps, deps } = await harness();
    const webhook = slackWebhook([[500, 'rollup_error'], [200, 'ok']]);

    const outcome = await sendSlackMessage(request(), deps);

    expect(outcome).toEqual({ status: 'sent', key: KEY, attempts: 2 });
    expect(webhook.scope.isDone()).toBe(true);
    expect(webhook.posted).toHaveLength(2);
    expect(webhook.posted[1]).toMatchObject({ text: request().message.text, blocks: request().message.blocks, unfurl_links: false });
    expect(sleeps).toEqual([1_000]);
    expect(await record()).toMatchObject({ status: 'sent', attempts: 2, error: null, channel: 'security', kind: 'alert', sentAt: '2024-05-13T06:00:05.000Z' });
    expect(log.lines.map((line) => [line.level, line.message])).toEqual([
      ['warn', 'Slack webhook failed; retrying'],
      ['info', 'Slack message sent'],
    ]);
  });

  it('does not retry a 400 invalid_payload: failed after one attempt, recorded with the reason', async () => {
    const { record, sleeps, deps } = await harness();
    const webhook = slackWebhook([[400, 'invalid_payload']]);

    const outcome = await sendSlackMessage(request(), deps);

    expect(outcome).toEqual({ status: 'failed', key: KEY, attempts: 1, error: 'Slack answered HTTP 400: invalid_payload' });
    expect(webhook.scope.isDone()).toBe(true);
    expect(sleeps).toEqual([]);
    expect(await record()).toMatchObject({ status: 'failed', attempts: 1, error: 'Slack answered HTTP 400: invalid_payload', sentAt: null });
  });

  it('sends nothing for a key already claimed (a redelivery, a retried job, a second replica)', async () => {
    const { store, record, log, deps } = await harness();
    await store.claimNotification({ key: KEY, kind: 'alert', channel: 'security', repo: 'acme/infra', workspace: 'prod', createdAt: '2024-05-13T06:00:04.000Z' });

    // No interceptor: any request would fail the test on disallowed net connect.
    const outcome = await sendSlackMessage(request(), deps);

    expect(outcome).toEqual({ status: 'duplicate', key: KEY });
    expect((await record())?.status).toBe('pending');
    expect(log.lines).toEqual([expect.objectContaining({ level: 'info', message: 'Slack message already sent or being sent for this key; not sending it again' })]);
  });

  it('sends one message when two sends of the same key race', async () => {
    const { deps } = await harness();
    const webhook = slackWebhook([[200, 'ok']]);

    const outcomes = await Promise.all([sendSlackMessage(request(), deps), sendSlackMessage(request(), deps)]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['duplicate', 'sent']);
    expect(webhook.posted).toHaveLength(1);
  });

  it('waits out a 429 for as long as retry-after says', async () => {
    const { sleeps, deps } = await harness();
    slackWebhook([[429, 'rate_limited', { 'retry-after': '3' }], [200, 'ok']]);

    const outcome = await sendSlackMessage(request(), deps);

    expect(outcome).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sleeps).toEqual([3_000]);
  });

  it('gives up on a 429 that asks for longer than a message may wait', async () => {
    const { record, sleeps, deps } = await harness();
    slackWebhook([[429, 'rate_limited', { 'retry-after': '600' }]]);

    const outcome = await sendSlackMessage(request(), deps);

    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
    expect(sleeps).toEqual([]);
    expect((await record())?.error).toBe('Slack answered HTTP 429: rate_limited; Slack asked to wait 600 s, longer than the 30 s a message may wait');
  });

  it('retries a network error', async () => {
    const { deps } = await harness();
    nock('https://hooks.slack.com').post(/.*/).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' }).post(/.*/).reply(200, 'ok');

    const outcome = await sendSlackMessage(request(), deps);

    expect(outcome).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('stops after a bounded number of attempts with exponential backoff between them', async () => {
    const { record, sleeps, deps } = await harness();
    const webhook = slackWebhook(Array.from({ length: 5 }, () => [503, 'service_unavailable'] as [number, string]));

    const outcome = await sendSlackMessage(request(), deps);

    expect(outcome).toEqual({ status: 'failed', key: KEY, attempts: 5, error: 'Slack answered HTTP 503: service_unavailable' });
    expect(webhook.scope.isDone()).toBe(true);
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(await record()).toMatchObject({ status: 'failed', attempts: 5 });
  });

  it('never logs or records the webhook URL, even when the error text holds it', async () => {
    const { store, log, deps } = await harness();
    // No interceptor: nock's refusal names the host and the secret path, as a proxy error might.
    const outcome = await sendSlackMessage(request(), { ...deps, retry: { attempts: 2 } });

    expect(outcome.status).toBe('failed');
    const written = JSON.stringify([await store.notifications({ repo: 'acme/infra' }), log.lines]);
    expect(written).not.toContain(WEBHOOK_SECRET);
    expect(written).not.toContain('hooks.slack.com/services');
    expect(written).toContain('[webhook URL]');
    expect(log.lines.every((line) => line.meta.channel === 'security')).toBe(true);
  });

  it('sends nothing when the claim cannot be recorded (the database is gone), and does not throw', async () => {
    const { log, deps } = await harness();
    await opened!.close();
    opened = null;

    // No interceptor: a send would fail the test on disallowed net connect, and be logged as a send.
    const outcome = await sendSlackMessage(request(), deps);

    expect(outcome).toMatchObject({ status: 'failed', key: KEY, attempts: 0 });
    expect(outcome.status === 'failed' && outcome.error).toMatch(/^the notification could not be recorded before sending \(.+\); not sent$/);
    expect(log.lines.map((line) => [line.level, line.message])).toEqual([['error', 'Slack message not sent: the store did not take its claim']]);
  });

  it('still reports a sent message when its outcome cannot be recorded', async () => {
    const { log, deps } = await harness();
    // The database goes away while Slack answers: the claim stands, the outcome cannot be written.
    nock('https://hooks.slack.com').post(/.*/).reply(async () => {
      await opened!.close();
      opened = null;
      return [200, 'ok'];
    });

    const outcome = await sendSlackMessage(request(), deps);

    expect(outcome).toMatchObject({ status: 'sent', attempts: 1 });
    expect(log.lines.map((line) => [line.level, line.message])).toEqual([
      ['error', 'Slack message outcome could not be recorded'],
      ['info', 'Slack message sent'],
    ]);
  });
});
