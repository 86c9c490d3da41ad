import { describe, expect, it } from 'vitest';
import { desiredIssues } from '../../src/surfaces/desired-issues.js';
import { formatMarker, parseMarker } from '../../src/surfaces/marker.js';
import { planIssues } from '../../src/surfaces/plan-issues.js';
import { resolutionScope } from '../../src/surfaces/resolution-scope.js';
import type { ActualIssue, DesiredIssue, DriftIssueMarker, IssueWrite, ResolutionScope } from '../../src/surfaces/types.js';
import { partial } from '../report/fixtures/scan-results.js';
import { failedReport, KILN_COMMIT, kilnReport } from './fixtures/reports.js';

const AT = '2025-05-03T06:00:00Z';
const LIVE_TYPES: Record<string, string> = {
  aws_instance: 'aws_instance',
  aws_db_instance: 'aws_db_instance',
  aws_s3_bucket: 'aws_s3_bucket',
  aws_security_group: 'aws_security_group',
  aws_vpc_security_group_ingress_rule: 'aws_security_group',
};

const desired = desiredIssues({ reports: [kilnReport()], findings: [] });
const worker = desired.find((issue) => issue.resource === 'aws_instance.worker')!;

function scope(overrides: Partial<ResolutionScope> = {}): ResolutionScope {
  return { workspaces: ['kiln-production'], unknown: [], liveTypeOf: (type) => LIVE_TYPES[type], commitSha: KILN_COMMIT, at: AT, ...overrides };
}

function actualFor(issue: DesiredIssue, overrides: Partial<ActualIssue> = {}, marker: Partial<DriftIssueMarker> = {}): ActualIssue {
  const full = { ...issue.marker, ...marker };
  return {
    number: 12,
    state: 'open',
    title: issue.title,
    labels: issue.labels,
    body: `${issue.body.slice(0, issue.body.lastIndexOf('<!--'))}${formatMarker(full)}\n`,
    marker: full,
    url: 'https://github.com/acme/infra/issues/12',
    ...overrides,
  };
}

function kinds(writes: IssueWrite[]): string[] {
  return writes.map((write) => ('number' in write ? `${write.kind} #${write.number}` : write.kind));
}

