// Where the state lives and who made the drift, end to end, while GitHub search lags behind writes:
// the workspace's state is read from its S3 backend (config without `state:`, then no config at
// all: discovery by the backend block), the state bucket is never unmanaged, CloudTrail names who
// opened SSH (the actor's Markdown and HTML kept inert), rescans before search catches up create
// no second issue, and a state object that is gone fails the check naming the backend, closing
// nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/surfaces/marker.js';
import type { FakeAccountData } from '../aws/fake-aws/account.js';
import { record, wireEvent } from '../aws/fixtures/cloudtrail-lookup.js';
import { installationCreated, push } from '../support/fake-github/index.js';
import { closeSsh, fixtureState, INSTALLATION_ID, openSsh, REPO, startE2e, WEB_SG, WORKSPACE_DIR, type E2e } from './harness.js';

const STATE_BUCKET = 'acme-tfstate';
const STATE_KEY = 'legacy/terraform.tfstate';
const STATE_URL = `s3://${STATE_BUCKET}/${STATE_KEY}`;
/** A bucket nobody's Terraform manages: reported unmanaged, so the state bucket's absence means something. */
const STRAY_BUCKET = 'acme-adhoc-exports';
/** CloudTrail text is untrusted: a name with a mention and HTML in it. */
const ACTOR = '@octocat<img src=x onerror=alert(1)>';

const BACKEND_TF = `terraform {
  backend "s3" {
    bucket = "${STATE_BUCKET}"
    key    = "${STATE_KEY}"
    region = "us-east-1"
  }
}
`;
const CONFIG = ['workspaces:', '  - name: legacy', `    dir: ${WORKSPACE_DIR}`, 'attribution:', '  enabled: true', '  lookback_days: 7', ''].join('\n');

let state: string;
let e2e: E2e;

/** Someone opened SSH in the console an hour ago, and CloudTrail recorded it. */
function plant(data: FakeAccountData): void {
  openSsh(data);
  const now = Date.now();
  data.buckets.push(
    { name: STATE_BUCKET, region: 'us-east-1', creationDate: '2024-03-02T10:11:12.000Z', objects: { [STATE_KEY]: { body: state, lastModified: new Date(now - 86_400_000).toISOString(), contentType: 'application/json' } } },
    { name: STRAY_BUCKET, region: 'us-east-1', creationDate: '2025-06-30T16:05:41.000Z' },
  );
  const event = record('iam-user-console-authorize-ingress');
  const identity = { ...event.userIdentity, userName: ACTOR, arn: `arn:aws:iam::123456789012:user/${ACTOR}` };
  const made = { ...event, userIdentity: identity, eventTime: new Date(now - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), requestParameters: { ...(event.requestParameters as object), groupId: WEB_SG } };
  data.cloudTrail = { 'us-east-1': [wireEvent(made, [{ type: 'AWS::EC2::SecurityGroup', name: WEB_SG }]) as never] };
}

beforeAll(async () => {
  state = await fixtureState();
  e2e = await startE2e({
    plant,
    repository: (files) => ({ ...files, [`${WORKSPACE_DIR}/terraform.tfstate`]: null, [`${WORKSPACE_DIR}/backend.tf`]: BACKEND_TF, '.github/driftwatch.yml': CONFIG }),
  });
  // Search sees the repository as it is now (no issues) until the last test lets it catch up.
  e2e.github.github.indexSearch();
  await e2e.send('installation', installationCreated(e2e.github, INSTALLATION_ID, 'dana'));
});
afterAll(async () => {
  await e2e?.stop();
});

const CREATE_ISSUE = 'POST /repos/{owner}/{repo}/issues';

function driftIssues() {
  return e2e.github.github.issues(REPO).filter((issue) => parseMarker(issue.body)?.kind === 'drift-issue');
}

function driftIssue(resource: string) {
  const issue = driftIssues().find((candidate) => (parseMarker(candidate.body) as { resource: string }).resource.includes(resource));
  if (!issue) throw new Error(`no drift issue for ${resource}: ${driftIssues().map((candidate) => candidate.title).join(', ')}`);
  return issue;
}

function dashboard() {
  return e2e.github.github.issues(REPO).find((issue) => parseMarker(issue.body)?.kind === 'dashboard')!;
}

