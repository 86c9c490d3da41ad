// Pull requests and /drift commands, end to end: a pull request that edits a drifted block gets
// the collision annotation on the line it changes; `/drift fix` from a writer gets 👀, a restore
// branch and pull request made through the Git Data API, and one reply; the same command from a
// read-only user gets one polite refusal and runs nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/surfaces/marker.js';
import { deliver, installationCreated, issueCommentCreated, issuesEvent, pullRequest } from '../support/fake-github/index.js';
import { INSTALLATION_ID, openSsh, REPO, SECRET, startE2e, stopMinorUpgrades, WORKSPACE_DIR, type E2e } from './harness.js';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e({
    plant: (data) => {
      openSsh(data);
      stopMinorUpgrades(data);
    },
  });
  await e2e.send('installation', installationCreated(e2e.github, INSTALLATION_ID, 'dana'));
});
afterAll(async () => {
  await e2e?.stop();
});

function driftIssue(resource: string) {
  const issue = e2e.github.github.issues(REPO).find((candidate) => {
    const marker = parseMarker(candidate.body);
    return marker?.kind === 'drift-issue' && marker.resource.includes(resource);
  });
  if (!issue) throw new Error(`no drift issue for ${resource}: ${e2e.github.github.issues(REPO).map((candidate) => candidate.title).join(', ')}`);
  return issue;
}

const SG_FILE = `${WORKSPACE_DIR}/security_groups.tf`;

describe('a pull request', () => {
  it('that edits a drifted block gets the driftwatch check with the collision annotation on the changed line', async () => {
    const { github } = e2e.github;
    const before = github.files(REPO)[SG_FILE]!;
    const after = before.replace('description      = "HTTPS from anywhere"', 'description      = "HTTPS from the internet"');
    expect(after).not.toBe(before);
    const changedLine = after.split('\n').findIndex((line) => line.includes('HTTPS from the internet')) + 1;
    github.commit(REPO, { [SG_FILE]: after }, { branch: 'https-wording', message: 'Reword the HTTPS rule' });
    const pull = github.openPullRequest(REPO, { head: 'https-wording', title: 'Reword the HTTPS rule', user: 'dana' });

    const since = Date.now();
    const delivery = await e2e.send('pull_request', pullRequest(e2e.github, INSTALLATION_ID, REPO, pull, 'opened', 'dana'));
    expect(delivery.status).toBe(200);

    const runs = github.repository(REPO).checkRuns.filter((run) => run.headSha === pull.pull!.headSha && run.name === 'driftwatch');
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run).toMatchObject({ status: 'completed', externalId: 'legacy' });
    const collision = run!.annotations.find((annotation) => String(annotation.message).includes('Applying this PR will revert a live change:'));
    expect(collision).toMatchObject({ path: SG_FILE, start_line: changedLine, end_line: changedLine });
    expect(String(collision?.title)).toContain('aws_security_group.web');
    // A pull request's scan writes its check, nothing else.
    expect(new Set(e2e.github.writes({ since }).map((request) => request.route))).toEqual(new Set(['POST /repos/{owner}/{repo}/check-runs', 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}']));
  });
});

describe('/drift commands', () => {
  it('/drift fix from a writer, delivered three times at once: 👀, one restore branch and pull request through the Git Data API, and one reply', async () => {
    const { github } = e2e.github;
    const issue = driftIssue('aws_db_instance.main');
    const comment = github.addComment(REPO, issue.number, '/drift fix', 'dana');
    const since = Date.now();
    const payload = issueCommentCreated(e2e.github, INSTALLATION_ID, REPO, issue, comment);
    const id = 'd2a8e6b0-5b1e-11f0-8e3a-7c1c4b3a9f00';
    const deliveries = await Promise.all([1, 2, 3].map(() => deliver(e2e.webhookUrl, SECRET, 'issue_comment', payload, { id })));
    await e2e.idle();
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);

    expect(comment.reactions).toMatchObject([{ content: 'eyes', user: 'driftwatch[bot]' }]);
    const branch = 'driftwatch/legacy/restore';
    const restored = github.files(REPO, branch)[`${WORKSPACE_DIR}/rds.tf`]!;
    expect(restored).toMatch(/auto_minor_version_upgrade\s*=\s*true/);
    const pulls = github.pulls(REPO).filter((pull) => pull.pull?.head === branch);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ state: 'open', user: 'driftwatch[bot]', pull: { base: 'main' } });
    const routes = e2e.github.writes({ since }).map((request) => request.route);
    expect(routes).toEqual(expect.arrayContaining(['POST /repos/{owner}/{repo}/git/trees', 'POST /repos/{owner}/{repo}/git/commits', 'POST /repos/{owner}/{repo}/git/refs', 'POST /repos/{owner}/{repo}/pulls']));
    expect(e2e.github.writes({ since, route: 'POST /repos/{owner}/{repo}/pulls' })).toHaveLength(1);
    const replies = github.commentsOf(REPO, issue.number).filter((candidate) => candidate.user === 'driftwatch[bot]');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain(`${e2e.github.url}/${REPO}/pull/${pulls[0]!.number}`);
  });

  it('/drift fix from a read-only user: one polite refusal, and nothing runs', async () => {
    const { github } = e2e.github;
    const issue = driftIssue('aws_security_group.web');
    const comment = github.addComment(REPO, issue.number, '/drift fix', 'rita');
    const since = Date.now();
    const awsCalls = e2e.account.calls.length;
    await e2e.send('issue_comment', issueCommentCreated(e2e.github, INSTALLATION_ID, REPO, issue, comment));

    const replies = github.commentsOf(REPO, issue.number).filter((candidate) => candidate.user === 'driftwatch[bot]');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(/^Sorry @rita, `\/drift` commands can only be run by people with write, maintain or admin access/);
    expect(comment.reactions).toEqual([]);
    expect(e2e.account.calls.length).toBe(awsCalls);
    expect(e2e.github.writes({ since }).map((request) => request.route)).toEqual(['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']);
  });
});

