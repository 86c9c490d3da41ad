// A fresh database per test, for each dialect: SQLite in a temporary directory; PostgreSQL in a
// new schema `dw_<random>` of TEST_DATABASE_URL (search_path set through the URL, as an operator
// would), dropped afterwards, so parallel runs (CI and people) never see each other's tables.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StoreSettings } from '../../src/config/settings.js';
import { sqliteFile } from '../../src/store/create-store.js';
import type { StoreDialect } from '../../src/store/schema.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  dialect: StoreDialect;
  /** Every store opened with these settings reaches the same database. */
  settings: StoreSettings;
  /** A read straight from the database, around the store (what a migration left behind). */
  query(statement: string): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

export const DIALECTS: { dialect: StoreDialect; create: () => Promise<TestDatabase> }[] = [
  { dialect: 'sqlite', create: sqliteDatabase },
  { dialect: 'postgres', create: postgresDatabase },
];

export async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'driftwatch-store-'));
  const settings = { databaseUrl: null, dataDir: path.join(dir, 'data'), retentionDays: 90 };
  return {
    dialect: 'sqlite',
    settings,
    async query(statement) {
      const database = new Database(sqliteFile(settings.dataDir), { readonly: true });
      try {
        return database.prepare(statement).all() as Record<string, unknown>[];
      } finally {
        database.close();
      }
    },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function postgresDatabase(): Promise<TestDatabase> {
  const schema = `dw_${randomBytes(6).toString('hex')}`;
  await admin(`create schema ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    dialect: 'postgres',
    settings: { databaseUrl: url.toString(), dataDir: './data', retentionDays: 90 },
    async query(statement) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query(statement)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    },
    drop: () => admin(`drop schema ${schema} cascade`),
  };
}

/** One statement on TEST_DATABASE_URL, with what to do when PostgreSQL does not answer. */
export async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} did not answer (${(error as Error).message}): start it (.ci/run does) or point TEST_DATABASE_URL at one`, { cause: error });
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
