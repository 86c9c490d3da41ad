import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import { createGitHubWriter, type GitHubWriterOptions } from '../../src/github/github-writer.js';
import type { GitHubClient } from '../../src/github/octokit.js';
import { createPacer } from '../../src/github/pacer.js';
import { SEARCH_LAG_MS } from '../../src/github/read-issue-surfaces.js';
import type { WriterStore } from '../../src/github/writer-store.js';
import { formatMarker, issueSearchToken, parseMarker } from '../../src/surfaces/marker.js';
import { createFakeClock } from '../aws/fixtures/fake-clock.js';
import { BOT, REPO, type IssueOptions } from './github-responses.js';
import type { KeyedLock } from '../../src/jobs/keyed-lock.js';
import { API, fakeIssueTracker, mockGitHub, primaryRateLimit, secondaryRateLimit, serverError, validationFailed } from './nock-github.js';
import { AT, dashboardMarker, desiredCheckRun, desiredDashboard, desiredFixPr, desiredIssue, fingerprint, fixPrMarker, issueBody, issueMarker, memoryStore, scope, testPlanners } from './writer-fixtures.js';

const REPO_KEY = `${REPO.owner}/${REPO.name}`;
const base = `/repos/${REPO_KEY}`;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function client(): GitHubClient {
  return new ProbotOctokit({ auth: { token: 't' }, retry: { enabled: false }, throttle: { enabled: false } });
}

function writer(options: Partial<GitHubWriterOptions> = {}) {
  return createGitHubWriter({ octokit: client(), repo: REPO, defaultBranch: 'main', botLogin: BOT, store: null, planners: testPlanners, log: silent, now: () => new Date(AT), ...options });
}

/** An open issue of the app as the listing returns it, with the marker of `desired`. */
function openIssue(number: number, workspace: string, resource: string, options: Partial<IssueOptions> & { fingerprint?: string; state?: 'open' | 'closed'; markerState?: 'drifted' | 'resolved' } = {}): IssueOptions {
  const marker = issueMarker(workspace, resource, { fingerprint: options.fingerprint, state: options.markerState });
  return { number, title: `[high] Drift in ${workspace}: ${resource}`, body: issueBody(resource, marker), labels: ['drift', 'severity:high'], ...options };
}

/** Where the writer looks for issues search has not indexed yet: closed within the lag window. */
const LAG_SINCE = new Date(Date.parse(AT) - SEARCH_LAG_MS).toISOString();

function searchQueries(sent: { method: string; path: string }[]): string[] {
  return sent.filter((request) => request.path.startsWith('/search/issues')).map((request) => new URL(`${API}${request.path}`).searchParams.get('q') ?? '');
}

