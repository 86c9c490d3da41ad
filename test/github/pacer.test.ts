import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import type { GitHubClient } from '../../src/github/octokit.js';
import { createPacer, GitHubRetryLaterError, type PacerOptions } from '../../src/github/pacer.js';
import { createFakeClock } from '../aws/fixtures/fake-clock.js';
import { REPO } from './github-responses.js';
import { API, mockGitHub, notAccessible, primaryRateLimit, secondaryRateLimit, serverError, tooManyRequests, validationFailed } from './nock-github.js';

const START = Date.parse('2025-06-02T09:00:00Z');
const base = `/repos/${REPO.owner}/${REPO.name}`;

function client(): GitHubClient {
  return new ProbotOctokit({ auth: { token: 't' }, retry: { enabled: false }, throttle: { enabled: false } });
}

function setup(options: PacerOptions = {}, installationId = 4242) {
  const clock = createFakeClock(START);
  const pacer = createPacer({ now: clock.now, sleep: clock.sleep, ...options });
  const octokit = pacer.attach(client(), installationId);
  return { clock, pacer, octokit };
}

function createIssue(octokit: GitHubClient, title: string) {
  return octokit.request('POST /repos/{owner}/{repo}/issues', { owner: REPO.owner, repo: REPO.name, title });
}

/** Most requests inside any window [t, t + 60 s). */
function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(0, ...sorted.map((first) => sorted.filter((t) => t >= first && t < first + 60_000).length));
}

