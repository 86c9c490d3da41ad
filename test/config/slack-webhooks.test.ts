import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { settingsFromEnv, slackWebhooksFromEnv } from '../../src/config/settings.js';
import { slackChannelKey, slackWebhookVariable } from '../../src/config/slack-channel.js';
import { DriftwatchError } from '../../src/errors.js';

const OPS = 'https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnopqrstuvwx';
const ALERTS = 'https://hooks.slack.com/services/T0001/B0002/yxwvutsrqponmlkjihgfedcb';

describe('Slack webhooks from the server environment', () => {
  it.each([
    ['platform-alerts', 'PLATFORM_ALERTS'],
    ['#platform-alerts', 'PLATFORM_ALERTS'],
    ['Platform.Alerts', 'PLATFORM_ALERTS'],
    ['ops', 'OPS'],
    ['sre-24x7', 'SRE_24X7'],
  ])('channel %s is the variable suffix %s', (channel, key) => {
    expect(slackChannelKey(channel)).toBe(key);
    expect(slackWebhookVariable(channel)).toBe(`DRIFTWATCH_SLACK_WEBHOOK_${key}`);
  });

  it('maps each channel a variable names to its URL, by the name a config writes', () => {
    const webhooks = slackWebhooksFromEnv({ DRIFTWATCH_SLACK_WEBHOOK_OPS: OPS, DRIFTWATCH_SLACK_WEBHOOK_PLATFORM_ALERTS: ` ${ALERTS} `, DRIFTWATCH_SLACK_WEBHOOK_EMPTY: '', PATH: '/usr/bin' });
    expect(webhooks.channels).toEqual(['OPS', 'PLATFORM_ALERTS']);
    expect(webhooks.url('#platform-alerts')).toBe(ALERTS);
    expect(webhooks.url('ops')).toBe(OPS);
    expect(webhooks.url('empty')).toBeNull();
    expect(webhooks.url('security')).toBeNull();
  });

  it('never shows a URL when the settings are logged or serialized', () => {
    const settings = settingsFromEnv({ DRIFTWATCH_SLACK_WEBHOOK_OPS: OPS });
    expect(JSON.stringify(settings)).not.toContain('hooks.slack.com');
    expect(inspect(settings, { depth: 10 })).not.toContain('hooks.slack.com');
    expect(settings.slack.channels).toEqual(['OPS']);
  });

  it.each([
    [{ DRIFTWATCH_SLACK_WEBHOOK_OPS: 'http://hooks.slack.com/services/T0001/B0001/secretsecret' }, 'DRIFTWATCH_SLACK_WEBHOOK_OPS is not an https URL'],
    [{ DRIFTWATCH_SLACK_WEBHOOK_OPS: 'hooks.slack.com/services/T0001/B0001/secretsecret' }, 'DRIFTWATCH_SLACK_WEBHOOK_OPS is not an https URL'],
    [{ DRIFTWATCH_SLACK_WEBHOOK_: OPS }, 'DRIFTWATCH_SLACK_WEBHOOK_ names no channel'],
    [{ DRIFTWATCH_SLACK_WEBHOOK_PLATFORM_ALERTS: OPS, 'DRIFTWATCH_SLACK_WEBHOOK_platform-alerts': ALERTS }, 'DRIFTWATCH_SLACK_WEBHOOK_PLATFORM_ALERTS and DRIFTWATCH_SLACK_WEBHOOK_platform-alerts name the same channel'],
  ])('refuses %j, naming the variable and never its value', (env, message) => {
    let caught: unknown;
    try {
      slackWebhooksFromEnv(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DriftwatchError);
    expect((caught as Error).message).toContain(message);
    expect((caught as Error).message).not.toMatch(/secretsecret|T0001/);
  });
});
