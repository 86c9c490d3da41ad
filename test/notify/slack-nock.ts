// Named nock helpers for Slack incoming webhooks. The path is the secret part of a webhook URL.
import nock from 'nock';

export const WEBHOOK_PATH = '/services/T0A1B2C3D/B0E4F5G6H/Xy7Zq9Lm2Np4Rs6Tv8Wx0Yz1';
export const WEBHOOK_URL = `https://hooks.slack.com${WEBHOOK_PATH}`;
export const WEBHOOK_SECRET = 'Xy7Zq9Lm2Np4Rs6Tv8Wx0Yz1';

export interface PostedMessage {
  text: string;
  blocks: unknown[];
  unfurl_links?: boolean;
}

/** The webhook, answering each post with the next of `answers` (status, body, headers);
 * `posted` collects what was sent. */
export function slackWebhook(answers: [number, string, Record<string, string>?][], path = WEBHOOK_PATH): { scope: nock.Scope; posted: PostedMessage[] } {
  const posted: PostedMessage[] = [];
  const scope = nock('https://hooks.slack.com');
  for (const [status, body, headers] of answers) {
    scope.post(path, (payload: PostedMessage) => (posted.push(payload), true)).reply(status, body, { 'content-type': 'text/html', ...headers });
  }
  return { scope, posted };
}
