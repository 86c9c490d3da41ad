// The same suite against both dialects: every Store method, the lifecycle as the store applies
// and persists it, and the claims and recordings that race.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create-store.js';
import type { FindingInput, NotificationRecord, ScanRecordInput, Store } from '../../src/store/types.js';
import { deletedOrdersDb, fingerprint, openSsh, publicExportsBucket, REPO, scanInput, unmanagedInstance } from './findings.js';
import { DIALECTS, type TestDatabase } from './test-databases.js';

const T1 = '2026-11-22T06:00:41.000Z';
const T2 = '2026-11-23T06:00:39.000Z';
const T3 = '2026-11-24T06:00:44.000Z';
const T4 = '2026-11-25T06:00:40.000Z';

describe.each(DIALECTS)('store on $dialect', ({ dialect, create }) => {
  let database: TestDatabase;
  let store: Store;
  const opened: Store[] = [];

  function open(): Store {
    const another = createStore(database.settings);
    opened.push(another);
    return another;
  }

  beforeEach(async () => {
    database = await create();
    store = open();
    await store.migrate();
  });

  afterEach(async () => {
    for (const each of opened.splice(0)) await each.close();
    await database.drop();
  });

  function record(overrides: Partial<ScanRecordInput> & { finishedAt: string }, findings: FindingInput[]) {
    return store.recordScan(scanInput(overrides), findings);
  }

  it('says which dialect backs it, and migrating again changes nothing', async () => {
    expect(store.dialect).toBe(dialect);
    await record({ finishedAt: T1 }, [openSsh()]);
    await store.migrate();
    await open().migrate();
    expect(await store.findings({ repo: REPO })).toHaveLength(1);
  });

  describe('recordScan', () => {
    it('stores the scan with its duration, counts and unknown families, and hands back its id', async () => {
      const input = scanInput({
        finishedAt: T1,
        status: 'partial',
        trigger: 'push',
        counts: { critical: 1, high: 2, medium: 0, low: 3 },
        postureScore: 71.5,
        apiCalls: 412,
        unknown: [{ liveType: 'aws_s3_bucket', region: 'eu-west-1', reason: 'AccessDenied: s3:GetBucketPolicy' }],
      });
      const { scan } = await store.recordScan(input, []);
      expect(scan).toEqual({ ...input, id: scan.id, durationMs: 41_250 });
      expect(await store.recentScans(REPO, 'prod', 10)).toEqual([scan]);
    });

    it('stores times as ISO UTC with milliseconds, whatever offset they came with', async () => {
      const { scan } = await record({ startedAt: '2026-11-22T15:00:00+09:00', finishedAt: '2026-11-22T06:00:41Z' }, [openSsh()]);
      expect(scan).toMatchObject({ startedAt: '2026-11-22T06:00:00.000Z', finishedAt: T1, durationMs: 41_000 });
      expect((await store.latestScans(REPO))[0]).toMatchObject({ startedAt: '2026-11-22T06:00:00.000Z', finishedAt: T1 });
      expect((await store.findings({ repo: REPO }))[0]).toMatchObject({ firstSeenAt: T1, lastSeenAt: T1 });
    });

    it('rejects a time it cannot read and a scan that ends before it starts, recording nothing', async () => {
      await expect(record({ startedAt: T1, finishedAt: 'yesterday morning' }, [])).rejects.toThrow(/scan finishedAt "yesterday morning" is not a time: pass an ISO 8601 timestamp/);
      await expect(record({ finishedAt: T1, startedAt: T2 }, [])).rejects.toThrow(/is before its startedAt/);
      expect(await store.latestScans(REPO)).toEqual([]);
    });

    it('opens every drift of the first scan and says it is the first', async () => {
      const result = await record({ finishedAt: T1 }, [openSsh(), unmanagedInstance()]);
      expect(result.firstScan).toBe(true);
      expect(result.transitions.map((t) => [t.kind, t.finding.resourceKey])).toEqual([
        ['opened', 'aws_security_group_rule.web_ssh'],
        ['opened', 'aws_instance:i-0f1e2d3c4b5a69788'],
      ]);
      expect(await store.findings({ repo: REPO })).toEqual([
        { ...unmanagedInstance(), repo: REPO, status: 'open', firstSeenAt: T1, lastSeenAt: T1, resolvedAt: null, lastResolvedAt: null, episode: 1, issueNumber: null },
        { ...openSsh(), repo: REPO, status: 'open', firstSeenAt: T1, lastSeenAt: T1, resolvedAt: null, lastResolvedAt: null, episode: 1, issueNumber: null },
      ]);
    });

    it('opens a new drift on a later scan, and keeps an unchanged one with a new last-seen time', async () => {
      await record({ finishedAt: T1 }, [openSsh()]);
      const result = await record({ finishedAt: T2 }, [openSsh(), deletedOrdersDb()]);
      expect(result.firstScan).toBe(false);
      expect(result.transitions.map((t) => t.kind)).toEqual(['unchanged', 'opened']);
      const [ssh] = await store.findings({ repo: REPO, resourceKeys: ['aws_security_group_rule.web_ssh'] });
      expect(ssh).toMatchObject({ status: 'open', firstSeenAt: T1, lastSeenAt: T2, episode: 1 });
    });

    it('keeps fresher details of an unchanged drift (attribution found on a later scan)', async () => {
      await record({ finishedAt: T1 }, [{ ...openSsh(), attribution: null }]);
      await record({ finishedAt: T2 }, [openSsh()]);
      const [ssh] = await store.findings({ repo: REPO });
      expect(ssh).toMatchObject({ attribution: openSsh().attribution, lastSeenAt: T2 });
    });

    it('updates a changed drift in place, keeping its first-seen time and issue', async () => {
      await record({ finishedAt: T1 }, [openSsh()]);
      await store.setFindingIssue(REPO, 'prod', 'aws_security_group_rule.web_ssh', 412);
      const changed = openSsh('prod', 'ingress 22/tcp 0.0.0.0/0, ::/0');
      const result = await record({ finishedAt: T2 }, [changed]);
      expect(result.transitions).toEqual([
        expect.objectContaining({ kind: 'changed', previous: expect.objectContaining({ fingerprint: openSsh().fingerprint, issueNumber: 412 }) }),
      ]);
      expect(await store.findings({ repo: REPO })).toEqual([expect.objectContaining({ fingerprint: changed.fingerprint, firstSeenAt: T1, lastSeenAt: T2, issueNumber: 412, episode: 1 })]);
    });

    it('resolves what a complete scan no longer finds, then reopens it as the next episode when it comes back', async () => {
      await record({ finishedAt: T1 }, [openSsh(), publicExportsBucket()]);
      await store.setFindingIssue(REPO, 'prod', 'aws_security_group_rule.web_ssh', 412);
      const resolved = await record({ finishedAt: T2 }, [publicExportsBucket()]);
      expect(resolved.transitions.map((t) => [t.kind, t.finding.resourceKey])).toEqual([
        ['unchanged', 'aws_s3_bucket_public_access_block.exports'],
        ['resolved', 'aws_security_group_rule.web_ssh'],
      ]);
      expect(await store.findings({ repo: REPO, status: 'resolved' })).toEqual([
        expect.objectContaining({ resourceKey: 'aws_security_group_rule.web_ssh', resolvedAt: T2, lastSeenAt: T1, issueNumber: 412 }),
      ]);

      const recurred = await record({ finishedAt: T3 }, [openSsh(), publicExportsBucket()]);
      expect(recurred.transitions.map((t) => t.kind)).toEqual(['recurred', 'unchanged']);
      expect(recurred.transitions[0]).toMatchObject({ previous: { episode: 1, resolvedAt: T2 } });
      expect(await store.findings({ repo: REPO, resourceKeys: ['aws_security_group_rule.web_ssh'] })).toEqual([
        expect.objectContaining({ status: 'open', episode: 2, firstSeenAt: T3, lastSeenAt: T3, resolvedAt: null, lastResolvedAt: T2, issueNumber: 412 }),
      ]);
    });

    it('never resolves on a partial scan what belongs to a family (or region) it could not read', async () => {
      await record({ finishedAt: T1 }, [openSsh(), publicExportsBucket(), unmanagedInstance(), deletedOrdersDb()]);
      const result = await record(
        {
          finishedAt: T2,
          status: 'partial',
          unknown: [
            { liveType: 'aws_s3_bucket', reason: 'AccessDenied: s3:GetBucketPolicy' },
            { liveType: 'aws_instance', region: 'eu-west-1', reason: 'retries exhausted (ThrottlingException)' },
            { liveType: 'aws_db_instance', region: 'us-east-1', reason: 'AccessDenied: rds:DescribeDBInstances' },
          ],
        },
        [],
      );
      expect(result.transitions.map((t) => [t.kind, t.finding.resourceKey])).toEqual([
        ['resolved', 'aws_security_group_rule.web_ssh'],
        ['resolved', 'module.orders.aws_db_instance.this'],
      ]);
      expect((await store.findings({ repo: REPO, status: 'open' })).map((f) => f.resourceKey)).toEqual(['aws_instance:i-0f1e2d3c4b5a69788', 'aws_s3_bucket_public_access_block.exports']);
    });

    it.each(['failed', 'disabled'] as const)('records a %s scan and nothing of findings', async (status) => {
      await record({ finishedAt: T1 }, [openSsh()]);
      const error = status === 'failed' ? 'AccessDenied: s3:GetObject on acme-tfstate/prod/terraform.tfstate' : null;
      const result = await record({ finishedAt: T2, status, error }, []);
      expect(result).toMatchObject({ firstScan: false, transitions: [], scan: { status, error } });
      expect(await store.findings({ repo: REPO })).toEqual([expect.objectContaining({ status: 'open', lastSeenAt: T1 })]);
      expect((await store.latestScans(REPO))[0]).toMatchObject({ status, error, finishedAt: T2 });
    });

    it('calls the first scan that reads the workspace its first, after failed and disabled ones', async () => {
      expect((await record({ finishedAt: T1, status: 'disabled' }, [])).firstScan).toBe(true);
      expect((await record({ finishedAt: T2, status: 'failed', error: 'the state could not be read' }, [])).firstScan).toBe(true);
      expect((await record({ finishedAt: T3 }, [openSsh()])).firstScan).toBe(true);
      expect((await record({ finishedAt: T4 }, [openSsh()])).firstScan).toBe(false);
      // Another workspace of the same repository has its own first scan.
      expect((await record({ finishedAt: T4, workspace: 'staging' }, [openSsh('staging')])).firstScan).toBe(true);
    });

    it('keeps workspaces apart: a scan of one never resolves another', async () => {
      await record({ finishedAt: T1 }, [openSsh()]);
      await record({ finishedAt: T1, workspace: 'staging' }, [openSsh('staging')]);
      const result = await record({ finishedAt: T2, workspace: 'staging' }, []);
      expect(result.transitions.map((t) => [t.kind, t.finding.workspace])).toEqual([['resolved', 'staging']]);
      expect(await store.findings({ repo: REPO, workspace: 'prod', status: 'open' })).toHaveLength(1);
    });

    it('writes all or nothing: a scan that fails halfway leaves no scan and no finding changed', async () => {
      await record({ finishedAt: T1 }, [openSsh()]);
      const before = await store.findings({ repo: REPO });
      // The duplicate is only found after the scan row was inserted, inside the transaction.
      await expect(record({ finishedAt: T2 }, [deletedOrdersDb(), openSsh('prod', 'ingress 3389/tcp'), openSsh('prod', 'ingress 3389/tcp')])).rejects.toThrow(/appears twice/);
      expect(await store.recentScans(REPO, 'prod', 10)).toEqual([expect.objectContaining({ finishedAt: T1 })]);
      expect(await store.findings({ repo: REPO })).toEqual(before);
      // And the store goes on working.
      expect((await record({ finishedAt: T3 }, [deletedOrdersDb()])).transitions.map((t) => t.kind)).toEqual(['opened', 'resolved']);
    });

    it('writes thousands of findings in batches within each dialect\'s parameter limit', async () => {
      const many = Array.from({ length: 3_500 }, (_, i) => ({ ...unmanagedInstance(), resourceKey: `aws_instance:i-${i.toString(16).padStart(17, '0')}`, cloudId: `i-${i.toString(16).padStart(17, '0')}`, fingerprint: fingerprint('prod', String(i)) }));
      expect((await record({ finishedAt: T1 }, many)).transitions).toHaveLength(3_500);
      const second = await record({ finishedAt: T2 }, many.slice(0, 3_000));
      expect(second.transitions.filter((t) => t.kind === 'unchanged')).toHaveLength(3_000);
      expect(second.transitions.filter((t) => t.kind === 'resolved')).toHaveLength(500);
      const open = await store.findings({ repo: REPO, status: 'open' });
      expect(open).toHaveLength(3_000);
      expect(open.every((f) => f.lastSeenAt === T2)).toBe(true);
    });

    it('opens a finding once when two recordings of the workspace race', async () => {
      // SQLite: one process has one connection, so a second writer in this process is the same
      // store; other processes are covered by store-processes.test.ts.
      const other = dialect === 'postgres' ? open() : store;
      const results = await Promise.all([store.recordScan(scanInput({ finishedAt: T1 }), [openSsh()]), other.recordScan(scanInput({ finishedAt: T2 }), [openSsh()])]);
      expect(results.flatMap((r) => r.transitions.map((t) => t.kind)).sort()).toEqual(['opened', 'unchanged']);
      expect(results.filter((r) => r.firstScan)).toHaveLength(1);
    });
  });

  describe('scans', () => {
    it('answers the latest scan of each workspace, the recent ones newest first, and those of a week', async () => {
      await record({ finishedAt: T1 }, []);
      await record({ finishedAt: T1, workspace: 'staging' }, []);
      await record({ finishedAt: T2 }, []);
      await record({ finishedAt: T3, status: 'failed', error: 'AccessDenied: sts:AssumeRole' }, []);
      await record({ finishedAt: T2, workspace: 'staging', trigger: 'command' }, []);

      expect((await store.latestScans(REPO)).map((s) => [s.workspace, s.finishedAt, s.status])).toEqual([
        ['prod', T3, 'failed'],
        ['staging', T2, 'complete'],
      ]);
      expect((await store.recentScans(REPO, 'prod', 2)).map((s) => s.finishedAt)).toEqual([T3, T2]);
      expect((await store.scansBetween(REPO, 'prod', T1, T3)).map((s) => s.finishedAt)).toEqual([T1, T2]);
      expect(await store.latestScans('acme/other')).toEqual([]);
    });

    it('prunes scans older than the cut-off and keeps every finding', async () => {
      await record({ finishedAt: T1 }, [openSsh()]);
      await record({ finishedAt: T2 }, [openSsh(), deletedOrdersDb()]);
      await record({ finishedAt: T3 }, [deletedOrdersDb()]);
      expect(await store.prune(T3)).toEqual({ scans: 2, notifications: 0 });
      expect((await store.recentScans(REPO, 'prod', 10)).map((s) => s.finishedAt)).toEqual([T3]);
      expect(await store.findings({ repo: REPO })).toHaveLength(2);
      expect(await store.prune(T3)).toEqual({ scans: 0, notifications: 0 });
      // Ids are never reused after pruning.
      const { scan } = await record({ finishedAt: T4 }, []);
      expect(scan.id).toBe(4);
    });
  });

  describe('findings', () => {
    it('filters by workspace, status and resource keys, and answers nothing for no keys', async () => {
      await record({ finishedAt: T1 }, [openSsh(), deletedOrdersDb()]);
      await record({ finishedAt: T1, workspace: 'staging' }, [openSsh('staging')]);
      await record({ finishedAt: T2 }, [openSsh()]);
      const keys = (query: Parameters<Store['findings']>[0]) => store.findings(query).then((found) => found.map((f) => `${f.workspace}/${f.resourceKey}/${f.status}`));

      expect(await keys({ repo: REPO })).toEqual(['prod/aws_security_group_rule.web_ssh/open', 'prod/module.orders.aws_db_instance.this/resolved', 'staging/aws_security_group_rule.web_ssh/open']);
      expect(await keys({ repo: REPO, workspace: 'prod', status: 'open' })).toEqual(['prod/aws_security_group_rule.web_ssh/open']);
      expect(await keys({ repo: REPO, status: 'resolved' })).toEqual(['prod/module.orders.aws_db_instance.this/resolved']);
      expect(await keys({ repo: REPO, resourceKeys: ['module.orders.aws_db_instance.this', 'aws_instance:i-0000'] })).toEqual(['prod/module.orders.aws_db_instance.this/resolved']);
      expect(await keys({ repo: REPO, resourceKeys: [] })).toEqual([]);
      expect(await keys({ repo: 'acme/other' })).toEqual([]);
    });

    it('sorts by workspace and resource key the same way in both dialects', async () => {
      const keys = ['aws_s3_bucket.b', 'aws_s3_bucket.B', 'aws_s3_bucket._a', 'aws_s3_bucket.a["x-1"]', 'aws_s3_bucket.a'];
      await record({ finishedAt: T1 }, keys.map((resourceKey) => ({ ...publicExportsBucket(), resourceKey, fingerprint: fingerprint(resourceKey) })));
      expect((await store.findings({ repo: REPO })).map((f) => f.resourceKey)).toEqual(['aws_s3_bucket.B', 'aws_s3_bucket._a', 'aws_s3_bucket.a', 'aws_s3_bucket.a["x-1"]', 'aws_s3_bucket.b']);
    });

    it('answers a look-up of more resource keys than one statement may carry', async () => {
      await record({ finishedAt: T1 }, [openSsh(), deletedOrdersDb()]);
      const asked = [...Array.from({ length: 40_000 }, (_, i) => `aws_instance:i-${i}`), 'module.orders.aws_db_instance.this', 'aws_security_group_rule.web_ssh'];
      expect((await store.findings({ repo: REPO, resourceKeys: asked })).map((f) => f.resourceKey)).toEqual(['aws_security_group_rule.web_ssh', 'module.orders.aws_db_instance.this']);
    });

    it('links a finding to its issue, and says so when the finding is unknown', async () => {
      await record({ finishedAt: T1 }, [openSsh()]);
      await store.setFindingIssue(REPO, 'prod', 'aws_security_group_rule.web_ssh', 412);
      expect((await store.findings({ repo: REPO }))[0]?.issueNumber).toBe(412);
      await expect(store.setFindingIssue(REPO, 'staging', 'aws_security_group_rule.web_ssh', 413)).rejects.toThrow(/holds no finding aws_security_group_rule.web_ssh in acme\/infra workspace "staging": record the scan/);
    });
  });

  describe('fix pull requests', () => {
    it('saves one per workspace and direction, and updates it in place', async () => {
      expect(await store.fixPr(REPO, 'prod', 'restore')).toBeNull();
      const pr = { repo: REPO, workspace: 'prod', direction: 'restore' as const, number: 57, state: 'open' as const, fingerprints: [openSsh().fingerprint], updatedAt: T1 };
      await store.saveFixPr(pr);
      await store.saveFixPr({ ...pr, direction: 'accept', number: 58 });
      expect(await store.fixPr(REPO, 'prod', 'restore')).toEqual(pr);

      const updated = { ...pr, state: 'closed' as const, fingerprints: [openSsh().fingerprint, deletedOrdersDb().fingerprint], updatedAt: '2026-11-23T15:00:00+09:00' };
      await store.saveFixPr(updated);
      expect(await store.fixPr(REPO, 'prod', 'restore')).toEqual({ ...updated, updatedAt: T1.replace('2026-11-22T06:00:41', '2026-11-23T06:00:00') });
      expect((await store.fixPr(REPO, 'prod', 'accept'))?.number).toBe(58);
      expect(await store.fixPr(REPO, 'staging', 'restore')).toBeNull();
    });
  });

  describe('notifications', () => {
    const alert = (key: string, overrides: Partial<NotificationRecord> = {}) => ({
      key,
      kind: 'alert' as const,
      channel: 'platform-alerts',
      repo: REPO,
      workspace: 'prod',
      createdAt: T1,
      ...overrides,
    });

    it('prunes the notifications claimed before the cut-off, with the scans', async () => {
      await store.claimNotification(alert('old-alert', { createdAt: T1 }));
      await store.claimNotification(alert('new-alert', { createdAt: T3 }));
      expect(await store.prune(T3)).toEqual({ scans: 0, notifications: 1 });
      expect((await store.notifications({ repo: REPO })).map((n) => n.key)).toEqual(['new-alert']);
    });
    const KEY = `slack:platform-alerts:${REPO}:prod:aws_security_group_rule.web_ssh:${openSsh().fingerprint}:opened`;

    it('claims a key once: the second claim, even after the send failed, is refused', async () => {
      expect(await store.claimNotification(alert(KEY))).toBe(true);
      expect(await store.claimNotification(alert(KEY, { createdAt: T2 }))).toBe(false);
      expect(await store.notifications({ repo: REPO })).toEqual([
        { ...alert(KEY), status: 'pending', attempts: 0, error: null, sentAt: null },
      ]);
      await store.finishNotification(KEY, { status: 'failed', attempts: 5, error: 'HTTP 500 from the Slack webhook', at: T2 });
      expect(await store.claimNotification(alert(KEY, { createdAt: T3 }))).toBe(false);
      expect(await store.notifications({ repo: REPO })).toEqual([
        { ...alert(KEY), status: 'failed', attempts: 5, error: 'HTTP 500 from the Slack webhook', sentAt: null },
      ]);
    });

    it('lets exactly one of many concurrent claims of a key win', async () => {
      const other = dialect === 'postgres' ? open() : store;
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).claimNotification(alert(KEY))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.notifications({ repo: REPO })).toHaveLength(1);
    });

    it('records a send with its time, and says so when nothing was claimed under the key', async () => {
      await store.claimNotification(alert(KEY));
      await store.finishNotification(KEY, { status: 'sent', attempts: 2, error: null, at: T2 });
      expect((await store.notifications({ repo: REPO }))[0]).toMatchObject({ status: 'sent', attempts: 2, error: null, sentAt: T2, createdAt: T1 });
      await expect(store.finishNotification('slack:unknown', { status: 'sent', attempts: 1, error: null, at: T2 })).rejects.toThrow(/no notification was claimed under the key slack:unknown: claim it/);
    });

    it('answers by workspace, kind and time, briefings included, oldest first', async () => {
      await store.claimNotification(alert('a', { createdAt: T2 }));
      await store.claimNotification(alert('b', { createdAt: T1, kind: 'resolved' }));
      await store.claimNotification(alert('c', { createdAt: T3, kind: 'briefing', workspace: 'staging' }));
      await store.claimNotification(alert('d', { createdAt: T3, repo: 'acme/other' }));
      const keys = (query: Parameters<Store['notifications']>[0]) => store.notifications(query).then((found) => found.map((n) => n.key));
      expect(await keys({ repo: REPO })).toEqual(['b', 'a', 'c']);
      expect(await keys({ repo: REPO, workspace: 'prod' })).toEqual(['b', 'a']);
      expect(await keys({ repo: REPO, kind: 'briefing' })).toEqual(['c']);
      expect(await keys({ repo: REPO, since: T2 })).toEqual(['a', 'c']);
    });
  });

  describe('schedule runs', () => {
    it('saves, updates, lists by name and deletes the scheduler\'s runs', async () => {
      const run = { name: 'scan:acme/infra:prod', lastSlotAt: '2026-11-22T06:00:00.000Z', lastStartedAt: '2026-11-22T06:00:00.412Z', lastFinishedAt: null, lastError: null };
      await store.saveScheduleRun(run);
      await store.saveScheduleRun({ name: 'briefing:acme/infra:prod', lastSlotAt: null, lastStartedAt: null, lastFinishedAt: null, lastError: null });
      const finished = { ...run, lastFinishedAt: T1, lastError: 'AccessDenied: sts:AssumeRole on arn:aws:iam::123456789012:role/driftwatch-reader' };
      await store.saveScheduleRun(finished);
      expect(await store.scheduleRuns()).toEqual([{ name: 'briefing:acme/infra:prod', lastSlotAt: null, lastStartedAt: null, lastFinishedAt: null, lastError: null }, finished]);
      await store.deleteScheduleRuns(['briefing:acme/infra:prod', 'scan:acme/removed:prod']);
      expect(await store.scheduleRuns()).toEqual([finished]);
      await store.deleteScheduleRuns([]);
      expect(await store.scheduleRuns()).toHaveLength(1);
    });
  });

  it('keeps what it committed across a close and a reopen', async () => {
    await record({ finishedAt: T1 }, [openSsh()]);
    await store.claimNotification(alert());
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    store = open();
    await store.migrate();
    expect(await store.findings({ repo: REPO })).toHaveLength(1);
    expect(await store.notifications({ repo: REPO })).toHaveLength(1);

    function alert() {
      return { key: 'summary:acme/infra:prod:1', kind: 'summary' as const, channel: 'platform-alerts', repo: REPO, workspace: 'prod', createdAt: T1 };
    }
  });
});
