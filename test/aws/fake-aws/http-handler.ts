// The fake account behind an in-process SDK request handler: no sockets, a fixed latency per
// call. The benchmark uses it, and tests that need no HTTP-level behaviour can too.
import type { HttpRequest, HttpResponse } from '@smithy/types';
import type { FakeAccount } from './account.js';
import { parseRequest } from './parse-request.js';

export interface FakeHandlerOptions {
  /** Milliseconds before each answer, like a round trip to AWS. */
  latencyMs?: number;
}

export function fakeHttpHandler(account: FakeAccount, options: FakeHandlerOptions = {}) {
  const latencyMs = options.latencyMs ?? 0;
  const handler = {
    /** Milliseconds spent answering (the fake's own CPU), so benchmarks can tell it apart. */
    serverMs: 0,
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      const started = performance.now();
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (value === null) query.append(key, '');
        else for (const item of Array.isArray(value) ? value : [value]) query.append(key, item);
      }
      const search = query.toString().replace(/=(?=&|$)/g, '');
      const answer = account.handle(
        parseRequest({
          method: request.method,
          host: request.port ? `${request.hostname}:${request.port}` : request.hostname,
          path: `${request.path}${search ? `?${search}` : ''}`,
          headers: request.headers,
          // TextDecoder, not Buffer.from: the SDK's JSON bodies are Uint8Arrays that warn when
          // asked for their valueOf(), as Buffer.from does.
          body: typeof request.body === 'string' ? request.body : request.body ? new TextDecoder().decode(request.body as Uint8Array) : '',
        }),
      );
      const body = new TextEncoder().encode(answer.body);
      handler.serverMs += performance.now() - started;
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body } as HttpResponse };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
  return handler;
}