describe('planIssues', () => {
  it.each<[string, ActualIssue[], string[]]>([
    ['no issue yet: create it', [], ['create-issue']],
    ['open with the same fingerprint: nothing', [actualFor(worker)], []],
    ['open, the drift changed: update it', [actualFor(worker, {}, { fingerprint: 'f'.repeat(64) })], ['update-issue #12']],
    ['open, written by an older template: update it once', [actualFor(worker, {}, { v: 0 })], ['update-issue #12']],
    ['open, a person reopened it after the app resolved it, and it drifted: update its marker', [actualFor(worker, {}, { state: 'resolved', resolvedAt: '2025-04-21T06:00:00Z' })], ['update-issue #12']],
    ['closed by the app, drifted again: reopen it', [actualFor(worker, { state: 'closed' }, { state: 'resolved', resolvedAt: '2025-04-21T06:00:00Z' })], ['reopen-issue #12']],
    ['closed by the app, same fingerprint back: reopen it', [actualFor(worker, { state: 'closed' }, { state: 'resolved', resolvedAt: '2025-04-21T06:00:00Z', fingerprint: worker.marker.fingerprint })], ['reopen-issue #12']],
    ['closed by a person, same fingerprint: nothing, ever', [actualFor(worker, { state: 'closed' })], []],
    ['closed by a person, an older template: still nothing', [actualFor(worker, { state: 'closed' }, { v: 0 })], []],
    ['closed by a person, the drift changed: reopen it', [actualFor(worker, { state: 'closed' }, { fingerprint: 'f'.repeat(64) })], ['reopen-issue #12']],
    ['an issue without a readable marker: not ours, create ours', [{ ...actualFor(worker), marker: null }], ['create-issue']],
    [
      'a duplicate from an earlier bug: plan against the lowest number, leave the other',
      [actualFor(worker, { number: 30 }, { fingerprint: 'f'.repeat(64) }), actualFor(worker, { number: 12 }, { fingerprint: 'f'.repeat(64) })],
      ['update-issue #12'],
    ],
    ['a duplicate, the lowest already up to date: nothing for either', [actualFor(worker, { number: 30 }, { fingerprint: 'f'.repeat(64) }), actualFor(worker, { number: 12 })], []],
  ])('%s', (_name, actual, expected) => {
    expect(kinds(planIssues({ desired: [worker], actual, scope: scope() }))).toEqual(expected);
  });

  it('creates with the desired title, body and labels', () => {
    const [write] = planIssues({ desired: [worker], actual: [], scope: scope() });
    expect(write).toEqual({ kind: 'create-issue', identity: { workspace: 'kiln-production', resource: 'aws_instance.worker' }, title: worker.title, body: worker.body, labels: worker.labels });
  });

  it('says "drifted again" and when it was last resolved, from the store or else the marker', () => {
    const closed = actualFor(worker, { state: 'closed' }, { state: 'resolved', resolvedAt: '2025-04-21T06:00:00Z' });
    const [fromMarker] = planIssues({ desired: [worker], actual: [closed], scope: scope() });
    expect(fromMarker).toMatchObject({ kind: 'reopen-issue', body: worker.body });
    expect(fromMarker && 'comment' in fromMarker ? fromMarker.comment : '').toBe(
      `**Drifted again.** It was last resolved on 2025-04-21 06:00 UTC and is back: ${worker.whatChanged}`,
    );
    const [fromStore] = planIssues({ desired: [{ ...worker, lastResolvedAt: '2025-04-25T06:00:00Z' }], actual: [closed], scope: scope() });
    expect(fromStore && 'comment' in fromStore ? fromStore.comment : '').toContain('last resolved on 2025-04-25 06:00 UTC');
  });

  it('says what changed when it reopens an issue a person closed', () => {
    const [write] = planIssues({ desired: [worker], actual: [actualFor(worker, { state: 'closed' }, { fingerprint: 'f'.repeat(64) })], scope: scope() });
    expect(write && 'comment' in write ? write.comment : '').toBe(
      '**The drift changed** since this issue was closed, so it is open again. Now: `metadata_options[0].http_tokens` `required` → `optional`, `monitoring` `false` → `true`',
    );
  });

  describe('closing what is gone', () => {
    const gone = actualFor(worker, { number: 9 });

    it('closes an open issue whose drift is gone, with the commit and time, and marks it resolved', () => {
      const [write] = planIssues({ desired: [], actual: [gone], scope: scope() });
      expect(write?.kind).toBe('close-issue');
      if (write?.kind !== 'close-issue') return;
      expect(write.comment).toBe(`✅ No longer drifted at ${KILN_COMMIT} (2025-05-03 06:00 UTC).`);
      expect(parseMarker(write.body)).toEqual({ ...gone.marker, state: 'resolved', resolvedAt: AT });
      expect(write.body.startsWith(`> [!NOTE]\n> ✅ No longer drifted at ${KILN_COMMIT}`)).toBe(true);
      // The last report stays readable under the note.
      expect(write.body).toContain('#### What changed');
      expect(write.body.match(/<!-- driftwatch:/g)).toHaveLength(1);
      expect(write.body.length).toBeLessThan(65_536);
    });

    it.each<[string, Partial<ResolutionScope>, Partial<ActualIssue>, Partial<DriftIssueMarker>, number]>([
      ['its workspace was scanned and its family read', {}, {}, {}, 1],
      ['its workspace was not scanned (failed, disabled or not asked for)', { workspaces: ['staging'] }, {}, {}, 0],
      ['its family could not be read in this workspace', { unknown: [{ workspace: 'kiln-production', liveType: 'aws_instance' }] }, {}, {}, 0],
      ['its family could not be read in its region', { unknown: [{ workspace: 'kiln-production', liveType: 'aws_instance', region: 'us-east-1' }] }, {}, {}, 0],
      ['its family could not be read in another region only', { unknown: [{ workspace: 'kiln-production', liveType: 'aws_instance', region: 'eu-west-1' }] }, {}, {}, 1],
      ['another workspace could not read its family', { unknown: [{ workspace: 'staging', liveType: 'aws_instance' }] }, {}, {}, 1],
      ['a rule type whose family (security groups) could not be read', { unknown: [{ workspace: 'kiln-production', liveType: 'aws_security_group' }] }, {}, { type: 'aws_vpc_security_group_ingress_rule' }, 0],
      ['a type no family covers', {}, {}, { type: 'aws_lambda_function' }, 0],
      ['it is already closed', {}, { state: 'closed' }, {}, 0],
      ['a person reopened it after the app resolved it', {}, {}, { state: 'resolved', resolvedAt: '2025-04-21T06:00:00Z' }, 0],
    ])('closes it only when %s', (_name, scopeOverrides, issueOverrides, markerOverrides, count) => {
      const writes = planIssues({ desired: [], actual: [actualFor(worker, issueOverrides, markerOverrides)], scope: scope(scopeOverrides) });
      expect(writes.filter((write) => write.kind === 'close-issue')).toHaveLength(count);
      expect(writes).toHaveLength(count);
    });

    it('resolves nothing a partial scan could not read, and nothing of a failed workspace (scope from the reports)', () => {
      const reports = [kilnReport({}, partial), failedReport('staging', 'The state could not be read: AccessDenied on s3://acme-tfstate/staging.tfstate')];
      const fromReports = resolutionScope({ reports, liveTypeOf: (type) => LIVE_TYPES[type], commitSha: KILN_COMMIT, at: AT });
      expect(fromReports.workspaces).toEqual(['kiln-production']);
      expect(fromReports.unknown).toEqual([{ workspace: 'kiln-production', liveType: 'aws_db_instance' }]);
      const db = actualFor(worker, { number: 3 }, { resource: 'aws_db_instance.orders', type: 'aws_db_instance' });
      const bucket = actualFor(worker, { number: 4 }, { resource: 'aws_s3_bucket.logs', type: 'aws_s3_bucket' });
      const staging = actualFor(worker, { number: 5 }, { workspace: 'staging' });
      const writes = planIssues({ desired: desiredIssues({ reports }), actual: [db, bucket, staging], scope: fromReports });
      expect(kinds(writes).filter((kind) => kind.startsWith('close'))).toEqual(['close-issue #4']);
    });

    it('closes the lowest of two duplicates and leaves the other', () => {
      const writes = planIssues({ desired: [], actual: [actualFor(worker, { number: 40 }), actualFor(worker, { number: 9 })], scope: scope() });
      expect(kinds(writes)).toEqual(['close-issue #9']);
    });
  });

  it('plans nothing for a rescan of an unchanged account', () => {
    const actual = desired.map((issue, index) => actualFor(issue, { number: 100 + index }));
    expect(planIssues({ desired, actual, scope: scope() })).toEqual([]);
  });

  it('plans one write when one drift changed', () => {
    const actual = desired.map((issue, index) => actualFor(issue, { number: 100 + index }));
    const changed = desired.map((issue) => (issue === worker ? { ...issue, marker: { ...issue.marker, fingerprint: '0'.repeat(64) } } : issue));
    expect(kinds(planIssues({ desired: changed, actual, scope: scope() }))).toEqual([`update-issue #${100 + desired.indexOf(worker)}`]);
  });
});
