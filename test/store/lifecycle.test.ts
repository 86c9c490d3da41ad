import { describe, expect, it } from 'vitest';
import { applyLifecycle, type LifecycleOutcome } from '../../src/store/lifecycle.js';
import type { FindingInput, FindingRecord, ScanRecordInput } from '../../src/store/types.js';
import { deletedOrdersDb, openSsh, publicExportsBucket, REPO, scanInput, unmanagedInstance } from './findings.js';

const T1 = '2026-11-22T06:00:41.000Z';
const T2 = '2026-11-23T06:00:39.000Z';
const T3 = '2026-11-24T06:00:44.000Z';
const T4 = '2026-11-25T06:00:40.000Z';

/** What the store holds after each scan, written the way the store writes an outcome. */
class Held {
  records = new Map<string, FindingRecord>();
  scanned = false;

  scan(overrides: Partial<ScanRecordInput> & { finishedAt: string }, findings: FindingInput[]): LifecycleOutcome {
    const scan = scanInput(overrides);
    const outcome = applyLifecycle({ repo: REPO, scan, findings, existing: [...this.records.values()], earlierScan: this.scanned });
    for (const record of outcome.writes) this.records.set(record.resourceKey, record);
    for (const key of outcome.seen) {
      const record = this.records.get(key) as FindingRecord;
      this.records.set(key, { ...record, lastSeenAt: scan.finishedAt });
    }
    if (scan.status === 'complete' || scan.status === 'partial') this.scanned = true;
    return outcome;
  }
}

function kinds(outcome: LifecycleOutcome): [string, string][] {
  return outcome.transitions.map((transition) => [transition.kind, transition.finding.resourceKey]);
}

