// Every test runs offline: any HTTP request that no nock interceptor answers fails loudly
// instead of reaching a real GitHub, AWS or Slack.
import nock from 'nock';
import { afterEach, beforeAll } from 'vitest';

beforeAll(() => {
  nock.disableNetConnect();
  // PostgreSQL and Redis on loopback are real services in this project's tests.
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
});

afterEach(() => {
  nock.cleanAll();
});
