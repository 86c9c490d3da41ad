// Rows to records and back. Both drivers' values become the interface's shapes here: ISO strings
// for times, parsed JSON, numbers for bigint, so the query layer stays one for both dialects.
import type { Insertable, Selectable } from 'kysely';
import type { FindingsTable, FixPrsTable, NotificationsTable, ScansTable, ScheduleRunsTable } from './schema.js';
import type { FindingRecord, FixPrRecord, NotificationRecord, ScanRecord, ScheduleRunRecord } from './types.js';

/** Normalizes a time to ISO 8601 UTC with milliseconds: SQLite compares times as text. */
export function isoTimestamp(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new RangeError(`${field} "${String(value).slice(0, 60)}" is not a time: pass an ISO 8601 timestamp such as 2026-11-22T06:00:00.000Z`);
  }
  return new Date(ms).toISOString();
}

export function nullableIsoTimestamp(value: string | null, field: string): string | null {
  return value === null ? null : isoTimestamp(value, field);
}

function iso(value: string | Date): string {
  return value instanceof Date ? value.toISOString() : value;
}

function nullableIso(value: string | Date | null): string | null {
  return value === null ? null : iso(value);
}

// jsonb arrives parsed; SQLite's text does not.
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function scanRow(scan: Omit<ScanRecord, 'id'>): Insertable<ScansTable> {
  return {
    repo: scan.repo,
    installation_id: scan.installationId,
    workspace: scan.workspace,
    commit_sha: scan.commitSha,
    trigger: scan.trigger,
    status: scan.status,
    error: scan.error,
    started_at: scan.startedAt,
    finished_at: scan.finishedAt,
    duration_ms: scan.durationMs,
    critical: scan.counts.critical,
    high: scan.counts.high,
    medium: scan.counts.medium,
    low: scan.counts.low,
    posture_score: scan.postureScore,
    api_calls: scan.apiCalls,
    unknown: JSON.stringify(scan.unknown),
  };
}

export function scanRecord(row: Selectable<ScansTable>): ScanRecord {
  return {
    id: Number(row.id),
    repo: row.repo,
    installationId: Number(row.installation_id),
    workspace: row.workspace,
    commitSha: row.commit_sha,
    trigger: row.trigger as ScanRecord['trigger'],
    status: row.status as ScanRecord['status'],
    error: row.error,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    durationMs: row.duration_ms,
    counts: { critical: row.critical, high: row.high, medium: row.medium, low: row.low },
    postureScore: row.posture_score,
    apiCalls: row.api_calls,
    unknown: json(row.unknown),
  };
}

export function findingRow(record: FindingRecord): Insertable<FindingsTable> {
  return {
    repo: record.repo,
    workspace: record.workspace,
    resource_key: record.resourceKey,
    fingerprint: record.fingerprint,
    address: record.address,
    type: record.type,
    cloud_id: record.cloudId,
    region: record.region,
    live_type: record.liveType,
    kind: record.kind,
    severity: record.severity,
    title: record.title,
    attribution: record.attribution === null ? null : JSON.stringify(record.attribution),
    cost_delta_monthly: record.costDeltaMonthly,
    status: record.status,
    first_seen_at: record.firstSeenAt,
    last_seen_at: record.lastSeenAt,
    resolved_at: record.resolvedAt,
    last_resolved_at: record.lastResolvedAt,
    episode: record.episode,
    issue_number: record.issueNumber,
  };
}

export function findingRecord(row: Selectable<FindingsTable>): FindingRecord {
  return {
    repo: row.repo,
    workspace: row.workspace,
    resourceKey: row.resource_key,
    fingerprint: row.fingerprint,
    address: row.address,
    type: row.type,
    cloudId: row.cloud_id,
    region: row.region,
    liveType: row.live_type,
    kind: row.kind as FindingRecord['kind'],
    severity: row.severity as FindingRecord['severity'],
    title: row.title,
    attribution: row.attribution === null ? null : json(row.attribution),
    costDeltaMonthly: row.cost_delta_monthly,
    status: row.status as FindingRecord['status'],
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
    resolvedAt: nullableIso(row.resolved_at),
    lastResolvedAt: nullableIso(row.last_resolved_at),
    episode: row.episode,
    issueNumber: row.issue_number,
  };
}

export function fixPrRow(record: FixPrRecord): Insertable<FixPrsTable> {
  return {
    repo: record.repo,
    workspace: record.workspace,
    direction: record.direction,
    number: record.number,
    state: record.state,
    fingerprints: JSON.stringify(record.fingerprints),
    updated_at: isoTimestamp(record.updatedAt, 'fix PR updatedAt'),
  };
}

export function fixPrRecord(row: Selectable<FixPrsTable>): FixPrRecord {
  return {
    repo: row.repo,
    workspace: row.workspace,
    direction: row.direction as FixPrRecord['direction'],
    number: row.number,
    state: row.state as FixPrRecord['state'],
    fingerprints: json(row.fingerprints),
    updatedAt: iso(row.updated_at),
  };
}

export function notificationRecord(row: Selectable<NotificationsTable>): NotificationRecord {
  return {
    key: row.key,
    kind: row.kind as NotificationRecord['kind'],
    channel: row.channel,
    repo: row.repo,
    workspace: row.workspace,
    status: row.status as NotificationRecord['status'],
    attempts: row.attempts,
    error: row.error,
    createdAt: iso(row.created_at),
    sentAt: nullableIso(row.sent_at),
  };
}

export function scheduleRunRow(record: ScheduleRunRecord): Insertable<ScheduleRunsTable> {
  return {
    name: record.name,
    last_slot_at: nullableIsoTimestamp(record.lastSlotAt, 'lastSlotAt'),
    last_started_at: nullableIsoTimestamp(record.lastStartedAt, 'lastStartedAt'),
    last_finished_at: nullableIsoTimestamp(record.lastFinishedAt, 'lastFinishedAt'),
    last_error: record.lastError,
  };
}

export function scheduleRunRecord(row: Selectable<ScheduleRunsTable>): ScheduleRunRecord {
  return {
    name: row.name,
    lastSlotAt: nullableIso(row.last_slot_at),
    lastStartedAt: nullableIso(row.last_started_at),
    lastFinishedAt: nullableIso(row.last_finished_at),
    lastError: row.last_error,
  };
}
