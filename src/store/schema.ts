// The tables as Kysely sees them, for both dialects. Values go in as ISO strings, JSON text and
// numbers; what comes back differs by driver (PostgreSQL: Date for timestamptz, parsed objects
// for jsonb, strings for bigint), so rows.ts turns every row into the interface's shapes.
import type { ColumnType, Generated } from 'kysely';

/** ISO 8601 in UTC with milliseconds, always (text in SQLite compares correctly only so). */
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;
/** JSON text in SQLite, jsonb in PostgreSQL. */
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;
/** bigint: node-postgres returns it as a string. */
type BigInteger = ColumnType<number | string, number, number>;

export interface ScansTable {
  id: Generated<number>;
  repo: string;
  installation_id: BigInteger;
  workspace: string;
  commit_sha: string;
  trigger: string;
  status: string;
  error: string | null;
  started_at: Timestamp;
  finished_at: Timestamp;
  duration_ms: number;
  critical: number;
  high: number;
  medium: number;
  low: number;
  posture_score: number | null;
  api_calls: number;
  /** ScanRecordInput['unknown'] */
  unknown: Json;
}

export interface FindingsTable {
  repo: string;
  workspace: string;
  resource_key: string;
  fingerprint: string;
  address: string | null;
  type: string;
  cloud_id: string;
  region: string;
  live_type: string;
  kind: string;
  severity: string;
  title: string;
  attribution: NullableJson;
  cost_delta_monthly: number | null;
  status: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  resolved_at: NullableTimestamp;
  last_resolved_at: NullableTimestamp;
  episode: number;
  issue_number: number | null;
}

export interface FixPrsTable {
  repo: string;
  workspace: string;
  direction: string;
  number: number;
  state: string;
  /** string[] */
  fingerprints: Json;
  updated_at: Timestamp;
}

export interface NotificationsTable {
  key: string;
  kind: string;
  channel: string;
  repo: string;
  workspace: string;
  status: string;
  attempts: number;
  error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  /** The last claim or attempt: when a failure happened (sent_at says when a send did). */
  updated_at: Timestamp;
}

export interface ScheduleRunsTable {
  name: string;
  last_slot_at: NullableTimestamp;
  last_started_at: NullableTimestamp;
  last_finished_at: NullableTimestamp;
  last_error: string | null;
}

export interface StoreDatabase {
  scans: ScansTable;
  findings: FindingsTable;
  fix_prs: FixPrsTable;
  notifications: NotificationsTable;
  schedule_runs: ScheduleRunsTable;
}

export type StoreDialect = 'sqlite' | 'postgres';
