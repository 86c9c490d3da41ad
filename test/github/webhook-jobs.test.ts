import { describe, expect, it } from 'vitest';
import { formatMarker } from '../../src/surfaces/marker.js';
import {
  checkRunJobs,
  dashboardJobs,
  installationJobs,
  installationRepositoriesJobs,
  isFromBot,
  issueCommentJobs,
  mergeScanRequests,
  pullRequestJobs,
  pushJobs,
  scanJobId,
} from '../../src/github/webhook-jobs.js';
import type { ScanRepositoryRequest } from '../../src/repository/types.js';
import { example, INSTALLATION } from './webhook-examples.js';

function push(overrides: Record<string, unknown> = {}) {
  const payload = example('push');
  payload.installation = INSTALLATION;
  payload.ref = `refs/heads/${payload.repository.default_branch}`;
  payload.commits = [
    { id: 'a', added: ['infra/prod/new.tf'], modified: ['infra/prod/main.tf'], removed: [] },
    { id: 'b', added: [], modified: ['README.md'], removed: ['infra/old.tf'] },
  ];
  return Object.assign(payload, overrides) as Parameters<typeof pushJobs>[0];
}

describe('webhooks as jobs', () => {
  it('scans every repository of a new installation on its default branch', () => {
    const payload = example('installation', 'created');
    const jobs = installationJobs(payload as Parameters<typeof installationJobs>[0]);
    expect(jobs).toEqual([
      {
        name: 'scan-repository',
        id: 'scan:Codertocat/Hello-World:default',
        data: {
          installationId: payload.installation.id,
          repo: { owner: 'Codertocat', name: 'Hello-World' },
          reason: { trigger: 'installation', actor: 'Codertocat', detail: 'driftwatch was installed' },
          target: { kind: 'default-branch' },
        },
      },
    ]);
    expect(installationJobs(example('installation', 'deleted') as Parameters<typeof installationJobs>[0])).toEqual([]);
  });

  it('scans repositories added to an installation', () => {
    const jobs = installationRepositoriesJobs(example('installation_repositories', 'added') as Parameters<typeof installationRepositoriesJobs>[0]);
    expect(jobs.map((job) => (job.data as ScanRepositoryRequest).repo)).toEqual([{ owner: 'Codertocat', name: 'Space' }]);
    expect(installationRepositoriesJobs(example('installation_repositories', 'removed') as Parameters<typeof installationRepositoriesJobs>[0])).toEqual([]);
  });

  it('rescans after a push to the default branch, with the files it changed', () => {
    const [job] = pushJobs(push());
    expect(job?.data).toMatchObject({
      ref: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      changedPaths: ['README.md', 'infra/old.tf', 'infra/prod/main.tf', 'infra/prod/new.tf'],
      reason: { trigger: 'push', detail: 'push of 2 commits to master' },
      target: { kind: 'default-branch' },
    });
  });

  it('names the commit and its trigger as the revision: a redelivery is the same request, a re-run of the check is not', () => {
    const [first] = pushJobs(push());
    const [again] = pushJobs(push());
    expect(first?.revision).toBe('push@6113728f27ae82c7b1a177c8d03f9e96e0adf246');
    expect(again).toEqual(first);

    const rerun = example('check_run', 'rerequested');
    rerun.installation = INSTALLATION;
    rerun.check_run.name = 'driftwatch';
    rerun.check_run.pull_requests = [{ number: 7 }];
    const [check] = checkRunJobs(rerun as Parameters<typeof checkRunJobs>[0], rerun.check_run.app.id);
    expect(check?.revision).toBe(`check_run@${rerun.check_run.head_sha}`);
    // Without a commit (an installation, the fix button) there is nothing to tell deliveries apart: they only coalesce.
    expect(installationJobs(example('installation', 'created') as Parameters<typeof installationJobs>[0])[0]).not.toHaveProperty('revision');
  });

  it.each([
    ['a tag', { ref: 'refs/tags/v1' }],
    ['another branch', { ref: 'refs/heads/feature' }],
    ['a deleted branch', { deleted: true }],
    ['no installation', { installation: undefined }],
  ])('ignores a push of %s', (_name, overrides) => {
    expect(pushJobs(push(overrides))).toEqual([]);
  });

  it('scans every workspace when the push does not list its files', () => {
    const [job] = pushJobs(push({ commits: [] }));
    expect(job?.data).not.toHaveProperty('changedPaths');
  });

  it('checks pull requests when opened, pushed to, or reopened', () => {
    for (const action of ['opened', 'synchronize', 'reopened']) {
      const payload = example('pull_request', action);
      payload.installation = INSTALLATION;
      const [job] = pullRequestJobs(payload as Parameters<typeof pullRequestJobs>[0]);
      expect(job).toMatchObject({
        id: `scan:${payload.repository.owner.login}/${payload.repository.name}:pr-${payload.number}`,
        data: { ref: payload.pull_request.head.sha, target: { kind: 'pull-request', number: payload.number, headSha: payload.pull_request.head.sha } },
      });
    }
    const closed = example('pull_request', 'closed');
    closed.installation = INSTALLATION;
    expect(pullRequestJobs(closed as Parameters<typeof pullRequestJobs>[0])).toEqual([]);
  });

  it('answers the check run buttons and re-runs, and only for its own check', () => {
    const rerun = example('check_run', 'rerequested');
    rerun.installation = INSTALLATION;
    rerun.check_run.name = 'driftwatch';
    rerun.check_run.pull_requests = [{ number: 7 }];
    expect(checkRunJobs(rerun as Parameters<typeof checkRunJobs>[0], rerun.check_run.app.id)[0]?.data).toMatchObject({ target: { kind: 'pull-request', number: 7 } });
    expect(checkRunJobs(rerun as Parameters<typeof checkRunJobs>[0], 1)).toEqual([]);

    const action = example('check_run', 'requested_action');
    action.check_run.name = 'driftwatch';
    action.requested_action = { identifier: 'fix' };
    expect(checkRunJobs(action as Parameters<typeof checkRunJobs>[0], null)[0]?.data).toMatchObject({ target: { kind: 'fix', direction: 'restore', addresses: [] } });
    action.requested_action = { identifier: 'rescan' };
    expect(checkRunJobs(action as Parameters<typeof checkRunJobs>[0], null)[0]?.data).toMatchObject({ target: { kind: 'pull-request', number: 26764 } });

    // A push's check on the default branch has no pull request: Rescan scans its workspaces there.
    const pushCheck = example('check_run', 'requested_action');
    pushCheck.check_run.name = 'driftwatch';
    pushCheck.check_run.pull_requests = [];
    pushCheck.check_run.external_id = 'prod,staging';
    pushCheck.requested_action = { identifier: 'rescan' };
    expect(checkRunJobs(pushCheck as Parameters<typeof checkRunJobs>[0], null)[0]?.data).toMatchObject({ workspaces: ['prod', 'staging'], target: { kind: 'default-branch' } });
    pushCheck.requested_action = { identifier: 'fix' };
    expect(checkRunJobs(pushCheck as Parameters<typeof checkRunJobs>[0], null)[0]?.data).toMatchObject({ workspaces: ['prod', 'staging'], target: { kind: 'fix' } });

    const other = example('check_run', 'requested_action');
    expect(checkRunJobs(other as Parameters<typeof checkRunJobs>[0], null)).toEqual([]);
  });

  it('turns a comment with /drift commands into one command job, knowing the drift its issue tracks', () => {
    const payload = example('issue_comment', 'created');
    payload.installation = INSTALLATION;
    payload.comment.body = 'Please:\n/drift fix';
    payload.issue.body = `Drift\n\n${formatMarker({ kind: 'drift-issue', v: 1, workspace: 'prod', resource: 'aws_security_group.web', type: 'aws_security_group', region: 'us-east-1', fingerprint: 'f', state: 'drifted', resolvedAt: null })}`;
    const [job] = issueCommentJobs(payload as Parameters<typeof issueCommentJobs>[0]);
    expect(job).toEqual({
      name: 'drift-command',
      id: `command:Codertocat/Hello-World:${payload.comment.id}`,
      revision: 'created',
      data: {
        installationId: INSTALLATION.id,
        repo: { owner: 'Codertocat', name: 'Hello-World' },
        issueNumber: payload.issue.number,
        isPullRequest: false,
        commentId: payload.comment.id,
        commentCreatedAt: payload.comment.created_at,
        actor: 'Codertocat',
        commands: [{ kind: 'fix', direction: 'restore', addresses: [] }],
        errors: [],
        issueDrift: { workspace: 'prod', resource: 'aws_security_group.web' },
      },
    });
  });

  it('leaves comments without commands, and edited comments, alone', () => {
    const payload = example('issue_comment', 'created');
    payload.installation = INSTALLATION;
    expect(issueCommentJobs(payload as Parameters<typeof issueCommentJobs>[0])).toEqual([]);
    const edited = example('issue_comment', 'edited');
    edited.installation = INSTALLATION;
    edited.comment.body = '/drift scan';
    expect(issueCommentJobs(edited as Parameters<typeof issueCommentJobs>[0])).toEqual([]);
  });

  it('reads ticked dashboard boxes from an edit of the dashboard only', () => {
    const payload = example('issues', 'edited');
    payload.installation = INSTALLATION;
    const marker = formatMarker({ kind: 'dashboard', v: 1, contentHash: 'h', refreshedAt: '2026-12-07T00:00:00Z' });
    payload.issue.body = `- [x] rescan prod\n${marker}`;
    payload.changes = { body: { from: `- [ ] rescan prod\n${marker}` } };
    const read = (before: string, after: string) => (before !== after ? [{ kind: 'rescan' as const, workspace: 'prod' }] : []);
    expect(dashboardJobs(payload as Parameters<typeof dashboardJobs>[0], read)[0]).toMatchObject({ name: 'dashboard-request', id: `dashboard:Codertocat/Hello-World:${payload.issue.number}@${payload.issue.updated_at}`, revision: 'edited', data: { requests: [{ kind: 'rescan', workspace: 'prod' }] } });

    payload.issue.body = '- [x] a task list in some other issue';
    expect(dashboardJobs(payload as Parameters<typeof dashboardJobs>[0], read)).toEqual([]);
  });

  it('knows its own events', () => {
    expect(isFromBot({ type: 'Bot', login: 'renovate[bot]' }, 'driftwatch[bot]')).toBe(true);
    expect(isFromBot({ type: 'User', login: 'driftwatch[bot]' }, 'driftwatch[bot]')).toBe(true);
    expect(isFromBot({ type: 'User', login: 'tanaka' }, 'driftwatch[bot]')).toBe(false);
  });

  it('merges waiting scans: the union of what they ask, everything when one asks for everything', () => {
    const base: ScanRepositoryRequest = { installationId: 1, repo: { owner: 'a', name: 'b' }, reason: { trigger: 'push', actor: null, detail: null }, target: { kind: 'default-branch' } };
    expect(mergeScanRequests({ ...base, changedPaths: ['x.tf'] }, { ...base, changedPaths: ['a.tf'] }).changedPaths).toEqual(['a.tf', 'x.tf']);
    expect(mergeScanRequests({ ...base, changedPaths: ['x.tf'] }, base)).not.toHaveProperty('changedPaths');
    expect(mergeScanRequests({ ...base, workspaces: ['prod'] }, { ...base, workspaces: ['dev'] }).workspaces).toEqual(['dev', 'prod']);
    expect(scanJobId({ owner: 'a', name: 'b' }, { kind: 'fix', direction: 'accept', addresses: [] })).toBe('scan:a/b:fix-accept');
  });
});
