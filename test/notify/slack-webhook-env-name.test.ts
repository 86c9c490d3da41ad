import { describe, expect, it } from 'vitest';
import { slackWebhookEnvName } from '../../src/notify/slack-webhook-env-name.js';

describe('slackWebhookEnvName', () => {
  it.each([
    ['infra-alerts', 'DRIFTWATCH_SLACK_WEBHOOK_INFRA_ALERTS'],
    ['sec.ops', 'DRIFTWATCH_SLACK_WEBHOOK_SEC_OPS'],
    ['prod', 'DRIFTWATCH_SLACK_WEBHOOK_PROD'],
  ])('%s', (channel, name) => {
    expect(slackWebhookEnvName(channel)).toBe(name);
  });
});
