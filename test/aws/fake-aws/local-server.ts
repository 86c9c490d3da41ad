// The fake account behind a real HTTP server on loopback, for faults nock cannot make: a socket
// reset in the middle of a response body. `sabotage` picks the requests to spoil and how.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeAccount } from './account.js';
import { parseRequest, type ParsedRequest } from './parse-request.js';

/** `reset`: headers and part of the body, then the socket is destroyed. `truncate`: a complete
 * HTTP response whose body is the first part of the document (its length says so). */
export type Sabotage = 'reset' | 'truncate';

export interface FakeAwsServer {
  /** http://127.0.0.1:<port>, for the clients' endpoint settings. */
  url: string;
  close(): Promise<void>;
}

export async function serveFakeAws(account: FakeAccount, sabotage: (request: ParsedRequest) => Sabotage | null = () => null): Promise<FakeAwsServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const parsed = parseRequest({ method: req.method ?? 'GET', host: req.headers.host ?? '', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = account.handle(parsed);
      const body = Buffer.from(answer.body, 'utf8');
      const spoil = sabotage(parsed);
      // Cut well inside the document, so no parser can take the part for the whole.
      const part = body.subarray(0, Math.floor(body.length / 2));
      if (spoil === 'truncate') {
        res.writeHead(answer.statusCode, { ...answer.headers, 'content-length': String(part.length) });
        res.end(part);
        return;
      }
      res.writeHead(answer.statusCode, { ...answer.headers, 'content-length': String(body.length) });
      if (spoil === 'reset') {
        res.write(part, () => setTimeout(() => res.socket?.destroy(), 5));
        return;
      }
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