function stateReads(since = 0) {
  return e2e.account.calls.slice(since).filter((call) => call.service === 's3' && call.operation === 'GetObject');
}

/** Text outside code spans and code blocks: what GitHub renders as Markdown. */
function rendered(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '').replace(/(`+)[\s\S]*?\1/g, '');
}

/** A push that touches the workspace: rescans it. */
async function pushToWorkspace(note: string, extra: Record<string, string | null> = {}) {
  const variables = e2e.github.github.files(REPO)[`${WORKSPACE_DIR}/variables.tf`]!;
  const pushed = e2e.github.github.commit(REPO, { [`${WORKSPACE_DIR}/variables.tf`]: `${variables}\n# ${note}\n`, ...extra }, { message: note });
  const delivery = await e2e.send('push', push(e2e.github, INSTALLATION_ID, REPO, pushed, { sender: 'dana' }));
  expect(delivery.status).toBe(200);
  return pushed;
}

function checkRunsOf(sha: string) {
  return e2e.github.github.repository(REPO).checkRuns.filter((run) => run.headSha === sha && run.name === 'driftwatch');
}

describe('a state in an S3 backend', () => {
  it('is read from the bucket and key of the backend block, and its drifts get issues; the state bucket is never unmanaged', async () => {
    const reads = stateReads();
    expect(reads.length).toBeGreaterThan(0);
    // Path-style through the custom endpoint, the backend's region, its bucket and key.
    for (const read of reads) expect(read).toMatchObject({ region: 'us-east-1', params: { Bucket: STATE_BUCKET, Key: STATE_KEY }, path: expect.stringMatching(new RegExp(`^/${STATE_BUCKET}/${STATE_KEY}(\\?|$)`)) });
    // The state was not looked for in the repository.
    expect(e2e.github.github.files(REPO)[`${WORKSPACE_DIR}/terraform.tfstate`]).toBeUndefined();

    const titles = driftIssues().map((issue) => issue.title);
    expect(titles).toContain('[CRITICAL] aws_security_group.web drifted in legacy');
    // Unmanaged buckets are reported (the stray one), the backend's own bucket is not.
    expect(driftIssue(STRAY_BUCKET).title).toMatch(/unmanaged|aws_s3_bucket/i);
    expect(titles.filter((title) => title.includes(STATE_BUCKET))).toEqual([]);
    expect(driftIssues().filter((issue) => (parseMarker(issue.body) as { resource: string }).resource.includes(STATE_BUCKET))).toEqual([]);
    expect(dashboard().body).not.toContain(`aws_s3_bucket.${STATE_BUCKET}`);
    expect(e2e.github.unhandled).toEqual([]);
  });
});

describe('attribution', () => {
  it('says who opened SSH and through which call, with the actor kept inert in Markdown', async () => {
    const lookups = e2e.account.callsOf('LookupEvents').filter((call) => JSON.parse(call.params.LookupAttributes ?? '[]')[0]?.AttributeValue === WEB_SG);
    expect(lookups.length).toBeGreaterThan(0);
    const body = driftIssue('aws_security_group.web').body ?? '';
    expect(body).toContain('**Actor** `' + ACTOR + '` (IAM user)');
    expect(body).toContain('**Event** `AuthorizeSecurityGroupIngress`');
    expect(body).toContain('the AWS console');
    // Nothing of the actor's name renders: no live @mention, no HTML, in the issue or the dashboard.
    for (const markdown of [body, dashboard().body ?? '']) {
      expect(rendered(markdown)).not.toContain('@octocat');
      expect(rendered(markdown)).not.toContain('<img');
    }
  });
});

describe('search lagging behind writes', () => {
  it('creates no second issue for a drift when rescans come before search catches up', async () => {
    const before = driftIssues().map((issue) => issue.number);
    expect(before.length).toBeGreaterThan(0);
    // Search still sees no issue at all.
    expect(e2e.github.github.searchable(e2e.github.github.repository(REPO))).toEqual([]);

    const since = Date.now();
    await pushToWorkspace('Reviewed in the quarterly audit.');
    await e2e.send('installation', installationCreated(e2e.github, INSTALLATION_ID, 'dana'));
    expect(e2e.github.writes({ route: CREATE_ISSUE, since })).toEqual([]);
    expect(driftIssues().map((issue) => issue.number)).toEqual(before);
  });

  it('leaves an issue a person closed closed, and makes no new one for it, before search catches up', async () => {
    const stray = driftIssue(STRAY_BUCKET);
    e2e.github.github.updateIssue(REPO, stray.number, { state: 'closed', state_reason: 'not_planned' }, 'dana');
    const since = Date.now();
    await pushToWorkspace('Exports bucket: owned by the data team.');
    expect(e2e.github.writes({ route: CREATE_ISSUE, since })).toEqual([]);
    expect(stray).toMatchObject({ state: 'closed', stateReason: 'not_planned', closedBy: 'dana' });
    expect(driftIssues().filter((issue) => (parseMarker(issue.body) as { resource: string }).resource.includes(STRAY_BUCKET))).toHaveLength(1);
  });


  it('reopens the issue of a drift that comes back before search catches up, instead of making another', async () => {
    const ssh = driftIssue('aws_security_group.web');
    closeSsh(e2e.account.data);
    await pushToWorkspace('SSH closed again.');
    expect(ssh).toMatchObject({ state: 'closed', stateReason: 'completed', closedBy: 'driftwatch[bot]' });
    expect(e2e.github.github.searchable(e2e.github.github.repository(REPO))).toEqual([]);
    openSsh(e2e.account.data);
    const since = Date.now();
    await pushToWorkspace('SSH opened again.');
    expect(e2e.github.writes({ route: CREATE_ISSUE, since })).toEqual([]);
    expect(ssh.state).toBe('open');
  });
});

describe('a state that cannot be read', () => {
  it('fails the check run naming the backend and the error, says so on the dashboard, and closes no issue', async () => {
    const bucket = e2e.account.data.buckets.find((candidate) => candidate.name === STATE_BUCKET)!;
    const object = bucket.objects![STATE_KEY]!;
    delete bucket.objects![STATE_KEY];
    const openBefore = driftIssues().filter((issue) => issue.state === 'open');
    expect(openBefore.length).toBeGreaterThan(0);
    const since = Date.now();
    const calls = e2e.account.calls.length;
    const pushed = await pushToWorkspace('Moved the state (not really).');
    bucket.objects![STATE_KEY] = object;

    expect(stateReads(calls).length).toBeGreaterThan(0);
    const runs = checkRunsOf(pushed.sha);
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', title: 'Could not scan legacy' });
    expect(`${run!.summary}\n${run!.text}`).toContain(`no state at ${STATE_URL}: check the backend's bucket and key`);
    expect(dashboard().body).toContain(`no state at ${STATE_URL}`);
    // Unknown is not resolved: every open issue stays open, none is written to.
    for (const issue of openBefore) expect(issue.state).toBe('open');
    const issueNumbers = new Set(openBefore.map((issue) => issue.number));
    expect(e2e.github.writes({ since }).filter((request) => [...issueNumbers].some((number) => request.path.startsWith(`/repos/${REPO}/issues/${number}`)))).toEqual([]);
    expect(e2e.github.writes({ route: CREATE_ISSUE, since })).toEqual([]);
  });
});

describe('no configuration file', () => {
  it('finds the workspace by its backend block and reads its state from S3, writing no new issue', async () => {
    e2e.github.github.searchCatchesUp();
    const since = Date.now();
    const calls = e2e.account.calls.length;
    const pushed = await pushToWorkspace('Configuration by discovery.', { '.github/driftwatch.yml': null });
    expect(e2e.github.github.files(REPO)['.github/driftwatch.yml']).toBeUndefined();
    expect(stateReads(calls).map((call) => call.params)).toContainEqual(expect.objectContaining({ Bucket: STATE_BUCKET, Key: STATE_KEY }));
    const [run] = checkRunsOf(pushed.sha);
    expect(run).toMatchObject({ status: 'completed', externalId: 'legacy' });
    expect(run!.title).not.toMatch(/Could not scan/);
    expect(e2e.github.writes({ route: CREATE_ISSUE, since })).toEqual([]);
    expect(driftIssue('aws_security_group.web').state).toBe('open');
  });
});
