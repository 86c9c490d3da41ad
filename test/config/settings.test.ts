import { describe, expect, it } from 'vitest';
import { settingsFromEnv, storeSettingsFromEnv } from '../../src/config/settings.js';
import { DriftwatchError } from '../../src/errors.js';

describe('storeSettingsFromEnv', () => {
  it('uses the embedded database under ./data and keeps 90 days of scans when nothing is set', () => {
    expect(storeSettingsFromEnv({})).toEqual({ databaseUrl: null, dataDir: './data', retentionDays: 90 });
    expect(settingsFromEnv({}).store).toEqual(storeSettingsFromEnv({}));
  });

  it('reads the data directory, the database URL and the retention', () => {
    expect(
      storeSettingsFromEnv({
        DRIFTWATCH_DATA_DIR: ' /var/lib/driftwatch ',
        DATABASE_URL: 'postgresql://driftwatch:s3cret@db.internal:5432/driftwatch?sslmode=require',
        DRIFTWATCH_RETENTION_DAYS: '365',
      }),
    ).toEqual({
      databaseUrl: 'postgresql://driftwatch:s3cret@db.internal:5432/driftwatch?sslmode=require',
      dataDir: '/var/lib/driftwatch',
      retentionDays: 365,
    });
  });

  it('reads empty values as unset', () => {
    expect(storeSettingsFromEnv({ DATABASE_URL: ' ', DRIFTWATCH_DATA_DIR: '', DRIFTWATCH_RETENTION_DAYS: '' })).toEqual({
      databaseUrl: null,
      dataDir: './data',
      retentionDays: 90,
    });
  });

  it.each([
    ['DATABASE_URL', 'mysql://root:hunter2@db:3306/driftwatch', /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    ['DATABASE_URL', '//driftwatch:hunter2@db.internal/driftwatch', /DATABASE_URL is not a URL/],
    ['DRIFTWATCH_RETENTION_DAYS', '0', /DRIFTWATCH_RETENTION_DAYS must be a whole number from 1 to 3650/],
    ['DRIFTWATCH_RETENTION_DAYS', '90d', /DRIFTWATCH_RETENTION_DAYS must be a whole number/],
    ['DRIFTWATCH_DATA_DIR', 'data\0', /DRIFTWATCH_DATA_DIR holds a NUL character/],
  ])('rejects %s=%s with a config error that says what to write', (name, value, message) => {
    let caught: unknown;
    try {
      storeSettingsFromEnv({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DriftwatchError);
    expect((caught as DriftwatchError).code).toBe('config');
    expect((caught as DriftwatchError).message).toMatch(message);
    // A database URL carries its password: the message never repeats the value.
    expect((caught as DriftwatchError).message).not.toContain('hunter2');
  });
});

describe('settingsFromEnv: scan threads', () => {
  it('runs scans on one thread of their own unless told otherwise', () => {
    expect(settingsFromEnv({}).scanThreads).toBe(1);
    expect(settingsFromEnv({ DRIFTWATCH_SCAN_THREADS: '' }).scanThreads).toBe(1);
    expect(settingsFromEnv({ DRIFTWATCH_SCAN_THREADS: '0' }).scanThreads).toBe(0);
    expect(settingsFromEnv({ DRIFTWATCH_SCAN_THREADS: ' 4 ' }).scanThreads).toBe(4);
  });

  it.each(['-1', 'two', '65'])('rejects DRIFTWATCH_SCAN_THREADS=%s with what to write', (value) => {
    expect(() => settingsFromEnv({ DRIFTWATCH_SCAN_THREADS: value })).toThrow(/DRIFTWATCH_SCAN_THREADS must be a whole number from 0 to 64 \(default 1\)/);
  });
});
