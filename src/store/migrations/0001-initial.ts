// The first schema. A migration never changes once released: the next change is a new file,
// listed after this one in migration-provider.ts. Column types are spelled out here (not shared)
// so that a later edit elsewhere cannot change what this migration creates.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely';
import type { StoreDialect } from '../schema.js';

export function initialSchema(dialect: StoreDialect): Migration {
  const postgres = dialect === 'postgres';
  // SQLite has no date or JSON types: ISO text (always UTC with milliseconds, so text order is
  // time order) and JSON text. PostgreSQL gets real types, for people who query it directly.
  const timestamp = postgres ? 'timestamptz' : 'text';
  const json = postgres ? 'jsonb' : 'text';
  const float = postgres ? 'double precision' : 'real';
  const bigInteger = postgres ? 'bigint' : 'integer';

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('scans')
        // AUTOINCREMENT in SQLite: ids are never reused after pruning, as in PostgreSQL.
        .addColumn('id', 'integer', (col) => (postgres ? col.generatedByDefaultAsIdentity() : col.autoIncrement()).primaryKey())
        .addColumn('repo', 'text', (col) => col.notNull())
        .addColumn('installation_id', bigInteger, (col) => col.notNull())
        .addColumn('workspace', 'text', (col) => col.notNull())
        .addColumn('commit_sha', 'text', (col) => col.notNull())
        .addColumn('trigger', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('error', 'text')
        .addColumn('started_at', timestamp, (col) => col.notNull())
        .addColumn('finished_at', timestamp, (col) => col.notNull())
        .addColumn('duration_ms', 'integer', (col) => col.notNull())
        .addColumn('critical', 'integer', (col) => col.notNull())
        .addColumn('high', 'integer', (col) => col.notNull())
        .addColumn('medium', 'integer', (col) => col.notNull())
        .addColumn('low', 'integer', (col) => col.notNull())
        .addColumn('posture_score', float)
        .addColumn('api_calls', 'integer', (col) => col.notNull())
        .addColumn('unknown', json, (col) => col.notNull())
        .execute();
      // A workspace's scans by time (latest, recent, a week's), and pruning by time.
      await db.schema.createIndex('scans_repo_workspace_finished').on('scans').columns(['repo', 'workspace', 'finished_at']).execute();
      await db.schema.createIndex('scans_finished').on('scans').column('finished_at').execute();

      await db.schema
        .createTable('findings')
        .addColumn('repo', 'text', (col) => col.notNull())
        .addColumn('workspace', 'text', (col) => col.notNull())
        .addColumn('resource_key', 'text', (col) => col.notNull())
        .addColumn('fingerprint', 'text', (col) => col.notNull())
        .addColumn('address', 'text')
        .addColumn('type', 'text', (col) => col.notNull())
        .addColumn('cloud_id', 'text', (col) => col.notNull())
        .addColumn('region', 'text', (col) => col.notNull())
        .addColumn('live_type', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('severity', 'text', (col) => col.notNull())
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('attribution', json)
        .addColumn('cost_delta_monthly', float)
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('first_seen_at', timestamp, (col) => col.notNull())
        .addColumn('last_seen_at', timestamp, (col) => col.notNull())
        .addColumn('resolved_at', timestamp)
        .addColumn('last_resolved_at', timestamp)
        .addColumn('episode', 'integer', (col) => col.notNull())
        .addColumn('issue_number', 'integer')
        // One record per workspace and resource key, across episodes; it also serves a
        // workspace's findings (the lifecycle reads them all).
        .addPrimaryKeyConstraint('findings_pkey', ['repo', 'workspace', 'resource_key'])
        // Every scan moves last_seen_at of every open finding: room left in each page lets
        // PostgreSQL update in place (HOT) without touching the indexes.
        .$call((table) => (postgres ? table.modifyEnd(sql`with (fillfactor = 70)`) : table))
        .execute();
      // A repository's open (or resolved) findings across workspaces: the dashboard.
      await db.schema.createIndex('findings_repo_status').on('findings').columns(['repo', 'status']).execute();

      await db.schema
        .createTable('fix_prs')
        .addColumn('repo', 'text', (col) => col.notNull())
        .addColumn('workspace', 'text', (col) => col.notNull())
        .addColumn('direction', 'text', (col) => col.notNull())
        .addColumn('number', 'integer', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('fingerprints', json, (col) => col.notNull())
        .addColumn('updated_at', timestamp, (col) => col.notNull())
        .addPrimaryKeyConstraint('fix_prs_pkey', ['repo', 'workspace', 'direction'])
        .execute();

      await db.schema
        .createTable('notifications')
        // The primary key is the claim: of two senders inserting one key, exactly one succeeds.
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('channel', 'text', (col) => col.notNull())
        .addColumn('repo', 'text', (col) => col.notNull())
        .addColumn('workspace', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', timestamp, (col) => col.notNull())
        .addColumn('sent_at', timestamp)
        .addColumn('updated_at', timestamp, (col) => col.notNull())
        .execute();
      await db.schema.createIndex('notifications_repo_created').on('notifications').columns(['repo', 'created_at']).execute();

      await db.schema
        .createTable('schedule_runs')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('last_slot_at', timestamp)
        .addColumn('last_started_at', timestamp)
        .addColumn('last_finished_at', timestamp)
        .addColumn('last_error', 'text')
        .execute();
    },
  };
}
