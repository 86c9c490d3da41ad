// The real store, embedded: SQLite in a fresh temporary directory per test, migrated.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createStore } from '../../src/store/create-store.js';
import type { FindingInput, FindingRecord, RecordScanResult, ScanRecordInput, Store } from '../../src/store/types.js';
import { countBySeverity } from '../../src/notify/finding-text.js';
import { REPO } from './findings.js';

export interface TestStore {
  store: Store;
  close(): Promise<void>;
}

export async function sqliteStore(): Promise<TestStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'driftwatch-notify-'));
  const store = createStore({ databaseUrl: null, dataDir: path.join(dir, 'data'), retentionDays: 90 });
  await store.migrate();
  return {
    store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What the scan pipeline hands the store for one finding (the record's own fields). */
export function findingInput(finding: FindingRecord): FindingInput {
  const { workspace, resourceKey, fingerprint, address, type, cloudId, region, liveType, kind, severity, title, attribution, costDeltaMonthly } = finding;
  return { workspace, resourceKey, fingerprint, address, type, cloudId, region, liveType, kind, severity, title, attribution, costDeltaMonthly };
}

/** Records one scan of `workspace` that finished at `finishedAt` and found `findings`. */
export function recordScanAt(store: Store, finishedAt: string, findings: FindingRecord[], overrides: Partial<ScanRecordInput> = {}): Promise<RecordScanResult> {
  const finished = Date.parse(finishedAt);
  const scan: ScanRecordInput = {
    repo: REPO,
    installationId: 4242,
    workspace: 'prod',
    commitSha: '3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c0e2b4d6f8a',
    trigger: 'schedule',
    status: 'complete',
    error: null,
    startedAt: new Date(finished - 22_000).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    counts: countBySeverity(findings),
    postureScore: Math.max(0, 100 - 10 * findings.length),
    apiCalls: 118,
    unknown: [],
    ...overrides,
  };
  return store.recordScan(scan, findings.map(findingInput));
}