describe('applyLifecycle', () => {
  it('opens every drift of a first scan as episode 1 and says it is the first scan', () => {
    const held = new Held();
    const outcome = held.scan({ finishedAt: T1 }, [openSsh(), unmanagedInstance()]);
    expect(outcome.firstScan).toBe(true);
    expect(kinds(outcome)).toEqual([
      ['opened', 'aws_security_group_rule.web_ssh'],
      ['opened', 'aws_instance:i-0f1e2d3c4b5a69788'],
    ]);
    expect(outcome.transitions[0]?.finding).toEqual({
      ...openSsh(),
      repo: REPO,
      status: 'open',
      firstSeenAt: T1,
      lastSeenAt: T1,
      resolvedAt: null,
      lastResolvedAt: null,
      episode: 1,
      issueNumber: null,
    });
    expect(outcome.writes).toHaveLength(2);
    expect(outcome.seen).toEqual([]);
  });

  it('opens a new drift on a later scan without calling it a first scan', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh()]);
    const outcome = held.scan({ finishedAt: T2 }, [openSsh(), deletedOrdersDb()]);
    expect(outcome.firstScan).toBe(false);
    expect(kinds(outcome)).toEqual([
      ['unchanged', 'aws_security_group_rule.web_ssh'],
      ['opened', 'module.orders.aws_db_instance.this'],
    ]);
  });

  it('keeps an unchanged drift open and only moves its last-seen time', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh()]);
    const outcome = held.scan({ finishedAt: T2 }, [openSsh()]);
    expect(kinds(outcome)).toEqual([['unchanged', 'aws_security_group_rule.web_ssh']]);
    expect(outcome.writes).toEqual([]);
    expect(outcome.seen).toEqual(['aws_security_group_rule.web_ssh']);
    expect(outcome.transitions[0]?.finding).toMatchObject({ firstSeenAt: T1, lastSeenAt: T2, episode: 1, status: 'open' });
  });

  it('rewrites an unchanged drift whose details moved without a new fingerprint (attribution found later)', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [{ ...openSsh(), attribution: null }]);
    const outcome = held.scan({ finishedAt: T2 }, [openSsh()]);
    expect(kinds(outcome)).toEqual([['unchanged', 'aws_security_group_rule.web_ssh']]);
    expect(outcome.seen).toEqual([]);
    expect(outcome.writes).toEqual([expect.objectContaining({ attribution: openSsh().attribution, lastSeenAt: T2 })]);
  });

  it('sees attribution with another key order (as jsonb returns it) as the same', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh()]);
    const record = held.records.get('aws_security_group_rule.web_ssh') as FindingRecord;
    const reordered = Object.fromEntries(Object.entries(record.attribution ?? {}).reverse()) as unknown as FindingRecord['attribution'];
    held.records.set(record.resourceKey, { ...record, attribution: reordered });
    expect(held.scan({ finishedAt: T2 }, [openSsh()]).seen).toEqual(['aws_security_group_rule.web_ssh']);
  });

  it('updates a changed drift (new fingerprint) in place, keeping its episode, first-seen time and issue', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh()]);
    held.records.set('aws_security_group_rule.web_ssh', { ...(held.records.get('aws_security_group_rule.web_ssh') as FindingRecord), issueNumber: 412 });
    const changed = openSsh('prod', 'ingress 22/tcp 0.0.0.0/0, ::/0');
    const outcome = held.scan({ finishedAt: T2 }, [changed]);
    expect(kinds(outcome)).toEqual([['changed', 'aws_security_group_rule.web_ssh']]);
    const transition = outcome.transitions[0];
    if (transition?.kind !== 'changed') throw new Error('expected a change');
    expect(transition.previous.fingerprint).toBe(openSsh().fingerprint);
    expect(transition.finding).toMatchObject({ fingerprint: changed.fingerprint, firstSeenAt: T1, lastSeenAt: T2, episode: 1, issueNumber: 412, status: 'open' });
  });

  it('resolves an open drift a complete scan no longer finds, keeping its last-seen time', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh(), publicExportsBucket()]);
    const outcome = held.scan({ finishedAt: T2 }, [publicExportsBucket()]);
    expect(kinds(outcome)).toEqual([
      ['unchanged', 'aws_s3_bucket_public_access_block.exports'],
      ['resolved', 'aws_security_group_rule.web_ssh'],
    ]);
    expect(outcome.transitions[1]?.finding).toMatchObject({ status: 'resolved', resolvedAt: T2, lastSeenAt: T1, episode: 1 });
    // Resolved stays resolved: the next scan does nothing to it.
    expect(kinds(held.scan({ finishedAt: T3 }, [publicExportsBucket()]))).toEqual([['unchanged', 'aws_s3_bucket_public_access_block.exports']]);
  });

  it('reopens a drift that comes back as the next episode of the same record', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh()]);
    held.records.set('aws_security_group_rule.web_ssh', { ...(held.records.get('aws_security_group_rule.web_ssh') as FindingRecord), issueNumber: 412 });
    held.scan({ finishedAt: T2 }, []);
    const outcome = held.scan({ finishedAt: T3 }, [openSsh()]);
    expect(kinds(outcome)).toEqual([['recurred', 'aws_security_group_rule.web_ssh']]);
    const transition = outcome.transitions[0];
    if (transition?.kind !== 'recurred') throw new Error('expected a recurrence');
    expect(transition.previous).toMatchObject({ status: 'resolved', resolvedAt: T2, episode: 1 });
    expect(transition.finding).toMatchObject({
      status: 'open',
      episode: 2,
      firstSeenAt: T3,
      lastSeenAt: T3,
      resolvedAt: null,
      lastResolvedAt: T2,
      issueNumber: 412,
    });
    // Resolved again and back again: the episode keeps counting, lastResolvedAt is the latest end.
    held.scan({ finishedAt: T4 }, []);
    const third = held.scan({ finishedAt: '2026-11-26T06:00:40.000Z' }, [openSsh()]);
    expect(third.transitions[0]?.finding).toMatchObject({ episode: 3, lastResolvedAt: T4 });
  });

  it('never resolves, on a partial scan, what belongs to a family it could not read', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh(), publicExportsBucket(), unmanagedInstance(), deletedOrdersDb()]);
    const outcome = held.scan(
      {
        finishedAt: T2,
        status: 'partial',
        unknown: [
          // Every region of S3 unread; EC2 instances unread in eu-west-1 only; RDS unread in us-east-1 only.
          { liveType: 'aws_s3_bucket', reason: 'AccessDenied: s3:GetBucketPolicy' },
          { liveType: 'aws_instance', region: 'eu-west-1', reason: 'retries exhausted (ThrottlingException)' },
          { liveType: 'aws_db_instance', region: 'us-east-1', reason: 'AccessDenied: rds:DescribeDBInstances' },
        ],
      },
      [],
    );
    // The security group family was read, and the orders database lives in us-west-2, which was read.
    expect(kinds(outcome)).toEqual([
      ['resolved', 'aws_security_group_rule.web_ssh'],
      ['resolved', 'module.orders.aws_db_instance.this'],
    ]);
    expect(held.records.get('aws_s3_bucket_public_access_block.exports')?.status).toBe('open');
    expect(held.records.get('aws_instance:i-0f1e2d3c4b5a69788')?.status).toBe('open');
  });

  it('still opens and updates drifts on a partial scan', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh()]);
    const outcome = held.scan({ finishedAt: T2, status: 'partial', unknown: [{ liveType: 'aws_s3_bucket', reason: 'AccessDenied' }] }, [openSsh('prod', 'ingress 3389/tcp 0.0.0.0/0'), deletedOrdersDb()]);
    expect(kinds(outcome)).toEqual([
      ['changed', 'aws_security_group_rule.web_ssh'],
      ['opened', 'module.orders.aws_db_instance.this'],
    ]);
  });

  it.each(['failed', 'disabled'] as const)('records nothing of the findings on a %s scan: nothing opens, nothing resolves', (status) => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh()]);
    const outcome = held.scan({ finishedAt: T2, status, error: status === 'failed' ? 'AccessDenied: s3:GetObject on acme-tfstate/prod/terraform.tfstate' : null }, [deletedOrdersDb()]);
    expect(outcome).toEqual({ firstScan: false, transitions: [], writes: [], seen: [] });
  });

  it('calls the first scan that reads a workspace its first, even after failed or disabled ones', () => {
    const held = new Held();
    expect(held.scan({ finishedAt: T1, status: 'disabled' }, []).firstScan).toBe(true);
    expect(held.scan({ finishedAt: T2, status: 'failed', error: 'the state could not be read' }, []).firstScan).toBe(true);
    expect(held.scan({ finishedAt: T3 }, [openSsh()]).firstScan).toBe(true);
    expect(held.scan({ finishedAt: T4 }, [openSsh()]).firstScan).toBe(false);
  });

  it('does not call a workspace new when it has findings but its scans were pruned', () => {
    const held = new Held();
    held.scan({ finishedAt: T1 }, [openSsh()]);
    held.scanned = false;
    expect(held.scan({ finishedAt: T2 }, [openSsh()]).firstScan).toBe(false);
  });

  it('rejects a resource key found twice and a finding of another workspace, saying what to do', () => {
    const held = new Held();
    expect(() => held.scan({ finishedAt: T1 }, [openSsh(), openSsh('prod', 'ingress 3389/tcp 0.0.0.0/0')])).toThrow(/appears twice .* combine a resource's drifts into one finding/);
    expect(() => held.scan({ finishedAt: T1 }, [openSsh('staging')])).toThrow(/belongs to workspace "staging", not to the scanned "prod"/);
  });
});
