// The fake account behind nock: the SDK's real Node HTTP handler sends real requests, nock
// answers them at the HTTP layer. `origin` is where the clients send (the AWS hosts by default,
// or a custom endpoint such as http://127.0.0.1:4566).
import nock from 'nock';
import type { FakeAccount } from './account.js';
import { parseRequest } from './parse-request.js';

const AWS_HOSTS = /^https:\/\/[a-z0-9.-]+\.amazonaws\.com(:443)?$/;

export function interceptFakeAws(account: FakeAccount, origin: string | RegExp = AWS_HOSTS): nock.Scope {
  const scope = nock(origin).persist();
  for (const method of ['GET', 'POST', 'HEAD'] as const) {
    scope.intercept(/.*/, method).reply(function (path, body) {
      const host = String(this.req.headers.host ?? '');
      const answer = account.handle(
        parseRequest({
          method,
          host,
          path,
          headers: this.req.headers,
          body: typeof body === 'string' ? body : body ? JSON.stringify(body) : '',
        }),
      );
      return [answer.statusCode, answer.body, answer.headers];
    });
  }
  return scope;
}
