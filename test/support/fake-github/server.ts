// The fake GitHub behind a real node:http server on 127.0.0.1, its REST API under /api/v3 as
// GitHub Enterprise Server serves it: an app (in this process or another) reaches it with
// GHE_HOST=127.0.0.1:<port> and GHE_PROTOCOL=http, and Probot's app authentication (a JWT, then
// POST /app/installations/{id}/access_tokens) runs unchanged. Every request is recorded (method,
// path, route, body, status, time), and failures can be queued for the next matching requests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HttpError, matchRoute, type FakeRequest, type FakeResponse } from './http.js';
import { FakeGitHub } from './model.js';
import { allRoutes, type RouteDefinition } from './routes.js';

export interface RecordedRequest {
  method: string;
  /** Path under /api/v3, without the query. */
  path: string;
  /** The route template it matched ("POST /repos/{owner}/{repo}/issues"); null when none did. */
  route: string | null;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** Milliseconds since the epoch, when the request arrived. */
  time: number;
  installationId: number | null;
  /** A 500: what the fake threw (a bug in the fake, or a request it cannot take). */
  error?: string;
}

export interface InjectedFailure {
  /** A route template as the log names it: "POST /repos/{owner}/{repo}/issues". */
  route: string;
  /** How many matching requests fail. */
  times: number;
  status: number;
  message: string;
  headers?: Record<string, string>;
}

