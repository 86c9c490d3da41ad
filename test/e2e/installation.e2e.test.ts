// Installing the app, end to end: the installation event delivered (three times at once, as a
// redelivery can), the first scan's issues and dashboard; a rescan of the unchanged account that
// writes nothing; a delivery with a wrong signature that does nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/surfaces/marker.js';
import { installationCreated } from '../support/fake-github/index.js';
import { deliver } from '../support/fake-github/webhooks.js';
import { INSTALLATION_ID, openSsh, REPO, SECRET, startE2e, tagDbGroup, type E2e } from './harness.js';

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

const issueOrPullWrite = (route: string | null) => route !== null && /\/(issues|pulls|labels|git)\b/.test(route);

describe('installation', () => {
  it('scans once however often the delivery arrives: one issue per drift with labels, and the Drift Dashboard', async () => {
    const payload = installationCreated(e2e.github, INSTALLATION_ID, 'dana');
    const id = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
    const deliveries = await Promise.all([1, 2, 3].map(() => deliver(e2e.webhookUrl, SECRET, 'installation', payload, { id })));
    await e2e.idle();

    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    const { github } = e2e.github;
    const issues = github.issues(REPO);
    const drifts = issues.filter((issue) => parseMarker(issue.body)?.kind === 'drift-issue');
    expect(drifts.map((issue) => [issue.title, issue.labels, issue.state, issue.user])).toEqual([
      ['[CRITICAL] aws_security_group.web drifted in legacy', ['drift', 'severity:critical'], 'open', 'driftwatch[bot]'],
      ['[LOW] aws_security_group.db drifted in legacy', ['drift', 'severity:low'], 'open', 'driftwatch[bot]'],
    ]);
    expect(drifts[0]?.body).toContain('22');
    const dashboards = issues.filter((issue) => parseMarker(issue.body)?.kind === 'dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]).toMatchObject({ title: 'Drift Dashboard', state: 'open', user: 'driftwatch[bot]' });
    for (const drift of drifts) expect(dashboards[0]?.body).toContain(`#${drift.number}`);
    // The labels carry driftwatch's colours, made once.
    expect(github.repository(REPO).labels.map((label) => [label.name, label.color])).toEqual([
      ['drift', '5319e7'],
      ['severity:critical', 'b60205'],
      ['severity:low', '0e8a16'],
    ]);
    expect(e2e.github.writes({ route: 'POST /repos/{owner}/{repo}/issues' }).filter((request) => request.status === 201)).toHaveLength(3);
    // The installed commit gets the check too.
    const main = github.repository(REPO).branches.get('main');
    const checks = github.repository(REPO).checkRuns.filter((run) => run.headSha === main && run.name === 'driftwatch');
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((run) => run.status === 'completed')).toBe(true);
    expect(e2e.github.unhandled).toEqual([]);
  });

  it('writes no issue, label or pull request when the account has not changed', async () => {
    const since = Date.now();
    const scans = e2e.github.reads({ route: 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}' }).length;
    const delivery = await e2e.send('installation', installationCreated(e2e.github, INSTALLATION_ID, 'dana'));
    expect(delivery.status).toBe(200);
    // It did scan again (the tree is cached by commit, the repository read anew)…
    expect(e2e.github.reads({ route: 'GET /repos/{owner}/{repo}', since }).length).toBeGreaterThan(0);
    expect(e2e.github.reads({ route: 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}' }).length).toBeGreaterThanOrEqual(scans);
    // …and wrote nothing to issues, labels, branches or pull requests.
    expect(e2e.github.writes({ since }).filter((request) => issueOrPullWrite(request.route))).toEqual([]);
  });

  it('rejects a delivery whose signature does not match, and does nothing', async () => {
    const before = e2e.github.requests.length;
    const delivery = await deliver(e2e.webhookUrl, SECRET, 'installation', installationCreated(e2e.github, INSTALLATION_ID, 'mallory'), { signature: 'sha256=' + '0'.repeat(64) });
    await e2e.idle();
    expect(delivery.status).toBeGreaterThanOrEqual(400);
    expect(delivery.status).toBeLessThan(500);
    expect(e2e.github.requests.slice(before)).toEqual([]);
    const unsigned = await fetch(e2e.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'installation', 'x-github-delivery': 'x' }, body: JSON.stringify(installationCreated(e2e.github, INSTALLATION_ID, 'mallory')) });
    await e2e.idle();
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect(e2e.github.requests.slice(before)).toEqual([]);
  });
});
