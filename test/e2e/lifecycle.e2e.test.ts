// A drift's life across deliveries: issue creation under GitHub's secondary rate limit, a push that
// touches no workspace (no scan) and one that does (a rescan), a drift resolved in AWS (its issue
// closed with a comment), and an issue a person closed (left closed while the drift is unchanged).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/surfaces/marker.js';
import { installationCreated, issuesEvent, push } from '../support/fake-github/index.js';
import { closeSsh, INSTALLATION_ID, openSsh, REPO, startE2e, tagDbGroup, WORKSPACE_DIR, type E2e } from './harness.js';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e({
    plant: (data) => {
      openSsh(data);
      tagDbGroup(data);
    },
  });
});
afterAll(async () => {
  await e2e?.stop();
});

const CREATE_ISSUE = 'POST /repos/{owner}/{repo}/issues';

function driftIssue(resource: string) {
  const issue = e2e.github.github.issues(REPO).find((candidate) => {
    const marker = parseMarker(candidate.body);
    return marker?.kind === 'drift-issue' && marker.resource.includes(resource);
  });
  if (!issue) throw new Error(`no drift issue for ${resource}`);
  return issue;
}

describe('a drift across deliveries', () => {
  it('waits out a secondary rate limit on issue creation, and loses nothing', async () => {
    e2e.github.secondaryRateLimit(CREATE_ISSUE, 2, 1);
    const delivery = await e2e.send('installation', installationCreated(e2e.github, INSTALLATION_ID, 'dana'));
    expect(delivery.status).toBe(200);
    const attempts = e2e.github.writes({ route: CREATE_ISSUE });
    expect(attempts.map((request) => request.status)).toEqual([403, 403, 201, 201, 201]);
    // The request after a limit went out no sooner than GitHub's retry-after said.
    expect(attempts[2]!.time - attempts[1]!.time).toBeGreaterThanOrEqual(1000);
    const issues = e2e.github.github.issues(REPO);
    expect(issues.map((issue) => parseMarker(issue.body)?.kind)).toEqual(['drift-issue', 'drift-issue', 'dashboard']);
    expect(new Set(issues.map((issue) => issue.title)).size).toBe(3);
  });

  it('does not scan for a push that touches no workspace', async () => {
    const pushed = e2e.github.github.commit(REPO, { 'README.md': '# infra\n\nTerraform for the shop.\n' }, { message: 'Describe the repository' });
    const since = Date.now();
    const awsCalls = e2e.account.calls.length;
    const delivery = await e2e.send('push', push(e2e.github, INSTALLATION_ID, REPO, pushed, { sender: 'dana' }));
    expect(delivery.status).toBe(200);
    // The commit's tree says which workspaces the push touched: none, so AWS is not asked and
    // GitHub not written.
    expect(e2e.github.reads({ route: 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', since }).map((request) => request.path)).toEqual([`/repos/${REPO}/git/trees/${pushed.sha}`]);
    expect(e2e.account.calls.length).toBe(awsCalls);
    expect(e2e.github.writes({ since })).toEqual([]);
  });

  it('closes the issue of a drift resolved in AWS with a comment, and leaves an issue a person closed alone', async () => {
    const ssh = driftIssue('aws_security_group.web');
    const tag = driftIssue('aws_security_group.db');
    // Dana closes the tag drift's issue: the team accepts it for now.
    e2e.github.github.updateIssue(REPO, tag.number, { state: 'closed', state_reason: 'not_planned' }, 'dana');
    await e2e.send('issues', issuesEvent(e2e.github, INSTALLATION_ID, REPO, tag, 'closed', 'dana'));
    // Someone closes SSH again in the console; a push to the workspace rescans it.
    closeSsh(e2e.account.data);
    const variables = e2e.github.github.files(REPO)[`${WORKSPACE_DIR}/variables.tf`]!;
    const pushed = e2e.github.github.commit(REPO, { [`${WORKSPACE_DIR}/variables.tf`]: `${variables}\n# Reviewed in the quarterly audit.\n` });
    const since = Date.now();
    const awsCalls = e2e.account.calls.length;
    const delivery = await e2e.send('push', push(e2e.github, INSTALLATION_ID, REPO, pushed, { sender: 'dana' }));
    expect(delivery.status).toBe(200);
    expect(e2e.account.calls.length).toBeGreaterThan(awsCalls);

    // The scan read the pushed commit.
    expect(e2e.github.reads({ route: 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', since }).map((request) => request.path)).toEqual([`/repos/${REPO}/git/trees/${pushed.sha}`]);
    expect(ssh).toMatchObject({ state: 'closed', stateReason: 'completed', closedBy: 'driftwatch[bot]' });
    const comments = e2e.github.github.commentsOf(REPO, ssh.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.user).toBe('driftwatch[bot]');
    // The person-closed issue: still closed as Dana closed it, not written to.
    expect(tag).toMatchObject({ state: 'closed', stateReason: 'not_planned', closedBy: 'dana' });
    expect(e2e.github.writes({ since }).filter((request) => request.path === `/repos/${REPO}/issues/${tag.number}` || request.path.startsWith(`/repos/${REPO}/issues/${tag.number}/`))).toEqual([]);
    expect(e2e.github.github.commentsOf(REPO, tag.number)).toEqual([]);
    // No issue was created for either.
    expect(e2e.github.writes({ route: CREATE_ISSUE, since })).toEqual([]);
  });

  it('does not reopen the person-closed issue on a later scan while its drift is unchanged', async () => {
    const tag = driftIssue('aws_security_group.db');
    tagDbGroup(e2e.account.data);
    const since = Date.now();
    await e2e.send('installation', installationCreated(e2e.github, INSTALLATION_ID, 'dana'));
    expect(tag.state).toBe('closed');
    expect(e2e.github.writes({ since }).filter((request) => request.route?.includes('/issues') && request.path !== `/repos/${REPO}/issues/${e2e.github.github.issues(REPO).find((issue) => parseMarker(issue.body)?.kind === 'dashboard')!.number}`)).toEqual([]);
  });
});