describe('GitHub writer: drift issues', () => {
  it('first scan: lists the open issues, searches six tokens a query for what the store does not know, makes the labels, creates the issues and records their numbers', async () => {
    const desired = [
      ...['aws_s3_bucket.logs', 'aws_s3_bucket.assets', 'aws_security_group.web', 'aws_iam_role.deploy', 'aws_db_instance.main'].map((resource) => desiredIssue('prod', resource, { labels: ['team:platform'] })),
      ...['aws_s3_bucket.logs', 'aws_security_group.web', 'aws_iam_policy.ci'].map((resource) => desiredIssue('staging', resource, { severity: 'medium', labels: ['team:platform'] })),
    ];
    const store = memoryStore(REPO_KEY, desired.map((issue) => ({ workspace: issue.workspace, resource: issue.resource, issueNumber: null })));
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([]);
    gh.searchIssues([]);
    gh.listRecentlyClosedIssues(LAG_SINCE, []);
    gh.listLabels(['bug', 'drift', 'severity:high']);
    gh.createLabel(2);
    desired.forEach((_, index) => gh.createIssue(20 + index));

    const report = await writer({ store }).reconcile({ issues: { desired, scope: scope(['prod', 'staging']) } });

    expect(report.failures).toEqual([]);
    expect(nock.isDone()).toBe(true);
    const queries = searchQueries(gh.sent);
    expect(queries).toHaveLength(2);
    for (const q of queries) {
      expect(q.startsWith(`repo:${REPO_KEY} is:issue in:body `)).toBe(true);
      expect(q.split(' OR ').length).toBeLessThanOrEqual(6);
    }
    expect(queries.join(' ')).toContain(issueSearchToken({ workspace: 'staging', resource: 'aws_iam_policy.ci' }));
    expect(gh.writes().filter((request) => request.path === `${base}/labels`).map((request) => request.body)).toEqual([
      { name: 'team:platform', color: 'ededed', description: 'Added to drift issues by driftwatch' },
      { name: 'severity:medium', color: 'fbca04', description: 'Drift severity: medium' },
    ]);
    const created = gh.writes().filter((request) => request.path === `${base}/issues`);
    expect(created).toHaveLength(8);
    expect(created[0]!.body).toEqual({ title: desired[0]!.title, body: desired[0]!.body, labels: ['drift', 'severity:high', 'team:platform'] });
    expect(store.issueNumbers()).toMatchObject({ 'prod aws_s3_bucket.logs': 20, 'staging aws_iam_policy.ci': 27 });
    expect(report.requests).toMatchObject({ reads: 5, writes: 10 });
    expect(report.requests.byRoute).toEqual({
      'GET /repos/{owner}/{repo}/issues': 2,
      'GET /search/issues': 2,
      'GET /repos/{owner}/{repo}/labels': 1,
      'POST /repos/{owner}/{repo}/labels': 2,
      'POST /repos/{owner}/{repo}/issues': 8,
    });
    expect(report.links[0]).toEqual({ kind: 'issue', action: 'created', label: 'prod: aws_s3_bucket.logs (#20)', url: `https://github.com/${REPO_KEY}/issues/20` });
    expect(report.issues).toHaveLength(8);
  });

  it('an unchanged rescan reads the listing once and writes nothing (no search, no labels)', async () => {
    const desired = [desiredIssue('prod', 'aws_s3_bucket.logs'), desiredIssue('prod', 'aws_security_group.web')];
    const gh = mockGitHub();
    gh.listOpenIssues([openIssue(12, 'prod', 'aws_s3_bucket.logs'), openIssue(13, 'prod', 'aws_security_group.web'), { number: 14, title: 'A person’s issue', body: 'Please look at the VPC', user: 'monalisa' }]);

    const store = memoryStore(REPO_KEY, [
      { workspace: 'prod', resource: 'aws_s3_bucket.logs', issueNumber: 12 },
      { workspace: 'prod', resource: 'aws_security_group.web', issueNumber: 13 },
    ]);
    const report = await writer({ store }).reconcile({ issues: { desired, scope: scope(['prod']) } });

    expect(report.failures).toEqual([]);
    expect(report.requests).toEqual({ reads: 1, writes: 0, byRoute: { 'GET /repos/{owner}/{repo}/issues': 1 } });
    expect(report.issues.map((issue) => issue.number).sort()).toEqual([12, 13]);
  });

  it('reads every page of the listing', async () => {
    const many = Array.from({ length: 100 }, (_, index) => openIssue(100 + index, 'prod', `aws_s3_bucket.b${index}`));
    const gh = mockGitHub();
    gh.listOpenIssues([many, [openIssue(200, 'prod', 'aws_s3_bucket.logs')]]);

    const report = await writer().reconcile({ issues: { desired: [desiredIssue('prod', 'aws_s3_bucket.logs')], scope: scope([]) } });

    expect(report.failures).toEqual([]);
    expect(report.requests.byRoute).toEqual({ 'GET /repos/{owner}/{repo}/issues': 2 });
    expect(report.issues).toHaveLength(101);
  });

  it('when the store knows the issue it reads that issue (closed) instead of searching, and reopens a recurrence: comment first, then the state', async () => {
    const desired = [desiredIssue('prod', 'aws_s3_bucket.logs')];
    const store = memoryStore(REPO_KEY, [{ workspace: 'prod', resource: 'aws_s3_bucket.logs', issueNumber: 12 }]);
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.getIssue(openIssue(12, 'prod', 'aws_s3_bucket.logs', { state: 'closed', markerState: 'resolved' }));
    gh.listLabels(['drift', 'severity:high']);
    gh.createComment(12);
    gh.updateIssue(12);

    const report = await writer({ store }).reconcile({ issues: { desired, scope: scope(['prod']) } });

    expect(report.failures).toEqual([]);
    expect(searchQueries(gh.sent)).toEqual([]);
    expect(gh.writes().map((request) => `${request.method} ${request.path}`)).toEqual([`POST ${base}/issues/12/comments`, `PATCH ${base}/issues/12`]);
    expect(String(gh.writes()[0]!.body!.body)).toMatch(/^Drifted again: `versioning\[0\]\.enabled`/);
    expect(gh.writes()[1]!.body).toMatchObject({ state: 'open', title: desired[0]!.title, body: desired[0]!.body });
    expect(report.links).toEqual([expect.objectContaining({ action: 'reopened', url: `https://github.com/${REPO_KEY}/issues/12` })]);
  });

  it('when the store does not know, search finds the issue; one a person closed stays closed, and the store learns its number', async () => {
    const desired = [desiredIssue('prod', 'aws_s3_bucket.logs')];
    const store = memoryStore(REPO_KEY, [{ workspace: 'prod', resource: 'aws_s3_bucket.logs', issueNumber: null }]);
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([
      openIssue(12, 'prod', 'aws_s3_bucket.logs', { state: 'closed', stateReason: 'not_planned', user: 'monalisa' }),
      openIssue(9, 'prod', 'aws_s3_bucket.logs', { state: 'closed', stateReason: 'not_planned' }),
    ]);

    const report = await writer({ store }).reconcile({ issues: { desired, scope: scope(['prod']) } });

    expect(report.failures).toEqual([]);
    expect(gh.writes()).toEqual([]);
    // #12 is not the app's (a person copied the marker); #9 is.
    expect(report.issues).toEqual([{ workspace: 'prod', resource: 'aws_s3_bucket.logs', number: 9, url: `https://github.com/${REPO_KEY}/issues/9`, state: 'closed' }]);
    expect(store.issueNumbers()).toEqual({ 'prod aws_s3_bucket.logs': 9 });
  });

  it('when the store does not know and search has not indexed it yet, finds the issue closed moments ago among the recently closed, and makes no second one', async () => {
    const desired = [desiredIssue('prod', 'aws_s3_bucket.logs'), desiredIssue('prod', 'aws_s3_bucket.assets')];
    const store = memoryStore(REPO_KEY, desired.map((issue) => ({ workspace: issue.workspace, resource: issue.resource, issueNumber: null })));
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([]);
    gh.listRecentlyClosedIssues(LAG_SINCE, [openIssue(14, 'prod', 'aws_s3_bucket.logs', { state: 'closed', stateReason: 'not_planned' }), openIssue(15, 'prod', 'aws_s3_bucket.other', { state: 'closed' })]);
    gh.createIssue(30);

    const report = await writer({ store }).reconcile({ issues: { desired, scope: scope(['prod']) } });

    expect(report.failures).toEqual([]);
    expect(nock.isDone()).toBe(true);
    // Only the one no listing holds is made; the closed one stays as the person left it.
    expect(gh.writes().map((request) => (request.body as { title?: string }).title)).toEqual([desired[1]!.title]);
    expect(store.issueNumbers()).toEqual({ 'prod aws_s3_bucket.logs': 14, 'prod aws_s3_bucket.assets': 30 });
  });

  it('searches when the store’s issue is gone (404), and skips an issue whose lookup failed instead of creating it twice', async () => {
    const desired = [desiredIssue('prod', 'aws_s3_bucket.logs'), desiredIssue('prod', 'aws_s3_bucket.assets')];
    const store = memoryStore(REPO_KEY, [
      { workspace: 'prod', resource: 'aws_s3_bucket.logs', issueNumber: 12 },
      { workspace: 'prod', resource: 'aws_s3_bucket.assets', issueNumber: 13 },
    ]);
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.getIssue({ number: 12 }, { status: 404, body: { message: 'Not Found' } });
    gh.getIssue({ number: 13 }, serverError(502));
    gh.searchIssues([]);
    gh.listRecentlyClosedIssues(LAG_SINCE, []);
    gh.listLabels(['drift', 'severity:high']);
    gh.createIssue(30);

    const report = await writer({ store }).reconcile({ issues: { desired, scope: scope(['prod']) } });

    expect(searchQueries(gh.sent)).toEqual([`repo:${REPO_KEY} is:issue in:body ${issueSearchToken(desired[0]!)}`]);
    expect(gh.writes().map((request) => (request.body as { title?: string }).title)).toEqual([desired[0]!.title]);
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'get-issue', identity: '#13 (prod aws_s3_bucket.assets)', status: 502, retryable: true })]);
  });

  it('an update keeps the labels people added and replaces the old severity', async () => {
    const desired = [desiredIssue('prod', 'aws_s3_bucket.logs', { fingerprint: fingerprint('changed'), severity: 'critical' })];
    const gh = mockGitHub();
    gh.listOpenIssues([openIssue(12, 'prod', 'aws_s3_bucket.logs', { labels: ['drift', 'severity:medium', 'team:payments'] })]);
    gh.listLabels(['drift', 'severity:critical']);
    gh.updateIssue(12);

    const report = await writer().reconcile({ issues: { desired, scope: scope(['prod']) } });

    expect(report.failures).toEqual([]);
    expect(gh.writes()).toEqual([{ method: 'PATCH', path: `${base}/issues/12`, body: { title: desired[0]!.title, body: desired[0]!.body, labels: ['drift', 'severity:critical', 'team:payments'] } }]);
    expect(report.links).toEqual([expect.objectContaining({ kind: 'issue', action: 'updated' })]);
  });

  it('one changed drift costs one read and one write: labels already on the issues read are not listed', async () => {
    const desired = [desiredIssue('prod', 'aws_s3_bucket.logs', { fingerprint: fingerprint('changed') })];
    const gh = mockGitHub();
    gh.listOpenIssues([openIssue(12, 'prod', 'aws_s3_bucket.logs')]);
    gh.updateIssue(12);

    const report = await writer().reconcile({ issues: { desired, scope: scope(['prod']) } });

    expect(report.failures).toEqual([]);
    expect(report.requests).toEqual({ reads: 1, writes: 1, byRoute: { 'GET /repos/{owner}/{repo}/issues': 1, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}': 1 } });
  });

  it('closes the issue of a drift that is gone: the comment, then the resolved marker and state closed (completed)', async () => {
    const gh = mockGitHub();
    gh.listOpenIssues([openIssue(12, 'prod', 'aws_s3_bucket.logs'), openIssue(13, 'staging', 'aws_s3_bucket.logs')]);
    gh.createComment(12);
    gh.updateIssue(12);

    const report = await writer().reconcile({ issues: { desired: [], scope: scope(['prod']) } });

    expect(report.failures).toEqual([]);
    expect(gh.writes().map((request) => `${request.method} ${request.path}`)).toEqual([`POST ${base}/issues/12/comments`, `PATCH ${base}/issues/12`]);
    expect(String(gh.writes()[0]!.body!.body)).toContain(`No longer drifted at ${'4c1d2e3'}`);
    const patch = gh.writes()[1]!.body!;
    expect(patch).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(parseMarker(String(patch.body))).toMatchObject({ kind: 'drift-issue', state: 'resolved', resolvedAt: AT });
    expect(report.issues.find((issue) => issue.number === 12)?.state).toBe('closed');
  });

  it('a close interrupted between its comment and its state change converges on the next run, without a second comment', async () => {
    const gh = mockGitHub();
    gh.listOpenIssues([openIssue(12, 'prod', 'aws_s3_bucket.logs')]);
    gh.createComment(12);
    gh.updateIssue(12, {}, serverError(500));

    const first = await writer().reconcile({ issues: { desired: [], scope: scope(['prod']) } });
    expect(first.failures).toEqual([expect.objectContaining({ kind: 'close-issue', identity: 'prod aws_s3_bucket.logs (#12)', status: 500, retryable: true })]);
    const posted = String(gh.writes()[0]!.body!.body);

    // GitHub now has the comment (it bumped updated_at), the issue is still open.
    gh.listOpenIssues([openIssue(12, 'prod', 'aws_s3_bucket.logs', { comments: 1, updatedAt: '2025-06-02T09:00:01Z' })]);
    gh.listComments(12, [{ id: 1, body: 'Thanks, looking', user: 'monalisa', createdAt: '2025-05-31T10:00:00Z' }, { id: 2, body: posted, createdAt: '2025-06-02T09:00:01Z' }]);
    gh.updateIssue(12);

    const second = await writer().reconcile({ issues: { desired: [], scope: scope(['prod']) } });

    expect(second.failures).toEqual([]);
    expect(gh.writes().filter((request) => request.path.endsWith('/comments'))).toHaveLength(1);
    expect(gh.writes().at(-1)).toMatchObject({ method: 'PATCH', body: { state: 'closed' } });
    const commentsRead = gh.reads().find((request) => request.path.includes('/comments'));
    expect(new URL(`${API}${commentsRead!.path}`).searchParams.get('since')).toBe('2025-06-02T09:00:00.000Z');
  });

  it('a 500 on one write is reported and the other writes still happen', async () => {
    const desired = [desiredIssue('prod', 'aws_s3_bucket.a'), desiredIssue('prod', 'aws_s3_bucket.b'), desiredIssue('prod', 'aws_s3_bucket.c')];
    const store = memoryStore(REPO_KEY, desired.map((issue) => ({ workspace: issue.workspace, resource: issue.resource, issueNumber: null })));
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([]);
    gh.listRecentlyClosedIssues(LAG_SINCE, []);
    gh.listLabels(['drift', 'severity:high']);
    gh.createIssue(21);
    gh.createIssue(22, serverError(500));
    gh.createIssue(23);

    const report = await writer({ store }).reconcile({ issues: { desired, scope: scope(['prod']) } });

    expect(report.failures).toEqual([{ kind: 'create-issue', identity: 'prod aws_s3_bucket.b', message: expect.stringContaining('Server Error'), status: 500, retryAt: null, retryable: true }]);
    expect(report.links.map((link) => link.label)).toEqual(['prod: aws_s3_bucket.a (#21)', 'prod: aws_s3_bucket.c (#23)']);
    expect(store.issueNumbers()).toEqual({ 'prod aws_s3_bucket.a': 21, 'prod aws_s3_bucket.b': null, 'prod aws_s3_bucket.c': 23 });
  });

  it('a body over GitHub’s limit is not sent: reported (not retryable), the rest written', async () => {
    const long = desiredIssue('prod', 'aws_s3_bucket.big', { body: `${'x'.repeat(65_537)}` });
    const desired = [long, desiredIssue('prod', 'aws_s3_bucket.small')];
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([]);
    gh.listRecentlyClosedIssues(LAG_SINCE, []);
    gh.listLabels(['drift', 'severity:high']);
    gh.createIssue(31);

    const report = await writer().reconcile({ issues: { desired, scope: scope(['prod']) } });

    expect(report.failures).toEqual([expect.objectContaining({ kind: 'create-issue', identity: 'prod aws_s3_bucket.big', retryable: false, message: expect.stringContaining('at most 65,535') })]);
    expect(gh.writes().map((request) => (request.body as { title: string }).title)).toEqual([desired[1]!.title]);
  });

  it('without the app’s login, lists open issues by the drift label', async () => {
    const gh = mockGitHub();
    gh.listOpenIssuesByLabel([openIssue(12, 'prod', 'aws_s3_bucket.logs', { user: 'driftwatch-enterprise[bot]' })]);

    const report = await writer({ botLogin: null }).reconcile({ issues: { desired: [desiredIssue('prod', 'aws_s3_bucket.logs')], scope: scope(['prod']) } });

    expect(report.failures).toEqual([]);
    expect(report.issues.map((issue) => issue.number)).toEqual([12]);
  });

  it('plans nothing when the listing fails: creating blind would duplicate issues', async () => {
    const gh = mockGitHub();
    gh.listOpenIssues([], { failure: serverError(503) });

    const report = await writer().reconcile({ issues: { desired: [desiredIssue('prod', 'aws_s3_bucket.logs')], scope: scope(['prod']) }, dashboard: desiredDashboard() });

    expect(report.failures).toEqual([expect.objectContaining({ kind: 'read-issues', status: 503, retryable: true })]);
    expect(gh.writes()).toEqual([]);
  });
});

