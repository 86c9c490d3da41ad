// GitHub's limits, per installation, as an Octokit request hook: content-creating requests
// (POST, PATCH, PUT, DELETE) go out one at a time and at most about 80 a minute, the secondary
// rate limit's budget; every request, read or write, waits out a 403/429 that says when to come
// back (secondary limit: `retry-after`, or a minute when it names no time; primary:
// `x-ratelimit-remaining: 0` until `x-ratelimit-reset`) and is retried, never dropped; 5xx answers
// get a few retries with backoff.
// The state lives in the pacer, keyed by installation, so the many Octokit instances Probot makes
// for one installation (one per event) share one queue and one budget; with REDIS_URL the budget
// lives in Redis (writeBucket), shared by every worker. The one-at-a-time order and the wait
// after a rate limit stay per process: another process meets the limit on its next write, and
// waits as GitHub says.
import { createTokenBucket, type TokenBucket } from '../aws/token-bucket.js';
import type { JobLogger } from '../jobs/types.js';
import type { GitHubClient } from './octokit.js';

export interface PacerOptions {
  /** Content-creating requests per installation in any 60-second window. GitHub's documented
   * secondary limit is 80 a minute (and 500 an hour). */
  writesPerMinute?: number;
  /** Writes that may go back to back after a pause; counted inside `writesPerMinute`. */
  burst?: number;
  /** Longest a request may spend waiting on rate limits and 5xx backoff, across its retries,
   * before the error reaches the caller (which reports it for a later retry). */
  maxWaitMs?: number;
  /** Retries of a 5xx (or a network failure) for requests that are safe to repeat. */
  serverErrorRetries?: number;
  /** First 5xx backoff; doubled per retry. */
  serverErrorBackoffMs?: number;
  /** Wait after a secondary limit that names no time (GitHub: "at least one minute"), doubled
   * for each further one in a row. */
  secondaryLimitWaitMs?: number;
  /** The write budget's token bucket for these limits; default in memory (this process). With
   * REDIS_URL, one in Redis (redis-token-bucket.ts), so every worker shares the installation's
   * budget. Keyed by installation id. */
  writeBucket?: (limits: { ratePerSecond: number; burst: number }) => TokenBucket;
  /** Milliseconds clock and sleep; injectable so tests run on virtual time. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: JobLogger;
}

export interface PacerStats {
  /** Requests sent, retries included. */
  reads: number;
  writes: number;
  /** Requests sent again after a rate limit or a 5xx. */
  retries: number;
  /** Time spent waiting on rate limits and backoff (not on the write pacing). */
  waitedMs: number;
}

export interface Pacer {
  /** Wraps every request of `octokit` (an installation's client). Attaching the same client
   * twice does nothing. Returns the client. */
  attach(octokit: GitHubClient, installationId: number): GitHubClient;
  stats(installationId: number): PacerStats;
}

/** GitHub asked us to wait longer than the request's budget: retry the work after `retryAt`. */
export class GitHubRetryLaterError extends Error {
  readonly status: number;
  readonly retryAt: string;