export interface FakeGitHubServer {
  github: FakeGitHub;
  /** http://127.0.0.1:<port> */
  url: string;
  /** http://127.0.0.1:<port>/api/v3 */
  apiUrl: string;
  /** What the app's environment needs to reach this fake as GitHub Enterprise Server. */
  env: { GHE_HOST: string; GHE_PROTOCOL: 'http' };
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[];
  /** Requests that changed something (POST, PATCH, PUT, DELETE), the token exchange left out. */
  writes(filter?: { route?: string; since?: number }): RecordedRequest[];
  reads(filter?: { route?: string; since?: number }): RecordedRequest[];
  /** Routes asked for that the fake does not serve (a test should expect none). */
  unhandled: RecordedRequest[];
  /** The next `times` requests to `route` fail with this status and message. */
  fail(failure: InjectedFailure): void;
  /** GitHub's secondary rate limit on the next `times` requests to `route`: 403 with retry-after. */
  secondaryRateLimit(route: string, times: number, retryAfterSeconds?: number): void;
  /** Resolves once no request is in flight and none arrived for `quietMs` (for an app in another
   * process, whose queue the test cannot see). */
  settled(quietMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  github?: FakeGitHub;
  /** Largest page any list answers with (GitHub's is 100): lower to make every list paginate. */
  maxPerPage?: number;
  /** Milliseconds before each answer. */
  latencyMs?: number;
}

const TOKEN_EXCHANGE = 'POST /app/installations/{installation_id}/access_tokens';

export async function serveFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHubServer> {
  const github = options.github ?? new FakeGitHub();
  const requests: RecordedRequest[] = [];
  const unhandled: RecordedRequest[] = [];
  const failures: InjectedFailure[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let lastActivity = Date.now();
  let base = '';

  const server = createServer((req, res) => {
    inFlight++;
    lastActivity = Date.now();
    void handle(req, res).finally(() => {
      inFlight--;
      lastActivity = Date.now();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = Date.now();
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const url = new URL(req.url ?? '/', base);
    const method = (req.method ?? 'GET').toUpperCase();
    // Routes match the path as sent (a `{path}` parameter's slashes arrive as %2F); the log keeps
    // it decoded, as people read it.
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    let body: unknown = raw;
    if (raw !== '' && String(req.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const record: RecordedRequest = { method, path: safeDecode(path), route: null, query: Object.fromEntries(url.searchParams), body: raw === '' ? undefined : body, status: 0, time, installationId: null };
    requests.push(record);
    let response: FakeResponse;
    try {
      if (!url.pathname.startsWith('/api/v3/')) throw new HttpError(404, 'Not Found (the fake serves the REST API under /api/v3)');
      response = route(record, { method, path, query: url.searchParams, headers: req.headers, body, params: {}, url });
    } catch (error) {
      response = error instanceof HttpError ? error.response() : { status: 500, body: { message: error instanceof Error ? error.message : String(error) } };
      if (!(error instanceof HttpError)) record.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    }
    record.status = response.status;
    send(res, response);
  }

  function route(record: RecordedRequest, request: FakeRequest): FakeResponse {
    let found: { definition: RouteDefinition; params: Record<string, string> } | null = null;
    for (const definition of allRoutes()) {
      const params = matchRoute(definition.route, request.method, request.path);
      if (params) {
        found = { definition, params };
        break;
      }
    }
    if (!found) {
      unhandled.push(record);
      throw new HttpError(404, 'Not Found');
    }
    const { definition, params } = found;
    record.route = `${definition.route.method} ${definition.route.template}`;
    request.params = params;
    const installationId = authenticate(definition, request);
    record.installationId = installationId;
    const failure = failures.find((candidate) => candidate.times > 0 && candidate.route === record.route);
    if (failure) {
      failure.times -= 1;
      throw new HttpError(failure.status, failure.message, {}, failure.headers ?? {});
    }
    const urls = { api: `${base}/api/v3`, web: base };
    const actor = github.botLogin;
    if (definition.auth === 'repository') {
      const full = `${params.owner}/${params.repo}`.toLowerCase();
      const visible = github.installations.get(installationId ?? -1)?.repositories.some((name) => name.toLowerCase() === full);
      // GitHub answers 404 for a repository the token may not see, as for one that does not exist.
      if (!visible) throw new HttpError(404, 'Not Found');
    }
    return definition.handle({ fake: github, request, urls, installationId, actor });
  }

  function authenticate(definition: RouteDefinition, request: FakeRequest): number | null {
    const header = String(request.headers.authorization ?? '');
    const [scheme = '', credential = ''] = header.split(' ');
    if (definition.auth === 'app') {
      if (scheme.toLowerCase() !== 'bearer' || !jwtIssuedBy(credential, github.app.id)) throw new HttpError(401, 'A JSON web token could not be decoded');
      return null;
    }
    const installationId = github.tokens.get(credential);
    if (!['token', 'bearer'].includes(scheme.toLowerCase()) || installationId === undefined) throw new HttpError(401, 'Bad credentials');
    return installationId;
  }

  function send(res: ServerResponse, response: FakeResponse): void {
    const headers: Record<string, string> = {
      'x-github-request-id': `FAKE:${requests.length.toString(16).toUpperCase()}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...response.headers,
    };
    if (response.status === 204 || response.body === undefined) {
      res.writeHead(response.status, headers);
      res.end();
      return;
    }
    const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  const select = (write: boolean) => (filter: { route?: string; since?: number } = {}) =>
    requests.filter((request) => (request.method !== 'GET') === write && request.route !== TOKEN_EXCHANGE && (!filter.route || request.route === filter.route) && (filter.since === undefined || request.time >= filter.since));

  return {
    github,
    url: base,
    apiUrl: `${base}/api/v3`,
    env: { GHE_HOST: `127.0.0.1:${port}`, GHE_PROTOCOL: 'http' },
    requests,
    unhandled,
    writes: select(true),
    reads: select(false),
    fail: (failure) => failures.push({ ...failure }),
    secondaryRateLimit(route, times, retryAfterSeconds = 1) {
      failures.push({ route, times, status: 403, message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE.', headers: { 'retry-after': String(retryAfterSeconds) } });
    },
    async settled(quietMs = 300) {
      for (;;) {
        const quietFor = Date.now() - lastActivity;
        if (inFlight === 0 && quietFor >= quietMs) return;
        await new Promise((resolve) => setTimeout(resolve, Math.max(20, quietMs - quietFor)));
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The JWT's payload names the app as its issuer (Probot signs with the app's private key; the
 * fake does not hold the public key, and checks the claims it can). */
function jwtIssuedBy(token: string, appId: number): boolean {
  const [, payload] = token.split('.');
  if (!payload) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: unknown };
    return String(claims.iss) === String(appId) && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now() - 60_000;
  } catch {
    return false;
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export { FakeGitHub } from './model.js';