describe('GitHub writer: rate limits', () => {
  it('a secondary rate limit on issue creation is waited out, and nothing is lost', async () => {
    const clock = createFakeClock(Date.parse(AT));
    const octokit = createPacer({ now: clock.now, sleep: clock.sleep }).attach(client(), 4242);
    const desired = [desiredIssue('prod', 'aws_s3_bucket.logs'), desiredIssue('prod', 'aws_s3_bucket.assets')];
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([]);
    gh.listRecentlyClosedIssues(LAG_SINCE, []);
    gh.listLabels(['drift', 'severity:high']);
    gh.createIssue(40, secondaryRateLimit(1));
    gh.createIssue(40);
    gh.createIssue(41);

    const report = await clock.run(writer({ octokit }).reconcile({ issues: { desired, scope: scope(['prod']) } }));

    expect(report.failures).toEqual([]);
    expect(report.links.map((link) => link.label)).toEqual(['prod: aws_s3_bucket.logs (#40)', 'prod: aws_s3_bucket.assets (#41)']);
    expect(clock.now() - Date.parse(AT)).toBeGreaterThanOrEqual(1000);
    expect(nock.isDone()).toBe(true);
  });

  it('a limit beyond the pacer’s budget fails every write of the installation at once, each reported with when to retry', async () => {
    const clock = createFakeClock(Date.parse(AT));
    const octokit = createPacer({ now: clock.now, sleep: clock.sleep }).attach(client(), 4242);
    const reset = Math.floor(Date.parse(AT) / 1000) + 3600;
    const desired = [desiredIssue('prod', 'aws_s3_bucket.a'), desiredIssue('prod', 'aws_s3_bucket.b')];
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([]);
    gh.listRecentlyClosedIssues(LAG_SINCE, []);
    gh.listLabels(['drift', 'severity:high']);
    gh.createIssue(40, primaryRateLimit(reset));

    const report = await clock.run(writer({ octokit }).reconcile({ issues: { desired, scope: scope(['prod']) } }));

    const retryAt = new Date(reset * 1000 + 1000).toISOString();
    expect(report.failures).toEqual([
      expect.objectContaining({ kind: 'create-issue', identity: 'prod aws_s3_bucket.a', retryAt, retryable: true }),
      expect.objectContaining({ kind: 'create-issue', identity: 'prod aws_s3_bucket.b', retryAt, retryable: true }),
    ]);
    expect(gh.writes()).toHaveLength(1);
    expect(clock.now()).toBe(Date.parse(AT));
  });
});

