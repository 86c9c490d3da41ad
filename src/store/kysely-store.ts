// The one query layer behind the Store interface, for SQLite and PostgreSQL alike. Where the
// dialects differ it says so: how a write transaction starts, how many parameters one statement
// may carry, and a per-workspace lock that only PostgreSQL needs.
import { sql, type Kysely } from 'kysely';
import type { PatchDirection } from '../patch/types.js';
import { applyLifecycle } from './lifecycle.js';
import { runMigrations } from './run-migrations.js';
import {
  findingRecord,
  findingRow,
  fixPrRecord,
  fixPrRow,
  isoTimestamp,
  notificationRecord,
  scanRecord,
  scanRow,
  scheduleRunRecord,
  scheduleRunRow,
} from './rows.js';
import type { StoreDatabase, StoreDialect } from './schema.js';
import type { FindingInput, FindingRecord, FixPrRecord, NotificationRecord, RecordScanResult, ScanRecord, ScanRecordInput, ScheduleRunRecord, Store } from './types.js';

// Bound parameters one statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32,766 since
// 3.32; better-sqlite3 12 bundles 3.5x) and PostgreSQL's protocol limit (65,535).
const MAX_PARAMETERS: Record<StoreDialect, number> = { sqlite: 32_766, postgres: 65_535 };
/** Columns of one findings row (rows.ts findingRow): parameters per row of a batched upsert. */
const FINDING_COLUMNS = 21;

type Db = Kysely<StoreDatabase>;