describe('the Drift Dashboard', () => {
  it('runs the boxes a writer ticks, however often the edit is delivered: unticks them, rescans, and says once why a restore opened nothing', async () => {
    const { github } = e2e.github;
    const dashboard = github.issues(REPO).find((issue) => parseMarker(issue.body)?.kind === 'dashboard')!;
    const before = dashboard.body ?? '';
    const tick = (body: string, id: string) => body.replace(new RegExp(`- \\[ \\] <!-- driftwatch-request:${id} -->`), `- [x] <!-- driftwatch-request:${id} -->`);
    // The SSH rule is written literally in the block: restoring it needs no edit, only an apply.
    const after = tick(tick(before, 'rescan:legacy'), 'fix:restore:legacy:aws_security_group.web');
    expect(after.match(/- \[x\]/g), before).toHaveLength(2);
    github.updateIssue(REPO, dashboard.number, { body: after }, 'dana');
    const since = Date.now();
    const awsCalls = e2e.account.calls.length;
    const payload = issuesEvent(e2e.github, INSTALLATION_ID, REPO, dashboard, 'edited', 'dana', { body: { from: before } });
    const id = '5f0c3b2a-5b1f-11f0-9d7a-7c1c4b3a9f00';
    const deliveries = await Promise.all([1, 2, 3].map(() => deliver(e2e.webhookUrl, SECRET, 'issues', payload, { id })));
    await e2e.idle();
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);

    expect(dashboard.body).not.toMatch(/- \[x\] <!-- driftwatch-request:/);
    expect(e2e.account.calls.length).toBeGreaterThan(awsCalls);
    const replies = github.commentsOf(REPO, dashboard.number).filter((comment) => comment.user === 'driftwatch[bot]');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(/^@dana `legacy`: /);
    expect(e2e.github.writes({ since, route: 'POST /repos/{owner}/{repo}/pulls' })).toEqual([]);
  });
});
