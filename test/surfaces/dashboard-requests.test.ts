import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { dashboardRequests, requestCheckbox, untick } from '../../src/surfaces/dashboard-requests.js';
import { dashboardWorkspaceFromReport } from '../../src/surfaces/dashboard-workspace.js';
import { desiredDashboard } from '../../src/surfaces/desired-dashboard.js';
import type { DashboardRequest } from '../../src/surfaces/types.js';
import { kilnReport } from './fixtures/reports.js';

interface IssuesEditedExample {
  action: string;
  changes: { body?: { from: string } };
  issue: { body: string | null };
}

/** A real `issues` edited delivery from @octokit/webhooks-examples, with the bodies of a tick. */
function editedEvent(from: string, to: string): IssuesEditedExample {
  const require = createRequire(import.meta.url);
  const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: IssuesEditedExample[] }[];
  const edited = examples.find((entry) => entry.name === 'issues')?.examples.find((example) => example.action === 'edited');
  if (!edited) throw new Error('no issues.edited example');
  return { ...structuredClone(edited), changes: { body: { from } }, issue: { ...structuredClone(edited.issue), body: to } };
}

const dashboard = desiredDashboard({ workspaces: [dashboardWorkspaceFromReport(kilnReport(), null)], issueNumbers: new Map(), history: [], now: '2025-05-03T06:00:00Z' }).body;

function tick(body: string, labelEnd: string): string {
  const lines = body.split('\n');
  const index = lines.findIndex((line, i) => line.includes('- [ ]') && line.endsWith(labelEnd) && (labelEnd !== 'open a restore pull request' || lines[i - 1]?.includes('aws_instance.worker')));
  if (index < 0) throw new Error(`no box ending ${labelEnd}`);
  lines[index] = (lines[index] ?? '').replace('- [ ]', '- [x]');
  return lines.join('\n');
}

describe('dashboard requests', () => {
  it('reads the box ticked between the event\'s body.from and issue.body', () => {
    const event = editedEvent(dashboard, tick(dashboard, 'open a restore pull request'));
    expect(dashboardRequests(event.changes.body?.from, event.issue.body)).toEqual([{ kind: 'fix', direction: 'restore', workspace: 'kiln-production', resource: 'aws_instance.worker' }]);
  });

  it.each<[string, string]>([
    ['rescan `kiln-production`', 'rescan'],
    ['open a restore pull request for every drift in `kiln-production`', 'restore all'],
    ['open an accept pull request for every drift in `kiln-production`', 'accept all'],
  ])('reads the workspace box "%s"', (label, _name) => {
    const requests = dashboardRequests(dashboard, tick(dashboard, label));
    expect(requests).toHaveLength(1);
    expect(requests[0]?.workspace).toBe('kiln-production');
  });

  it('ignores boxes that were already ticked, and unticking', () => {
    const ticked = tick(dashboard, 'rescan `kiln-production`');
    expect(dashboardRequests(ticked, ticked)).toEqual([]);
    expect(dashboardRequests(ticked, dashboard)).toEqual([]);
    const both = tick(ticked, 'open a restore pull request for every drift in `kiln-production`');
    expect(dashboardRequests(ticked, both)).toEqual([{ kind: 'fix', direction: 'restore', workspace: 'kiln-production', resource: null }]);
  });

  it('reads nothing from an edit without a previous body or from a body without boxes', () => {
    expect(dashboardRequests(undefined, dashboard)).toEqual([]);
    expect(dashboardRequests('text', '- [x] a box a person added')).toEqual([]);
    expect(dashboardRequests('', '- [x] <!-- driftwatch-request:fix:sideways:prod: --> x\n- [x] <!-- driftwatch-request:rescan:%E0%A4%A --> y')).toEqual([]);
  });

  it('round-trips any workspace name and resource key through its hidden id', () => {
    const requests: DashboardRequest[] = [
      { kind: 'fix', direction: 'accept', workspace: 'prod-eu', resource: 'module.app["a --> b: c"].aws_instance.web[0]' },
      { kind: 'fix', direction: 'restore', workspace: 'prod', resource: 'aws_s3_bucket:logs.example.com' },
      { kind: 'rescan', workspace: 'a:b' },
    ];
    const before = requests.map((request) => requestCheckbox(request, 'label')).join('\n');
    expect(before).not.toMatch(/<!--.*-->.*-->/);
    expect(dashboardRequests(before, before.replace(/\[ \]/g, '[x]'))).toEqual(requests);
  });

  it('unticks the boxes of requests that were done, and no other', () => {
    const ticked = tick(tick(dashboard, 'rescan `kiln-production`'), 'open a restore pull request');
    const done = dashboardRequests(dashboard, ticked);
    expect(done).toHaveLength(2);
    expect(untick(ticked, done)).toBe(dashboard);
    expect(untick(ticked, done.slice(0, 1))).toBe(tick(dashboard, 'rescan `kiln-production`'));
  });
});