export function kyselyStore(db: Db, dialect: StoreDialect): Store {
  const maxParameters = MAX_PARAMETERS[dialect];

  /** One write transaction. SQLite: BEGIN IMMEDIATE takes the write lock before the first read,
   * so two processes never both read and then fail to upgrade (a deferred transaction's
   * SQLITE_BUSY that busy_timeout cannot wait out). */
  async function writeTransaction<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    if (dialect === 'postgres') return db.transaction().execute(work);
    return db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }

  async function selectFindings(from: Db, query: { repo: string; workspace?: string; status?: 'open' | 'resolved'; resourceKeys?: string[] }): Promise<FindingRecord[]> {
    let select = from.selectFrom('findings').selectAll().where('repo', '=', query.repo);
    if (query.workspace !== undefined) select = select.where('workspace', '=', query.workspace);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    const rows = [];
    if (query.resourceKeys === undefined) rows.push(...(await select.execute()));
    else for (const keys of chunks(query.resourceKeys, maxParameters - 3)) rows.push(...(await select.where('resource_key', 'in', keys).execute()));
    // Sorted here, not in SQL: PostgreSQL orders text by the database's collation, SQLite by
    // bytes, and both dialects must answer alike.
    return rows.map(findingRecord).sort((a, b) => compare(a.workspace, b.workspace) || compare(a.resourceKey, b.resourceKey));
  }

  async function writeFindings(trx: Db, records: FindingRecord[]): Promise<void> {
    for (const batch of chunks(records, Math.floor(maxParameters / FINDING_COLUMNS))) {
      await trx
        .insertInto('findings')
        .values(batch.map(findingRow))
        .onConflict((conflict) =>
          conflict.columns(['repo', 'workspace', 'resource_key']).doUpdateSet((eb) => ({
            fingerprint: eb.ref('excluded.fingerprint'),
            address: eb.ref('excluded.address'),
            type: eb.ref('excluded.type'),
            cloud_id: eb.ref('excluded.cloud_id'),
            region: eb.ref('excluded.region'),
            live_type: eb.ref('excluded.live_type'),
            kind: eb.ref('excluded.kind'),
            severity: eb.ref('excluded.severity'),
            title: eb.ref('excluded.title'),
            attribution: eb.ref('excluded.attribution'),
            cost_delta_monthly: eb.ref('excluded.cost_delta_monthly'),
            status: eb.ref('excluded.status'),
            first_seen_at: eb.ref('excluded.first_seen_at'),
            last_seen_at: eb.ref('excluded.last_seen_at'),
            resolved_at: eb.ref('excluded.resolved_at'),
            last_resolved_at: eb.ref('excluded.last_resolved_at'),
            episode: eb.ref('excluded.episode'),
            issue_number: eb.ref('excluded.issue_number'),
          })),
        )
        .execute();
    }
  }

  return {
    dialect,

    migrate: () => runMigrations(db, dialect),

    async recordScan(input: ScanRecordInput, findings: FindingInput[]): Promise<RecordScanResult> {
      const scan = normalizedScan(input);
      return writeTransaction(async (trx) => {
        if (dialect === 'postgres') {
          // Serializes recordings of one workspace (SQLite's write lock already does): two
          // concurrent scans must not both open the same finding.
          await sql`select pg_advisory_xact_lock(hashtext(${`driftwatch:${scan.repo}:${scan.workspace}`}))`.execute(trx);
        }
        const earlier = await trx
          .selectFrom('scans')
          .select('id')
          .where('repo', '=', scan.repo)
          .where('workspace', '=', scan.workspace)
          .where('status', 'in', ['complete', 'partial'])
          .limit(1)
          .executeTakeFirst();
        const { id } = await trx.insertInto('scans').values(scanRow(scan)).returning('id').executeTakeFirstOrThrow();
        const existing = await selectFindings(trx, { repo: scan.repo, workspace: scan.workspace });
        const outcome = applyLifecycle({ repo: scan.repo, scan, findings, existing, earlierScan: earlier !== undefined });
        await writeFindings(trx, outcome.writes);
        for (const keys of chunks(outcome.seen, maxParameters - 3)) {
          await trx
            .updateTable('findings')
            .set({ last_seen_at: scan.finishedAt })
            .where('repo', '=', scan.repo)
            .where('workspace', '=', scan.workspace)
            .where('resource_key', 'in', keys)
            .execute();
        }
        return { scan: { ...scan, id: Number(id) }, firstScan: outcome.firstScan, transitions: outcome.transitions };
      });
    },

    async latestScans(repo: string): Promise<ScanRecord[]> {
      const rows = await db
        .selectFrom('scans as s')
        .selectAll('s')
        .where('s.repo', '=', repo)
        .where('s.id', '=', (eb) =>
          eb
            .selectFrom('scans as latest')
            .select('latest.id')
            .whereRef('latest.repo', '=', 's.repo')
            .whereRef('latest.workspace', '=', 's.workspace')
            .orderBy('latest.finished_at', 'desc')
            .orderBy('latest.id', 'desc')
            .limit(1),
        )
        .execute();
      return rows.map(scanRecord).sort((a, b) => compare(a.workspace, b.workspace));
    },

    async recentScans(repo: string, workspace: string, limit: number): Promise<ScanRecord[]> {
      const rows = await db
        .selectFrom('scans')
        .selectAll()
        .where('repo', '=', repo)
        .where('workspace', '=', workspace)
        .orderBy('finished_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(scanRecord);
    },

    async scansBetween(repo: string, workspace: string, from: string, to: string): Promise<ScanRecord[]> {
      const rows = await db
        .selectFrom('scans')
        .selectAll()
        .where('repo', '=', repo)
        .where('workspace', '=', workspace)
        .where('finished_at', '>=', isoTimestamp(from, 'from'))
        .where('finished_at', '<', isoTimestamp(to, 'to'))
        .orderBy('finished_at')
        .orderBy('id')
        .execute();
      return rows.map(scanRecord);
    },

    findings: (query) => selectFindings(db, query),

    async setFindingIssue(repo: string, workspace: string, resourceKey: string, issueNumber: number): Promise<void> {
      const result = await db
        .updateTable('findings')
        .set({ issue_number: issueNumber })
        .where('repo', '=', repo)
        .where('workspace', '=', workspace)
        .where('resource_key', '=', resourceKey)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) {
        throw new Error(`the store holds no finding ${resourceKey} in ${repo} workspace "${workspace}": record the scan that found it before linking its issue #${issueNumber}`);
      }
    },

    async fixPr(repo: string, workspace: string, direction: PatchDirection): Promise<FixPrRecord | null> {
      const row = await db
        .selectFrom('fix_prs')
        .selectAll()
        .where('repo', '=', repo)
        .where('workspace', '=', workspace)
        .where('direction', '=', direction)
        .executeTakeFirst();
      return row === undefined ? null : fixPrRecord(row);
    },

    async saveFixPr(record: FixPrRecord): Promise<void> {
      const row = fixPrRow(record);
      await db
        .insertInto('fix_prs')
        .values(row)
        .onConflict((conflict) =>
          conflict.columns(['repo', 'workspace', 'direction']).doUpdateSet({ number: row.number, state: row.state, fingerprints: row.fingerprints, updated_at: row.updated_at }),
        )
        .execute();
    },

    async claimNotification(record): Promise<boolean> {
      const createdAt = isoTimestamp(record.createdAt, 'notification createdAt');
      // The primary key decides: of concurrent claims of one key, one insert wins and the others
      // do nothing, in either dialect and across processes.
      const result = await db
        .insertInto('notifications')
        .values({
          key: record.key,
          kind: record.kind,
          channel: record.channel,
          repo: record.repo,
          workspace: record.workspace,
          status: 'pending',
          attempts: 0,
          error: null,
          created_at: createdAt,
          sent_at: null,
          updated_at: createdAt,
        })
        .onConflict((conflict) => conflict.column('key').doNothing())
        .executeTakeFirst();
      return result.numInsertedOrUpdatedRows === 1n;
    },

    async finishNotification(key: string, outcome: { status: 'sent' | 'failed'; attempts: number; error: string | null; at: string }): Promise<void> {
      const at = isoTimestamp(outcome.at, 'notification outcome at');
      const result = await db
        .updateTable('notifications')
        .set({ status: outcome.status, attempts: outcome.attempts, error: outcome.error, sent_at: outcome.status === 'sent' ? at : null, updated_at: at })
        .where('key', '=', key)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) {
        throw new Error(`no notification was claimed under the key ${key}: claim it (claimNotification) before sending it`);
      }
    },

    async notifications(query): Promise<NotificationRecord[]> {
      let select = db.selectFrom('notifications').selectAll().where('repo', '=', query.repo);
      if (query.workspace !== undefined) select = select.where('workspace', '=', query.workspace);
      if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
      if (query.since !== undefined) select = select.where('created_at', '>=', isoTimestamp(query.since, 'since'));
      const rows = await select.orderBy('created_at').orderBy('key').execute();
      return rows.map(notificationRecord);
    },

    async scheduleRuns(): Promise<ScheduleRunRecord[]> {
      const rows = await db.selectFrom('schedule_runs').selectAll().orderBy('name').execute();
      return rows.map(scheduleRunRecord);
    },

    async saveScheduleRun(record: ScheduleRunRecord): Promise<void> {
      const row = scheduleRunRow(record);
      await db
        .insertInto('schedule_runs')
        .values(row)
        .onConflict((conflict) =>
          conflict.column('name').doUpdateSet({
            last_slot_at: row.last_slot_at,
            last_started_at: row.last_started_at,
            last_finished_at: row.last_finished_at,
            last_error: row.last_error,
          }),
        )
        .execute();
    },

    async deleteScheduleRuns(names: string[]): Promise<void> {
      for (const batch of chunks(names, maxParameters)) await db.deleteFrom('schedule_runs').where('name', 'in', batch).execute();
    },

    async prune(before: string): Promise<{ scans: number; notifications: number }> {
      const cutOff = isoTimestamp(before, 'prune before');
      const scans = await db.deleteFrom('scans').where('finished_at', '<', cutOff).executeTakeFirst();
      const notifications = await db.deleteFrom('notifications').where('created_at', '<', cutOff).executeTakeFirst();
      return { scans: Number(scans.numDeletedRows), notifications: Number(notifications.numDeletedRows) };
    },

    close: () => db.destroy(),
  };
}

function normalizedScan(input: ScanRecordInput): Omit<ScanRecord, 'id'> {
  const startedAt = isoTimestamp(input.startedAt, 'scan startedAt');
  const finishedAt = isoTimestamp(input.finishedAt, 'scan finishedAt');
  const durationMs = Date.parse(finishedAt) - Date.parse(startedAt);
  if (durationMs < 0) throw new RangeError(`scan finishedAt ${finishedAt} is before its startedAt ${startedAt}: pass the times the scan started and ended`);
  return { ...input, startedAt, finishedAt, durationMs };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
