// What driftwatch remembers: scans, findings (one per workspace and resource key, across
// episodes), fix pull requests, notifications and digests sent, and the scheduler's runs. One
// interface; SQLite (embedded default, better-sqlite3) and PostgreSQL (DATABASE_URL) implement it
// through one Kysely schema and migrator.
import type { Attribution, DriftKind, Severity } from '../drift/types.js';
import type { PatchDirection } from '../patch/types.js';
import type { ScanTrigger } from '../repository/types.js';

export type ScanStatus = 'complete' | 'partial' | 'failed' | 'disabled';

export interface ScanRecordInput {
  /** owner/name */
  repo: string;
  installationId: number;
  workspace: string;
  commitSha: string;
  trigger: ScanTrigger;
  status: ScanStatus;
  /** failed: what went wrong (never a secret). */
  error: string | null;
  startedAt: string;
  finishedAt: string;
  counts: Record<Severity, number>;
  postureScore: number | null;
  apiCalls: number;
  /** Families that could not be read (a partial scan). */
  unknown: { liveType: string; region?: string; reason: string }[];
}

export interface ScanRecord extends ScanRecordInput {
  id: number;
  durationMs: number;
}

/** One drifted resource as a scan found it. */
export interface FindingInput {
  workspace: string;
  /** `address`, or `type:id` for an unmanaged resource. */
  resourceKey: string;
  fingerprint: string;
  address: string | null;
  type: string;
  cloudId: string;
  region: string;
  /** The live type of the resource's family: what a partial scan's `unknown` names. */
  liveType: string;
  kind: DriftKind;
  severity: Severity;
  title: string;
  attribution: Attribution | null;
  costDeltaMonthly: number | null;
}

export interface FindingRecord extends FindingInput {
  repo: string;
  status: 'open' | 'resolved';
  firstSeenAt: string;
  lastSeenAt: string;
  /** When the current (or, while resolved, the last) episode ended; null while open. */
  resolvedAt: string | null;
  /** When the previous episode was resolved (a drift that came back), else null. */
  lastResolvedAt: string | null;
  /** 1 for the first episode; +1 each time it comes back after being resolved. */
  episode: number;
  issueNumber: number | null;
}

/** What one scan did to a finding. */
export type Transition =
  | { kind: 'opened'; finding: FindingRecord }
  | { kind: 'changed'; finding: FindingRecord; previous: FindingRecord }
  | { kind: 'recurred'; finding: FindingRecord; previous: FindingRecord }
  | { kind: 'resolved'; finding: FindingRecord }
  | { kind: 'unchanged'; finding: FindingRecord };

export interface RecordScanResult {
  scan: ScanRecord;
  /** Nothing known of this workspace before: no earlier scan that read it (complete or partial;
   * failed and disabled ones read nothing) and no finding of it. Slack gets one summary, not an
   * alert per drift. */
  firstScan: boolean;
  transitions: Transition[];
}

export interface FixPrRecord {
  repo: string;
  workspace: string;
  direction: PatchDirection;
  number: number;
  state: 'open' | 'closed';
  fingerprints: string[];
  updatedAt: string;
}

export type NotificationStatus = 'pending' | 'sent' | 'failed';

export interface NotificationRecord {
  /** Unique per transition and destination, e.g. slack:<channel>:<repo>:<workspace>:<resource>:<fingerprint>:opened */
  key: string;
  kind: 'alert' | 'resolved' | 'summary' | 'briefing';
  channel: string;
  repo: string;
  workspace: string;
  status: NotificationStatus;
  attempts: number;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** The scheduler's memory of one scheduled job, by name. */
export interface ScheduleRunRecord {
  name: string;
  /** The slot (scheduled time) of the last run started. */
  lastSlotAt: string | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastError: string | null;
}

export interface Store {
  /** Which dialect backs it, for logs and the health endpoint. */
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs pending migrations; safe from several processes at once. */
  migrate(): Promise<void>;

  /** Records one workspace scan and its findings' lifecycle, in one transaction. A failed or
   * disabled scan records the scan only; a partial scan never resolves what it could not read. */
  recordScan(scan: ScanRecordInput, findings: FindingInput[]): Promise<RecordScanResult>;
  /** The latest scan of each workspace of a repository. */
  latestScans(repo: string): Promise<ScanRecord[]>;
  /** A workspace's scans, newest first. */
  recentScans(repo: string, workspace: string, limit: number): Promise<ScanRecord[]>;
  /** Scans of a workspace that finished in [from, to), oldest first (the weekly briefing). */
  scansBetween(repo: string, workspace: string, from: string, to: string): Promise<ScanRecord[]>;

  findings(query: { repo: string; workspace?: string; status?: 'open' | 'resolved'; resourceKeys?: string[] }): Promise<FindingRecord[]>;
  /** Rejects when the store holds no such finding. */
  setFindingIssue(repo: string, workspace: string, resourceKey: string, issueNumber: number): Promise<void>;

  fixPr(repo: string, workspace: string, direction: PatchDirection): Promise<FixPrRecord | null>;
  saveFixPr(record: FixPrRecord): Promise<void>;

  /** Claims a notification key before sending: false when it was already claimed (never sent twice). */
  claimNotification(record: Omit<NotificationRecord, 'status' | 'attempts' | 'error' | 'sentAt'>): Promise<boolean>;
  /** Rejects when nothing was claimed under the key. */
  finishNotification(key: string, outcome: { status: 'sent' | 'failed'; attempts: number; error: string | null; at: string }): Promise<void>;
  notifications(query: { repo: string; workspace?: string; kind?: NotificationRecord['kind']; since?: string }): Promise<NotificationRecord[]>;

  scheduleRuns(): Promise<ScheduleRunRecord[]>;
  saveScheduleRun(record: ScheduleRunRecord): Promise<void>;
  deleteScheduleRuns(names: string[]): Promise<void>;

  /** Deletes scans that finished before `before`, and the notifications claimed before it (their
   * keys only stop a transition being announced twice, which no job does months later). Drift
   * records and their history stay. */
  prune(before: string): Promise<{ scans: number; notifications: number }>;
  close(): Promise<void>;
}