describe('createPacer', () => {
  it('waits out a secondary rate limit (403 with retry-after) and sends the write again', async () => {
    const { clock, pacer, octokit } = setup();
    const gh = mockGitHub();
    gh.createIssue(7, secondaryRateLimit(1));
    gh.createIssue(7);

    const response = await clock.run(createIssue(octokit, 'Drift: aws_s3_bucket.logs'));

    expect(response.status).toBe(201);
    expect(response.data.number).toBe(7);
    expect(gh.writes()).toHaveLength(2);
    expect(clock.now() - START).toBeGreaterThanOrEqual(1000);
    expect(pacer.stats(4242)).toMatchObject({ writes: 2, retries: 1, waitedMs: 1000 });
  });

  it('waits out a 429 for as long as retry-after says', async () => {
    const { clock, octokit } = setup();
    const times: number[] = [];
    nock(API).patch(`${base}/issues/3`).reply(() => (times.push(clock.now()), [429, tooManyRequests(2).body, tooManyRequests(2).headers]));
    nock(API).patch(`${base}/issues/3`).reply(() => (times.push(clock.now()), [200, { number: 3 }]));

    await clock.run(octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner: REPO.owner, repo: REPO.name, issue_number: 3, title: 'x' }));

    expect(times[1]! - times[0]!).toBe(2000);
  });

  it('waits for the primary limit to reset (x-ratelimit-remaining 0) before retrying', async () => {
    const { clock, octokit } = setup();
    const reset = Math.floor(START / 1000) + 30;
    const times: number[] = [];
    nock(API).get(`${base}/labels`).query(true).reply(() => (times.push(clock.now()), [403, primaryRateLimit(reset).body, primaryRateLimit(reset).headers]));
    nock(API).get(`${base}/labels`).query(true).reply(() => (times.push(clock.now()), [200, []]));

    await clock.run(octokit.request('GET /repos/{owner}/{repo}/labels', { owner: REPO.owner, repo: REPO.name, per_page: 100 }));

    expect(times[1]).toBe(reset * 1000 + 1000);
  });

  it('waits a minute after a secondary limit that names no time, and twice as long after the next', async () => {
    const { clock, octokit } = setup();
    const times: number[] = [];
    const limited = secondaryRateLimit();
    nock(API).post(`${base}/issues`).times(2).reply(() => (times.push(clock.now()), [403, limited.body, limited.headers]));
    nock(API).post(`${base}/issues`).reply(() => (times.push(clock.now()), [201, { number: 1 }]));

    await clock.run(createIssue(octokit, 'x'));

    expect(times.map((t) => t - START)).toEqual([0, 60_000, 180_000]);
  });

  it('treats a 422 "was submitted too quickly" (the content-creation limit) as a secondary limit', async () => {
    const { clock, octokit } = setup();
    const times: number[] = [];
    const tooQuickly = validationFailed('Validation Failed', [{ resource: 'Issue', code: 'custom', field: 'body', message: 'was submitted too quickly' }]);
    nock(API).post(`${base}/issues`).reply(() => (times.push(clock.now()), [tooQuickly.status, tooQuickly.body]));
    nock(API).post(`${base}/issues`).reply(() => (times.push(clock.now()), [201, { number: 1 }]));

    await clock.run(createIssue(octokit, 'x'));

    expect(times.map((t) => t - START)).toEqual([0, 60_000]);
  });

  it('does not retry a 403 that is not a rate limit: the error reaches the caller at once', async () => {
    const { clock, pacer, octokit } = setup();
    const gh = mockGitHub();
    gh.createIssue(1, notAccessible());

    await expect(clock.run(createIssue(octokit, 'x'))).rejects.toMatchObject({ status: 403, message: expect.stringContaining('Resource not accessible by integration') });
    expect(pacer.stats(4242)).toMatchObject({ writes: 1, retries: 0 });
  });

  it('retries a 5xx with backoff, but never repeats a POST that creates an issue, comment or pull request', async () => {
    const { clock, octokit } = setup();
    const gh = mockGitHub();
    gh.updateIssue(5, {}, serverError(502));
    gh.updateIssue(5, {});
    gh.createIssue(6, serverError(500));

    const updated = await clock.run(octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner: REPO.owner, repo: REPO.name, issue_number: 5, body: 'b' }));
    expect(updated.status).toBe(200);
    expect(clock.now() - START).toBe(1000);

    await expect(clock.run(createIssue(octokit, 'x'))).rejects.toMatchObject({ status: 500 });
    expect(gh.writes().map((request) => `${request.method} ${request.path}`)).toEqual([`PATCH ${base}/issues/5`, `PATCH ${base}/issues/5`, `POST ${base}/issues`]);
  });

  it('gives up at once when GitHub asks to wait beyond the budget, says until when, and holds the installation until then', async () => {
    const { clock, pacer, octokit } = setup({ maxWaitMs: 15 * 60_000 });
    const reset = Math.floor(START / 1000) + 2 * 3600;
    const gh = mockGitHub();
    gh.createIssue(1, primaryRateLimit(reset));

    const error = await clock.run(createIssue(octokit, 'x')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubRetryLaterError);
    expect(error).toMatchObject({ status: 403, retryAt: new Date(reset * 1000 + 1000).toISOString() });
    expect(clock.now()).toBe(START);

    // The same installation sends nothing until then; another installation is not held.
    await expect(clock.run(octokit.request('GET /repos/{owner}/{repo}/labels', { owner: REPO.owner, repo: REPO.name }))).rejects.toBeInstanceOf(GitHubRetryLaterError);
    const other = pacer.attach(client(), 777);
    gh.listLabels(['drift']);
    await expect(clock.run(other.request('GET /repos/{owner}/{repo}/labels', { owner: REPO.owner, repo: REPO.name, per_page: 100 }))).resolves.toMatchObject({ status: 200 });
    expect(gh.sent).toHaveLength(2);
  });

  it('keeps any minute under 80 writes: the 81st waits for the bucket', async () => {
    const { clock, octokit } = setup();
    const times: number[] = [];
    nock(API).post(`${base}/issues/1/comments`).times(81).reply(() => (times.push(clock.now()), [201, { id: 1 }]));

    await clock.run(
      Promise.all(Array.from({ length: 81 }, (_, index) => octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: REPO.owner, repo: REPO.name, issue_number: 1, body: `comment ${index}` }))),
    );

    expect(times).toHaveLength(81);
    expect(busiestMinute(times)).toBeLessThanOrEqual(80);
    expect(times[80]! - times[0]!).toBeGreaterThanOrEqual(60_000);
    // A short burst goes out at once.
    expect(times.slice(0, 5).every((t) => t === START)).toBe(true);
  });

  it('does not pace reads', async () => {
    const { clock, octokit } = setup();
    nock(API).get(`${base}/issues/1`).times(200).reply(200, { number: 1 });

    await clock.run(Promise.all(Array.from({ length: 200 }, () => octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: REPO.owner, repo: REPO.name, issue_number: 1 }))));

    expect(clock.now()).toBe(START);
  });

  it('sends writes one at a time: a write behind one that hit a limit waits for it', async () => {
    const { clock, octokit } = setup();
    const arrivals: string[] = [];
    const limited = secondaryRateLimit(5);
    nock(API).post(`${base}/issues`).reply((_uri, body) => (arrivals.push(`${(body as { title: string }).title}@${clock.now() - START}`), [403, limited.body, limited.headers]));
    nock(API).post(`${base}/issues`).times(2).reply((_uri, body) => (arrivals.push(`${(body as { title: string }).title}@${clock.now() - START}`), [201, { number: 1 }]));

    await clock.run(Promise.all([createIssue(octokit, 'first'), createIssue(octokit, 'second')]));

    expect(arrivals).toEqual(['first@0', 'first@5000', 'second@5000']);
  });

  it('holds reads too while the installation waits out a limit', async () => {
    let read: Promise<unknown> = Promise.resolve();
    const times: number[] = [];
    // The read starts once the pacer has taken in the write's limit (it logs it).
    const log = { info: () => undefined, error: () => undefined, warn: () => void (read = octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: REPO.owner, repo: REPO.name, issue_number: 9 })) };
    const { clock, octokit } = setup({ log });
    const limited = secondaryRateLimit(10);
    nock(API).post(`${base}/issues`).reply(() => [403, limited.body, limited.headers]);
    nock(API).post(`${base}/issues`).reply(201, { number: 1 });
    nock(API).get(`${base}/issues/9`).reply(() => (times.push(clock.now()), [200, { number: 9 }]));

    await clock.run(createIssue(octokit, 'x'));
    await clock.run(read);

    expect(times).toEqual([START + 10_000]);
  });

  it('wraps a client once, however often it is attached', async () => {
    const { clock, pacer, octokit } = setup();
    pacer.attach(octokit, 4242);
    nock(API).get(`${base}/issues/1`).reply(200, { number: 1 });

    await clock.run(octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: REPO.owner, repo: REPO.name, issue_number: 1 }));

    expect(pacer.stats(4242).reads).toBe(1);
  });
});