  constructor(message: string, options: { status: number; retryAt: string; cause: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'GitHubRetryLaterError';
    this.status = options.status;
    this.retryAt = options.retryAt;
  }
}

interface InstallationState {
  /** The tail of the write queue: each write starts after the previous one settled. */
  tail: Promise<unknown>;
  /** No request of this installation goes out before this time (a rate limit answered). */
  blockedUntil: number;
  /** Secondary limits in a row without a `retry-after`: each doubles the next wait. */
  strikes: number;
  stats: PacerStats;
}

interface RequestOptions {
  method?: string;
  url?: string;
}

interface ErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

type Decision = { kind: 'fail' } | { kind: 'rate-limit'; waitMs: number; secondary: boolean } | { kind: 'server-error' };

const CONTENT_CREATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
// Creating one of these twice makes a visible duplicate, and a 5xx does not prove GitHub did not
// create it: the writer reports the failure instead, and the next reconcile finds what was made
// (by its marker) before writing again. Git objects, refs, labels and check runs are safe to
// repeat (content-addressed, or answered 422 when they exist).
const NOT_REPEATABLE_POST = /\/(issues|comments|pulls|reactions)$|^\/graphql$/;

export function createPacer(options: PacerOptions = {}): Pacer {
  const writesPerMinute = options.writesPerMinute ?? 80;
  const burst = options.burst ?? 5;
  if (!(burst >= 1 && writesPerMinute > burst)) {
    throw new RangeError(`pacer: writesPerMinute (${writesPerMinute}) must exceed burst (${burst}), and burst must be at least 1`);
  }
  const maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
  const serverErrorRetries = options.serverErrorRetries ?? 3;
  const serverErrorBackoffMs = options.serverErrorBackoffMs ?? 1000;
  const secondaryLimitWaitMs = options.secondaryLimitWaitMs ?? 60_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = options.log;
  // The burst is inside the minute's budget: refilling at (limit - burst) a minute, no 60-second
  // window ever holds more than `writesPerMinute` writes.
  const limits = { ratePerSecond: (writesPerMinute - burst) / 60, burst };
  const bucket = options.writeBucket ? options.writeBucket(limits) : createTokenBucket({ ...limits, now, sleep });
  const installations = new Map<number, InstallationState>();
  const attached = new WeakSet<object>();

  function stateOf(installationId: number): InstallationState {
    let state = installations.get(installationId);
    if (!state) {
      state = { tail: Promise.resolve(), blockedUntil: 0, strikes: 0, stats: { reads: 0, writes: 0, retries: 0, waitedMs: 0 } };
      installations.set(installationId, state);
    }
    return state;
  }

  function attach(octokit: GitHubClient, installationId: number): GitHubClient {
    if (attached.has(octokit)) return octokit;
    attached.add(octokit);
    const state = stateOf(installationId);
    const key = String(installationId);
    octokit.hook.wrap('request', (request, requestOptions) => {
      const method = String(requestOptions.method ?? 'GET').toUpperCase();
      // The installation token is fetched through this same client, from inside the first request
      // that needs it: queued behind that request, it would wait for itself.
      if (isAuthRequest(method, requestOptions.url)) return request(requestOptions);
      const write = CONTENT_CREATING.has(method);
      const send = () => sendWithRetries(state, key, write, async () => request(requestOptions), requestOptions);
      if (!write) return send();
      const run = state.tail.then(send, send);
      state.tail = run.catch(() => undefined);
      return run;
    });
    return octokit;
  }

  async function sendWithRetries<T>(state: InstallationState, key: string, write: boolean, send: () => Promise<T>, request: RequestOptions): Promise<T> {
    let waited = 0;
    let serverRetries = 0;
    let attempt = 0;
    for (;;) {
      const blocked = state.blockedUntil - now();
      if (blocked > 0) {
        if (waited + blocked > maxWaitMs) throw retryLater(request, state.blockedUntil, waited);
        await sleep(blocked);
        waited += blocked;
        state.stats.waitedMs += blocked;
      }
      if (write) await bucket.take(key);
      if (attempt > 0) state.stats.retries += 1;
      attempt += 1;
      state.stats[write ? 'writes' : 'reads'] += 1;
      try {
        const response = await send();
        state.strikes = 0;
        return response;
      } catch (error) {
        const decision = classify(error as ErrorLike, state);
        if (decision.kind === 'fail') throw error;
        if (decision.kind === 'rate-limit') {
          if (decision.secondary) state.strikes += 1;
          const until = now() + decision.waitMs;
          state.blockedUntil = Math.max(state.blockedUntil, until);
          log?.warn({ method: request.method, url: request.url, waitMs: decision.waitMs, secondary: decision.secondary }, 'GitHub rate limit: waiting before retrying');
          if (waited + decision.waitMs > maxWaitMs) throw retryLater(request, until, waited, error);
          continue;
        }
        if (serverRetries >= serverErrorRetries || !repeatable(request)) throw error;
        const backoff = serverErrorBackoffMs * 2 ** serverRetries;
        serverRetries += 1;
        if (waited + backoff > maxWaitMs) throw error;
        log?.warn({ method: request.method, url: request.url, status: (error as ErrorLike).status, backoffMs: backoff }, 'GitHub server error: retrying');
        await sleep(backoff);
        waited += backoff;
        state.stats.waitedMs += backoff;
      }
    }
  }

  function classify(error: ErrorLike, state: InstallationState): Decision {
    const status = error.status;
    if (typeof status !== 'number') return { kind: 'fail' };
    if (status >= 500) return { kind: 'server-error' };
    // GitHub's content-creation limit on issues, comments and pull requests answers 422 "was
    // submitted too quickly", and nothing was created: a secondary limit that names no time.
    if (status === 422 && /submitted too quickly/i.test(`${error.message ?? ''} ${JSON.stringify(error.response?.data ?? '')}`)) {
      return { kind: 'rate-limit', waitMs: secondaryLimitWaitMs * 2 ** state.strikes, secondary: true };
    }
    if (status !== 403 && status !== 429) return { kind: 'fail' };
    const headers = error.response?.headers ?? {};
    const retryAfter = parseRetryAfter(headers['retry-after'], now());
    if (retryAfter !== null) return { kind: 'rate-limit', waitMs: retryAfter, secondary: true };
    if (String(headers['x-ratelimit-remaining']) === '0') {
      const reset = Number(headers['x-ratelimit-reset']);
      // One second past the reset, as GitHub advises; at least a second if the clocks disagree.
      const waitMs = Number.isFinite(reset) ? Math.max(1000, reset * 1000 - now() + 1000) : secondaryLimitWaitMs;
      return { kind: 'rate-limit', waitMs, secondary: false };
    }
    if (status === 429 || /secondary rate limit|abuse/i.test(error.message ?? '')) {
      return { kind: 'rate-limit', waitMs: secondaryLimitWaitMs * 2 ** state.strikes, secondary: true };
    }
    // A 403 that is not a rate limit (missing permission, blocked): waiting would not help.
    return { kind: 'fail' };
  }

  function retryLater(request: RequestOptions, until: number, waited: number, cause?: unknown): GitHubRetryLaterError {
    const status = (cause as ErrorLike | undefined)?.status ?? 403;
    const retryAt = new Date(until).toISOString();
    return new GitHubRetryLaterError(
      `GitHub rate limit on ${request.method} ${request.url}: GitHub asks to wait until ${retryAt}, beyond this request's ${Math.round(maxWaitMs / 60_000)}-minute budget (${Math.round(waited / 1000)} s already waited); retry the work after that time`,
      { status, retryAt, cause },
    );
  }

  return {
    attach,
    stats: (installationId) => ({ ...stateOf(installationId).stats }),
  };
}

/** `retry-after` in seconds (or an HTTP date), as milliseconds from now; null when absent. */
function parseRetryAfter(value: string | number | undefined, now: number): number | null {
  if (value === undefined || value === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(String(value));
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function repeatable(request: RequestOptions): boolean {
  const method = String(request.method ?? 'GET').toUpperCase();
  return method !== 'POST' || !NOT_REPEATABLE_POST.test(pathOf(request.url));
}

/** Token requests of the app's authentication (as @octokit/plugin-throttling recognizes them). */
function isAuthRequest(method: string, url: string | undefined): boolean {
  const path = pathOf(url);
  if (method === 'PATCH') return /^\/applications\/[^/]+\/token\/scoped$/.test(path);
  return method === 'POST' && (/^\/app\/installations\/[^/]+\/access_tokens$/.test(path) || /^\/applications\/[^/]+\/token$/.test(path) || path === '/login/oauth/access_token');
}

/** The path of a route template or URL. Pagination follows absolute URLs from the Link header;
 * GitHub Enterprise Server prefixes /api/v3. */
function pathOf(url: string | undefined): string {
  return (String(url ?? '').replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? '').replace(/^\/api\/v3(?=\/)/, '');
}
