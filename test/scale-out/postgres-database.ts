// A fresh PostgreSQL database per test run on the machine's server (TEST_DATABASE_URL names the
// `test` database, reached for the admin statements), dropped afterwards: every process of the
// deployment migrates it itself, as on a first deployment.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { admin, TEST_DATABASE_URL } from '../store/test-databases.js';

export interface ScaleOutDatabase {
  /** DATABASE_URL for the app's processes. */
  url: string;
  query<Row = Record<string, unknown>>(statement: string, values?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

export async function createDatabase(): Promise<ScaleOutDatabase> {
  const name = `dw_scale_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // The forced drop ends sessions still closing: their FATAL is expected, not a failure.
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    async query<Row>(statement: string, values: unknown[] = []) {
      return (await pool.query(statement, values)).rows as Row[];
    },
    async drop() {
      await pool.end();
      // A process killed mid-query may leave its session behind for a moment.
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