describe('GitHub writer: the dashboard', () => {
  it('creates it when neither the listing nor a search by title finds one', async () => {
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([]);
    gh.createIssue(50);

    const report = await writer().reconcile({ dashboard: desiredDashboard() });

    expect(report.failures).toEqual([]);
    expect(searchQueries(gh.sent)).toEqual([`repo:${REPO_KEY} is:issue in:title "Drift Dashboard"`]);
    expect(gh.writes()[0]!.body).toEqual({ title: 'Drift Dashboard', body: desiredDashboard().body });
    expect(report.dashboard).toEqual({ number: 50, url: `https://github.com/${REPO_KEY}/issues/50` });
  });

  it('rewrites it in place when its content changed, and leaves it alone when not', async () => {
    const current = { number: 50, title: 'Drift Dashboard', body: `old\n\n${formatMarker(dashboardMarker('old'))}` };
    const gh = mockGitHub();
    gh.listOpenIssues([current]);
    gh.updateIssue(50);
    gh.listOpenIssues([{ ...current, body: desiredDashboard('same').body }]);

    const changed = await writer().reconcile({ dashboard: desiredDashboard('new') });
    const unchanged = await writer().reconcile({ dashboard: desiredDashboard('same') });

    expect(changed.links).toEqual([expect.objectContaining({ kind: 'dashboard', action: 'updated' })]);
    expect(gh.writes()).toEqual([{ method: 'PATCH', path: `${base}/issues/50`, body: { title: 'Drift Dashboard', body: desiredDashboard('new').body } }]);
    expect(unchanged.requests).toMatchObject({ reads: 1, writes: 0 });
  });

  it('reopens a closed one found by search in the same request as its new body', async () => {
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([{ number: 50, title: 'Drift Dashboard', state: 'closed', body: `old\n\n${formatMarker(dashboardMarker('old'))}` }]);
    gh.updateIssue(50);

    const report = await writer().reconcile({ dashboard: desiredDashboard('new') });

    expect(report.failures).toEqual([]);
    expect(gh.writes()[0]!.body).toEqual({ title: 'Drift Dashboard', body: desiredDashboard('new').body, state: 'open' });
    expect(report.links).toEqual([expect.objectContaining({ action: 'reopened' })]);
  });

  it('renders the dashboard after the issue writes, so it links the issues this reconcile created', async () => {
    const gh = mockGitHub();
    gh.listOpenIssues([]);
    gh.searchIssues([]);
    gh.searchIssues([]);
    gh.listRecentlyClosedIssues(LAG_SINCE, []);
    gh.listLabels(['drift', 'severity:high']);
    gh.createIssue(20);
    gh.createIssue(50);

    const report = await writer().reconcile(
      { issues: { desired: [desiredIssue('prod', 'aws_s3_bucket.logs')], scope: scope(['prod']) } },
      {
        renderDashboard: (issues) => {
          const dashboard = desiredDashboard();
          return { ...dashboard, body: `${issues.map((issue) => `- [ ] ${issue.workspace}: ${issue.resource} (#${issue.number})`).join('\n')}\n\n${formatMarker(dashboard.marker)}` };
        },
      },
    );

    expect(report.failures).toEqual([]);
    expect(String(gh.writes().at(-1)!.body!.body)).toMatch(/^- \[ \] prod: aws_s3_bucket\.logs \(#20\)/);
    expect(report.dashboard).toEqual({ number: 50, url: `https://github.com/${REPO_KEY}/issues/50` });
  });

  it('runs reconciles of one repository one after another, so two at once make one dashboard', async () => {
    // A small GitHub: the listing answers what has been created so far.
    const created: Record<string, unknown>[] = [];
    nock(API)
      .get(`${base}/issues`)
      .query(true)
      .times(2)
      .reply(() => [200, created]);
    nock(API).get('/search/issues').query(true).times(2).reply(200, { total_count: 0, incomplete_results: false, items: [] });
    nock(API)
      .post(`${base}/issues`)
      .times(2)
      .reply((_uri, body) => {
        const issue = { number: 50 + created.length, state: 'open', title: 'Drift Dashboard', body: (body as { body: string }).body, labels: [], user: { login: BOT }, html_url: `https://github.com/${REPO_KEY}/issues/50`, repository_url: `${API}${base}`, comments: 0, updated_at: AT };
        created.push(issue);
        return [201, issue];
      });

    const [first, second] = await Promise.all([writer().reconcile({ dashboard: desiredDashboard() }), writer().reconcile({ dashboard: desiredDashboard() })]);

    expect(created).toHaveLength(1);
    expect(first.links).toHaveLength(1);
    expect(second.links).toEqual([]);
    nock.cleanAll();
  });
});

describe('GitHub writer: check runs', () => {
  it('sends 120 annotations as one create and two updates, 50 at most each, repeating the output', async () => {
    const gh = mockGitHub();
    gh.createCheckRun(4);
    gh.updateCheckRun(4, { times: 2 });
    const desired = desiredCheckRun(120);

    const report = await writer().reconcile({ checkRun: desired });

    expect(report.failures).toEqual([]);
    const [create, ...updates] = gh.writes();
    expect(create).toMatchObject({ method: 'POST', path: `${base}/check-runs`, body: { name: 'driftwatch', head_sha: desired.headSha, status: 'completed', conclusion: 'failure', completed_at: AT, actions: desired.actions } });
    expect((create!.body!.output as { annotations: unknown[] }).annotations).toEqual(desired.annotations.slice(0, 50));
    expect(updates.map((update) => (update.body!.output as { annotations: unknown[] }).annotations.length)).toEqual([50, 20]);
    for (const update of updates) {
      expect(update.path).toBe(`${base}/check-runs/4`);
      expect(update.body!.output).toMatchObject(desired.output);
    }
    expect(report.checkRun).toEqual({ id: 4, url: `https://github.com/${REPO_KEY}/runs/4` });
    expect(report.requests.byRoute).toEqual({ 'POST /repos/{owner}/{repo}/check-runs': 1, 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': 2 });
  });

  it('starts a check run in progress and completes the same one later', async () => {
    const gh = mockGitHub();
    gh.createCheckRun(7);
    gh.updateCheckRun(7, { times: 2 });
    const github = writer();

    const started = await github.startCheckRun({ name: 'driftwatch', headSha: 'f'.repeat(40), title: 'Scanning 2 workspaces', summary: 'Reading state and live AWS for prod and staging.' });
    const completed = await github.completeCheckRun(started.checkRun!.id, desiredCheckRun(60));

    expect(started.checkRun).toEqual({ id: 7, url: `https://github.com/${REPO_KEY}/runs/7` });
    expect(gh.writes()[0]!.body).toEqual({ name: 'driftwatch', head_sha: 'f'.repeat(40), status: 'in_progress', started_at: AT, output: { title: 'Scanning 2 workspaces', summary: 'Reading state and live AWS for prod and staging.' } });
    expect(gh.writes()[1]).toMatchObject({ method: 'PATCH', path: `${base}/check-runs/7`, body: { status: 'completed', conclusion: 'failure' } });
    expect(completed.failures).toEqual([]);
    expect(completed.requests.writes).toBe(2);
  });

  it('reports an annotation over GitHub’s limits instead of sending it', async () => {
    const desired = desiredCheckRun(2);
    desired.annotations[1]!.title = 'T'.repeat(256);

    const report = await writer().reconcile({ checkRun: desired });

    expect(report.failures).toEqual([expect.objectContaining({ kind: 'create-check-run', retryable: false, message: expect.stringContaining('annotation 2 (infra/prod/file-0.tf:8) title') })]);
    expect(report.requests.writes).toBe(0);
  });
});

describe('GitHub writer: fix pull requests', () => {
  const head = { sha: '7638417db6d59f3c431d3e1f261cc637155684cd', treeSha: '9fb037999f264ba9a7fc6274d15fa3ae2ab98312' };
  const branch = 'driftwatch/prod/restore';

  it('opens one: the default branch’s head, one tree with every file inline, one commit, the branch, the pull request; the store remembers it', async () => {
    const store = memoryStore(REPO_KEY);
    const desired = desiredFixPr('prod');
    const gh = mockGitHub();
    gh.listPulls(branch, []);
    gh.getBranch('main', head);
    gh.createTree('d4e8'.padEnd(40, '0'));
    gh.createCommit('c0a1'.padEnd(40, '0'));
    gh.createRef();
    gh.createPull(60);

    const report = await writer({ store }).reconcile({ fixPrs: [{ workspace: 'prod', direction: 'restore', desired }] });

    expect(report.failures).toEqual([]);
    expect(gh.writes().map((request) => `${request.method} ${request.path}`)).toEqual([`POST ${base}/git/trees`, `POST ${base}/git/commits`, `POST ${base}/git/refs`, `POST ${base}/pulls`]);
    const [tree, commit, ref, pull] = gh.writes();
    expect(tree!.body).toEqual({ base_tree: head.treeSha, tree: desired.files.map((file) => ({ path: file.path, mode: '100644', type: 'blob', content: file.content })) });
    expect(commit!.body).toEqual({ message: desired.title, tree: 'd4e8'.padEnd(40, '0'), parents: [head.sha] });
    expect(ref!.body).toEqual({ ref: `refs/heads/${branch}`, sha: 'c0a1'.padEnd(40, '0') });
    expect(pull!.body).toEqual({ title: desired.title, head: branch, base: 'main', body: desired.body });
    expect(store.fixPrRecords()).toEqual([{ repo: REPO_KEY, workspace: 'prod', direction: 'restore', number: 60, state: 'open', fingerprints: desired.marker.fingerprints, updatedAt: AT }]);
    expect(report.fixPrs).toEqual([{ workspace: 'prod', direction: 'restore', number: 60, url: `https://github.com/${REPO_KEY}/pull/60`, state: 'open' }]);
  });

  it('takes over a branch left by an interrupted run: the ref exists (422), so it is force-moved', async () => {
    const gh = mockGitHub();
    gh.listPulls(branch, []);
    gh.getBranch('main', head);
    gh.createTree('1'.repeat(40));
    gh.createCommit('2'.repeat(40));
    gh.createRef(validationFailed('Reference already exists'));
    gh.updateRef(branch);
    gh.createPull(61);

    const report = await writer().reconcile({ fixPrs: [{ workspace: 'prod', direction: 'restore', desired: desiredFixPr('prod') }] });

    expect(report.failures).toEqual([]);
    expect(gh.writes().find((request) => request.method === 'PATCH')).toEqual({ method: 'PATCH', path: `${base}/git/refs/heads/${branch}`, body: { sha: '2'.repeat(40), force: true } });
  });

  it('force-pushes and rewrites the body when the patch changed', async () => {
    const old = fixPrMarker('prod', 'patch-1', [fingerprint('a')]);
    const gh = mockGitHub();
    gh.listPulls(branch, [{ number: 60, body: `old\n\n${formatMarker(old)}` }]);
    gh.getBranch('main', head);
    gh.createTree('3'.repeat(40));
    gh.createCommit('4'.repeat(40));
    gh.updateRef(branch);
    gh.updatePull(60, branch);
    const desired = desiredFixPr('prod', { patchHash: 'patch-2', fingerprints: [fingerprint('a'), fingerprint('b')] });

    const report = await writer().reconcile({ fixPrs: [{ workspace: 'prod', direction: 'restore', desired }] });

    expect(report.failures).toEqual([]);
    expect(gh.writes().map((request) => `${request.method} ${request.path}`)).toEqual([`POST ${base}/git/trees`, `POST ${base}/git/commits`, `PATCH ${base}/git/refs/heads/${branch}`, `PATCH ${base}/pulls/60`]);
    expect(gh.writes()[3]!.body).toEqual({ title: desired.title, body: desired.body });
  });

  it('rewrites only the body when the drifts changed but the files did not', async () => {
    const gh = mockGitHub();
    gh.listPulls(branch, [{ number: 60, body: formatMarker(fixPrMarker('prod', 'patch-1', [fingerprint('a')])) }]);
    gh.updatePull(60, branch);

    const report = await writer().reconcile({ fixPrs: [{ workspace: 'prod', direction: 'restore', desired: desiredFixPr('prod', { patchHash: 'patch-1', fingerprints: [fingerprint('b')] }) }] });

    expect(report.failures).toEqual([]);
    expect(gh.writes().map((request) => `${request.method} ${request.path}`)).toEqual([`PATCH ${base}/pulls/60`]);
  });

  it('reopens a person-closed one whose drifts changed before force-pushing it', async () => {
    const gh = mockGitHub();
    gh.listPulls(branch, [{ number: 60, state: 'closed', body: formatMarker(fixPrMarker('prod', 'patch-1', [fingerprint('a')])) }]);
    gh.updatePull(60, branch);
    gh.getBranch('main', head);
    gh.createTree('5'.repeat(40));
    gh.createCommit('6'.repeat(40));
    gh.updateRef(branch);
    gh.updatePull(60, branch);

    const report = await writer().reconcile({ fixPrs: [{ workspace: 'prod', direction: 'restore', desired: desiredFixPr('prod', { patchHash: 'patch-2', fingerprints: [fingerprint('b')] }) }] });

    expect(report.failures).toEqual([]);
    expect(gh.writes().map((request) => `${request.method} ${request.path}`)).toEqual([`PATCH ${base}/pulls/60`, `POST ${base}/git/trees`, `POST ${base}/git/commits`, `PATCH ${base}/git/refs/heads/${branch}`, `PATCH ${base}/pulls/60`]);
    expect(gh.writes()[0]!.body).toEqual({ state: 'open' });
    expect(report.links).toEqual([expect.objectContaining({ kind: 'pull-request', action: 'reopened' })]);
  });

  it('opens a new pull request when GitHub refuses to reopen the closed one, and says so', async () => {
    const gh = mockGitHub();
    gh.listPulls(branch, [{ number: 60, state: 'closed', body: formatMarker(fixPrMarker('prod', 'patch-1', [fingerprint('a')])) }]);
    gh.updatePull(60, branch, validationFailed(`state cannot be changed. The ${branch} branch was force-pushed or recreated.`));
    gh.getBranch('main', head);
    gh.createTree('7'.repeat(40));
    gh.createCommit('8'.repeat(40));
    gh.createRef(validationFailed('Reference already exists'));
    gh.updateRef(branch);
    gh.createPull(62);

    const report = await writer().reconcile({ fixPrs: [{ workspace: 'prod', direction: 'restore', desired: desiredFixPr('prod', { patchHash: 'patch-2', fingerprints: [fingerprint('b')] }) }] });

    expect(report.failures).toEqual([]);
    expect(report.fixPrs.map((pull) => pull.number)).toEqual([62]);
    expect(report.notes).toEqual([expect.stringContaining('pull request #60 (driftwatch/prod/restore) could not be reopened')]);
  });

  it('closes one whose drifts are gone: comment, close, delete the branch; the store remembers it closed', async () => {
    const store = memoryStore(REPO_KEY, [], [{ repo: REPO_KEY, workspace: 'prod', direction: 'restore', number: 60, state: 'open', fingerprints: [fingerprint('a')], updatedAt: '2025-06-01T00:00:00.000Z' }]);
    const gh = mockGitHub();
    gh.listPulls(branch, [{ number: 60, body: formatMarker(fixPrMarker('prod', 'patch-1', [fingerprint('a')])) }]);
    gh.listComments(60, []);
    gh.createComment(60);
    gh.updatePull(60, branch);
    gh.deleteRef(branch);

    const report = await writer({ store }).reconcile({ fixPrs: [{ workspace: 'prod', direction: 'restore', desired: null }] });

    expect(report.failures).toEqual([]);
    expect(gh.writes().map((request) => `${request.method} ${request.path}`)).toEqual([`POST ${base}/issues/60/comments`, `PATCH ${base}/pulls/60`, `DELETE ${base}/git/refs/heads/${branch}`]);
    expect(gh.writes()[1]!.body).toMatchObject({ state: 'closed' });
    expect(store.fixPrRecords()[0]).toMatchObject({ number: 60, state: 'closed' });
  });

  it('reads nothing when nothing is desired and the store knows no open pull request', async () => {
    const store = memoryStore(REPO_KEY, [], [{ repo: REPO_KEY, workspace: 'prod', direction: 'accept', number: 58, state: 'closed', fingerprints: [], updatedAt: '2025-05-01T00:00:00.000Z' }]);

    const report = await writer({ store }).reconcile({
      fixPrs: [
        { workspace: 'prod', direction: 'restore', desired: null },
        { workspace: 'prod', direction: 'accept', desired: null },
      ],
    });

    expect(report.failures).toEqual([]);
    expect(report.requests).toEqual({ reads: 0, writes: 0, byRoute: {} });
  });
});

describe('GitHub writer: one reconcile of every part', () => {
  it('reads once and writes each part, with a store that is optional', async () => {
    const store: WriterStore | null = null;
    const gh = mockGitHub();
    gh.listOpenIssues([openIssue(12, 'prod', 'aws_s3_bucket.logs'), { number: 50, title: 'Drift Dashboard', body: desiredDashboard('same').body }]);
    gh.listPulls('driftwatch/prod/restore', []);
    gh.createCheckRun(4);

    const report = await writer({ store }).reconcile({
      issues: { desired: [desiredIssue('prod', 'aws_s3_bucket.logs')], scope: scope(['prod']) },
      dashboard: desiredDashboard('same'),
      fixPrs: [{ workspace: 'prod', direction: 'restore', desired: null }],
      checkRun: desiredCheckRun(3),
    });

    expect(report.failures).toEqual([]);
    expect(report.requests).toMatchObject({ reads: 2, writes: 1 });
    expect(report.dashboard).toEqual({ number: 50, url: `https://github.com/${REPO_KEY}/issues/50` });
    expect(report.issues.map((issue) => issue.number)).toEqual([12]);
  });
});

describe('GitHub requests per scan (20 drifts across 3 workspaces, one reconcile per scan)', () => {
  const workspaces = { prod: 10, staging: 6, dev: 4 };
  const severities = ['critical', 'high', 'medium', 'low'] as const;

  function desiredFor(changed: string | null = null, resolved: string | null = null) {
    return Object.entries(workspaces).flatMap(([workspace, count]) =>
      Array.from({ length: count }, (_, index) => `aws_s3_bucket.b${index}`)
        .filter((resource) => `${workspace} ${resource}` !== resolved)
        .map((resource, index) => desiredIssue(workspace, resource, { severity: severities[index % 4], fingerprint: fingerprint(`${workspace}/${resource}${`${workspace} ${resource}` === changed ? '/changed' : ''}`) })),
    );
  }

  function dashboardFrom(issues: { workspace: string; resource: string; number: number }[], desired: ReturnType<typeof desiredFor>) {
    const dashboard = desiredDashboard(desired.map((issue) => issue.marker.fingerprint.slice(0, 4)).join(''));
    return { ...dashboard, body: `${issues.map((issue) => `- [ ] ${issue.workspace}: ${issue.resource} (#${issue.number})`).join('\n')}\n\n${formatMarker(dashboard.marker)}` };
  }

  it('the same scan delivered three times at once makes each issue and the dashboard once', async () => {
    const github = fakeIssueTracker({ labels: ['bug'] });
    const desired = desiredFor();
    const all = scope(Object.keys(workspaces));
    const run = () => writer().reconcile({ issues: { desired, scope: all } }, { renderDashboard: (issues) => dashboardFrom(issues, desired) });

    const reports = await Promise.all([run(), run(), run()]);

    expect(reports.flatMap((report) => report.failures)).toEqual([]);
    expect(github.issues.size).toBe(21);
    expect(reports.map((report) => report.links.length)).toEqual([21, 0, 0]);
  });

  it('holds the repository on the lock it is given while it reconciles (a Redis lock across workers)', async () => {
    const github = fakeIssueTracker({ labels: ['bug'] });
    const desired = desiredFor();
    const held: string[] = [];
    let writesInside = 0;
    const lock: KeyedLock = {
      async withLock(key, work) {
        held.push(key);
        const before = github.writes();
        try {
          return await work();
        } finally {
          writesInside += github.writes() - before;
        }
      },
    };
    await writer({ lock }).reconcile({ issues: { desired, scope: scope(Object.keys(workspaces)) } }, { renderDashboard: (issues) => dashboardFrom(issues, desired) });

    expect(held).toEqual([`https://api.github.com/${REPO.owner}/${REPO.name}`.toLowerCase()]);
    expect(github.issues.size).toBe(21);
    expect(writesInside).toBe(github.writes());
  });

  it('first scan, unchanged rescan, one drift changed, one resolved', async () => {
    const github = fakeIssueTracker({ labels: ['bug'] });
    const store = memoryStore(REPO_KEY, desiredFor().map((issue) => ({ workspace: issue.workspace, resource: issue.resource, issueNumber: null })));
    const all = scope(Object.keys(workspaces));
    async function scan(desired: ReturnType<typeof desiredFor>) {
      github.resetCounts();
      const report = await writer({ store }).reconcile({ issues: { desired, scope: all } }, { renderDashboard: (issues) => dashboardFrom(issues, desired) });
      expect(report.failures).toEqual([]);
      expect({ reads: github.reads(), writes: github.writes() }).toEqual({ reads: report.requests.reads, writes: report.requests.writes });
      return report.requests;
    }

    const first = await scan(desiredFor());
    github.indexSearch();
    const unchanged = await scan(desiredFor());
    const changed = await scan(desiredFor('prod aws_s3_bucket.b3'));
    const resolved = await scan(desiredFor('prod aws_s3_bucket.b3', 'staging aws_s3_bucket.b1'));

    // Listing, 4 searches (6 tokens each), the recently closed issues (search lags), labels,
    // dashboard search; 5 labels, 20 issues, the dashboard.
    expect(first).toMatchObject({ reads: 8, writes: 26 });
    expect(unchanged).toMatchObject({ reads: 1, writes: 0 });
    expect(changed).toMatchObject({ reads: 1, writes: 2 });
    expect(changed.byRoute['PATCH /repos/{owner}/{repo}/issues/{issue_number}']).toBe(2);
    // The closing comment, the close, the dashboard.
    expect(resolved).toMatchObject({ reads: 1, writes: 3 });
    expect([...github.issues.values()].filter((issue) => issue.title?.startsWith('[')).length).toBe(20);
  });
});
