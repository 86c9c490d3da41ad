// Every test runs offline: any HTTP request that no nock interceptor answers fails loudly
// instead of reaching a real GitHub, AWS or Slack.
import nock from 'nock';
import { afterEach, beforeAll } from 'vitest';

beforeAll(() => {
  nock.disableNetConnect();
  // Loopback stays reachable: some tests serve the fake AWS account over real HTTP on 127.0.0.1
  // (fake-aws/server.ts, for the built CLI in its own process and for watching connections) or
  // start the app's server and call it.
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
});

afterEach(() => {
  nock.cleanAll();
});
