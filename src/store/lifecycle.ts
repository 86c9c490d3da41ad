// The lifecycle of findings, per workspace and resource key, as one pure step: what a scan does
// to what the store holds. The store runs it inside recordScan's transaction and writes its
// outcome; nothing here reads a clock or a database, so every transition is testable as data.
import type { Attribution } from '../drift/types.js';
import type { FindingInput, FindingRecord, ScanRecordInput, Transition } from './types.js';

export interface LifecycleInput {
  repo: string;
  scan: Pick<ScanRecordInput, 'workspace' | 'status' | 'unknown' | 'finishedAt'>;
  /** What this scan found: one per resource key. */
  findings: FindingInput[];
  /** Every finding the store holds for this repository and workspace, open and resolved. */
  existing: FindingRecord[];
  /** The store holds an earlier scan of this workspace that read it (complete or partial). */
  earlierScan: boolean;
}

export interface LifecycleOutcome {
  /** Nothing was known of this workspace before: Slack gets one summary, not an alert per drift. */
  firstScan: boolean;
  transitions: Transition[];
  /** Records to write in full: opened, changed, recurred, resolved, and unchanged ones whose
   * details (severity, title, attribution, cost…) moved without a new fingerprint. */
  writes: FindingRecord[];
  /** Resource keys of open findings seen again exactly as stored: only lastSeenAt moves (to the
   * scan's finishedAt). Kept apart so a rescan of an unchanged account is one cheap update. */
  seen: string[];
}

export function applyLifecycle(input: LifecycleInput): LifecycleOutcome {
  const { repo, scan } = input;
  // A scan that looked at nothing earlier (failed, disabled) does not count as having known the
  // workspace; findings left from scans since pruned do.
  const firstScan = !input.earlierScan && input.existing.length === 0;
  // Failed and disabled scans read nothing: they can neither find nor resolve anything.
  if (scan.status === 'failed' || scan.status === 'disabled') return { firstScan, transitions: [], writes: [], seen: [] };

  const at = scan.finishedAt;
  const existing = new Map(input.existing.map((record) => [record.resourceKey, record]));
  const found = new Set<string>();
  const transitions: Transition[] = [];
  const writes: FindingRecord[] = [];
  const seen: string[] = [];

  for (const finding of input.findings) {
    if (finding.workspace !== scan.workspace) {
      throw new Error(`finding ${finding.resourceKey} belongs to workspace "${finding.workspace}", not to the scanned "${scan.workspace}": record each workspace's findings with its own scan`);
    }
    if (found.has(finding.resourceKey)) {
      throw new Error(`resource key ${finding.resourceKey} appears twice in the scan of "${scan.workspace}": combine a resource's drifts into one finding (one fingerprint over them all)`);
    }
    found.add(finding.resourceKey);

    const previous = existing.get(finding.resourceKey);
    if (previous === undefined) {
      const record = findingRecord(finding, { repo, status: 'open', firstSeenAt: at, lastSeenAt: at, resolvedAt: null, lastResolvedAt: null, episode: 1, issueNumber: null });
      transitions.push({ kind: 'opened', finding: record });
      writes.push(record);
      continue;
    }
    if (previous.status === 'resolved') {
      // A drift that comes back is a new episode of the same record (and of its issue).
      const record = findingRecord(finding, {
        repo,
        status: 'open',
        firstSeenAt: at,
        lastSeenAt: at,
        resolvedAt: null,
        lastResolvedAt: previous.resolvedAt,
        episode: previous.episode + 1,
        issueNumber: previous.issueNumber,
      });
      transitions.push({ kind: 'recurred', finding: record, previous });
      writes.push(record);
      continue;
    }
    const record = findingRecord(finding, {
      repo,
      status: 'open',
      firstSeenAt: previous.firstSeenAt,
      lastSeenAt: at,
      resolvedAt: null,
      lastResolvedAt: previous.lastResolvedAt,
      episode: previous.episode,
      issueNumber: previous.issueNumber,
    });
    if (finding.fingerprint !== previous.fingerprint) {
      transitions.push({ kind: 'changed', finding: record, previous });
      writes.push(record);
      continue;
    }
    transitions.push({ kind: 'unchanged', finding: record });
    if (sameDetails(previous, finding)) seen.push(finding.resourceKey);
    else writes.push(record);
  }

  for (const previous of input.existing) {
    if (previous.status !== 'open' || found.has(previous.resourceKey)) continue;
    // Unknown is not resolved: a family this scan could not read keeps its findings open.
    if (unread(previous, scan.unknown)) continue;
    const record = findingRecord(previous, {
      repo,
      status: 'resolved',
      firstSeenAt: previous.firstSeenAt,
      lastSeenAt: previous.lastSeenAt,
      resolvedAt: at,
      lastResolvedAt: previous.lastResolvedAt,
      episode: previous.episode,
      issueNumber: previous.issueNumber,
    });
    transitions.push({ kind: 'resolved', finding: record });
    writes.push(record);
  }

  return { firstScan, transitions, writes, seen };
}

function unread(finding: FindingRecord, unknown: ScanRecordInput['unknown']): boolean {
  return unknown.some((family) => family.liveType === finding.liveType && (family.region == null || family.region === finding.region));
}

type History = Pick<FindingRecord, 'repo' | 'status' | 'firstSeenAt' | 'lastSeenAt' | 'resolvedAt' | 'lastResolvedAt' | 'episode' | 'issueNumber'>;

// One literal with every field, never `{ ...finding, ...history }`: V8 builds spread-then-extend
// objects on a slow path, and at 10,000 findings that alone cost a sixth of a second.
function findingRecord(finding: FindingInput, history: History): FindingRecord {
  return {
    workspace: finding.workspace,
    resourceKey: finding.resourceKey,
    fingerprint: finding.fingerprint,
    address: finding.address,
    type: finding.type,
    cloudId: finding.cloudId,
    region: finding.region,
    liveType: finding.liveType,
    kind: finding.kind,
    severity: finding.severity,
    title: finding.title,
    attribution: finding.attribution,
    costDeltaMonthly: finding.costDeltaMonthly,
    repo: history.repo,
    status: history.status,
    firstSeenAt: history.firstSeenAt,
    lastSeenAt: history.lastSeenAt,
    resolvedAt: history.resolvedAt,
    lastResolvedAt: history.lastResolvedAt,
    episode: history.episode,
    issueNumber: history.issueNumber,
  };
}

function sameDetails(stored: FindingRecord, finding: FindingInput): boolean {
  return (
    stored.address === finding.address &&
    stored.type === finding.type &&
    stored.cloudId === finding.cloudId &&
    stored.region === finding.region &&
    stored.liveType === finding.liveType &&
    stored.kind === finding.kind &&
    stored.severity === finding.severity &&
    stored.title === finding.title &&
    stored.costDeltaMonthly === finding.costDeltaMonthly &&
    sameAttribution(stored.attribution, finding.attribution)
  );
}

// Field by field: jsonb hands objects back with its own key order, and this runs for every
// unchanged finding of every scan. The list must name every field (typecheck fails otherwise).
const ATTRIBUTION_FIELDS = ['actor', 'actorType', 'role', 'sessionName', 'eventName', 'eventTime', 'sourceIp', 'console', 'eventId'] as const;
const _everyAttributionField: Exclude<keyof Attribution, (typeof ATTRIBUTION_FIELDS)[number]> extends never ? true : never = true;

function sameAttribution(a: Attribution | null, b: Attribution | null): boolean {
  if (a === null || b === null) return a === b;
  return ATTRIBUTION_FIELDS.every((field) => a[field] === b[field]);
}
