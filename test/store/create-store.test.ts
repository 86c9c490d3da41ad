import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore, sqliteFile } from '../../src/store/create-store.js';
import { DriftwatchError } from '../../src/errors.js';
import { openSsh, REPO, scanInput } from './findings.js';
import { TEST_DATABASE_URL } from './test-databases.js';

describe('createStore', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftwatch-create-store-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the data directory and driftwatch.sqlite in write-ahead-log mode by default', async () => {
    const dataDir = path.join(dir, 'var', 'driftwatch');
    const store = createStore({ databaseUrl: null, dataDir, retentionDays: 90 });
    try {
      expect(store.dialect).toBe('sqlite');
      await store.migrate();
      await store.recordScan(scanInput({ finishedAt: '2026-11-22T06:00:41.000Z' }), [openSsh()]);
      expect(sqliteFile(dataDir)).toBe(path.join(dataDir, 'driftwatch.sqlite'));
      expect(existsSync(`${sqliteFile(dataDir)}-wal`)).toBe(true);
    } finally {
      await store.close();
    }
    // WAL is a property of the file: any later connection finds it.
    const reader = new Database(sqliteFile(dataDir), { readonly: true });
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    reader.close();
  });

  it('says which setting to change when the data directory cannot be made', async () => {
    const blocked = path.join(dir, 'a-file');
    await writeFile(blocked, 'not a directory');
    let caught: unknown;
    try {
      createStore({ databaseUrl: null, dataDir: path.join(blocked, 'data'), retentionDays: 90 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DriftwatchError);
    expect((caught as DriftwatchError).message).toMatch(/the data directory .*a-file\/data could not be created .*: set DRIFTWATCH_DATA_DIR to a directory driftwatch may write to/);
  });

  it('uses PostgreSQL with DATABASE_URL, and says what to fix when its search_path names no schema', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', '-c search_path=dw_no_such_schema');
    const store = createStore({ databaseUrl: url.toString(), dataDir: path.join(dir, 'unused'), retentionDays: 90 });
    try {
      expect(store.dialect).toBe('postgres');
      await expect(store.migrate()).rejects.toThrow(/has no schema on its search_path: create it \(CREATE SCHEMA …\) or fix the search_path in the URL/);
      expect(await store.findings({ repo: REPO }).catch(() => 'no tables')).toBe('no tables');
    } finally {
      await store.close();
    }
    // Nothing was written to the data directory.
    expect(existsSync(path.join(dir, 'unused'))).toBe(false);
  });
});
