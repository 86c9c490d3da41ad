// Pending migrations, safe to run from several processes at once on either dialect.
//
// PostgreSQL: Kysely's migrator holds an advisory lock and runs the migrations in one
// transaction, so a second process waits, then finds nothing pending.
// SQLite: Kysely's lock is a no-op there (it assumes one connection, i.e. one process) and its
// DDL runs outside a transaction. So the whole run, the migrator's own bookkeeping tables
// included, goes inside BEGIN IMMEDIATE: it takes SQLite's single write lock at once, a second
// process waits for it (busy_timeout), then re-reads the migration table and finds nothing
// pending. SQLite's DDL is transactional, so a crash mid-migration leaves the old schema.
import { Migrator, sql, type Kysely } from 'kysely';
import { DriftwatchError } from '../errors.js';
import { migrationProvider } from './migration-provider.js';
import type { StoreDatabase, StoreDialect } from './schema.js';

export async function runMigrations(db: Kysely<StoreDatabase>, dialect: StoreDialect): Promise<void> {
  if (dialect === 'postgres') {
    await migrate(new Migrator({ db, provider: migrationProvider(dialect), migrationTableSchema: await currentSchema(db) }));
    return;
  }
  await db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      await migrate(new Migrator({ db: connection, provider: migrationProvider(dialect) }));
      await sql`commit`.execute(connection);
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}

async function migrate(migrator: Migrator): Promise<void> {
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const cause = error instanceof Error ? error.message : String(error);
  throw new Error(`the store's schema could not be brought up to date${failed ? ` (migration ${failed})` : ''}: ${cause}`, { cause: error });
}

// Kysely looks for its migration table in every schema it can see unless told which: without
// this, a database where another schema already holds one (another app, a second driftwatch
// with its own search_path) would look migrated.
async function currentSchema(db: Kysely<StoreDatabase>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) {
    throw new DriftwatchError(
      'config',
      'the PostgreSQL database in DATABASE_URL has no schema on its search_path: create it (CREATE SCHEMA …) or fix the search_path in the URL (?options=-c%20search_path%3Dname)',
    );
  }
  return schema;
}
