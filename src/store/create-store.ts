// Opens the store the settings name: PostgreSQL when DATABASE_URL is set, else the embedded
// SQLite file under DRIFTWATCH_DATA_DIR. Call migrate() once on start, before anything else.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { StoreSettings } from '../config/settings.js';
import { DriftwatchError } from '../errors.js';
import { kyselyStore } from './kysely-store.js';
import type { StoreDatabase } from './schema.js';
import type { Store } from './types.js';

export const SQLITE_FILE_NAME = 'driftwatch.sqlite';

// How long a writer waits for another process's write to finish before SQLITE_BUSY. A scan's
// recording (10,000 findings) takes well under a second; migrations take milliseconds.
const BUSY_TIMEOUT_MS = 10_000;
const POSTGRES_POOL_SIZE = 10;

export interface StoreOptions {
  /** Told about problems the store rides out on its own (a pooled PostgreSQL connection that
   * dropped while idle). */
  log?: { warn(meta: Record<string, unknown>, message: string): void };
}

export function createStore(settings: StoreSettings, options: StoreOptions = {}): Store {
  if (settings.databaseUrl !== null) return postgresStore(settings.databaseUrl, options);
  return kyselyStore(new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: openSqlite(settings.dataDir) }) }), 'sqlite');
}

export function sqliteFile(dataDir: string): string {
  return path.resolve(dataDir, SQLITE_FILE_NAME);
}

function openSqlite(dataDir: string): Database.Database {
  const file = sqliteFile(dataDir);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new DriftwatchError('config', `the data directory ${path.dirname(file)} could not be created (${reason(error)}): set DRIFTWATCH_DATA_DIR to a directory driftwatch may write to`, { cause: error });
  }
  let database: Database.Database;
  try {
    database = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new DriftwatchError('config', `the database ${file} could not be opened (${reason(error)}): set DRIFTWATCH_DATA_DIR to a directory driftwatch may write to`, { cause: error });
  }
  // WAL: readers never wait for the writer, and processes on this machine share the file.
  const mode = database.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') {
    database.close();
    throw new DriftwatchError('config', `SQLite refused write-ahead logging for ${file} (journal mode "${String(mode)}"): put DRIFTWATCH_DATA_DIR on a local disk (not a network share), or use PostgreSQL with DATABASE_URL`);
  }
  // FULL, not NORMAL: with WAL, NORMAL already survives a crash of the process (a commit is in
  // the WAL file, which the OS writes out), but a power loss or OS crash can drop the last
  // commits. FULL syncs the WAL at each commit, so nothing committed is ever lost. The cost is
  // one fsync per transaction, and the store commits about once per scan.
  database.pragma('synchronous = FULL');
  return database;
}

function postgresStore(databaseUrl: string, options: StoreOptions): Store {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POSTGRES_POOL_SIZE, application_name: 'driftwatch' });
  // An idle client whose connection drops (a database restart) emits 'error' on the pool; with
  // no listener that would end the process. The pool replaces the client on the next query.
  pool.on('error', (error) => options.log?.warn({ error: error.message }, 'a pooled PostgreSQL connection was lost; the next query opens a new one'));
  return kyselyStore(new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
