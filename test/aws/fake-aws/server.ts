// The fake account behind a real HTTP server on 127.0.0.1: for what runs in another process (the
// built CLI, through AWS_ENDPOINT_URL) and for tests that watch the connections a scan leaves
// open. Requests reach the account as the services receive them, after an optional latency.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FakeAccount } from './account.js';
import type { FakeResponse } from './render.js';
import { parseRequest } from './parse-request.js';

export interface FakeAwsServer {
  /** http://127.0.0.1:<port>, for AWS_ENDPOINT_URL. */
  url: string;
  /** Connections clients hold open now (keep-alive included). */
  openConnections(): number;
  close(): Promise<void>;
}

export interface FakeAwsServerOptions {
  /** Milliseconds before each answer, like a round trip to AWS. */
  latencyMs?: number;
  /** Answers what the account does not simulate (CloudTrail, say); undefined passes the request on. */
  answer?: (request: { target: string | undefined; body: string }) => FakeResponse | undefined;
}

export async function serveFakeAws(account: FakeAccount, options: FakeAwsServerOptions = {}): Promise<FakeAwsServer> {
  const latencyMs = options.latencyMs ?? 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      try {
        const target = req.headers['x-amz-target'];
        const answer = options.answer?.({ target: typeof target === 'string' ? target : undefined, body }) ?? account.handle(
          parseRequest({ method: req.method ?? 'GET', host: req.headers.host ?? '', path: req.url ?? '/', headers: req.headers, body }),
        );
        res.writeHead(answer.statusCode, answer.headers);
        res.end(answer.body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(error instanceof Error ? error.message : String(error));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    openConnections: () => sockets.size,
    close: () =>
      new Promise((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
