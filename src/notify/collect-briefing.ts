// What the weekly briefing says, read from the store: the drifts open now, those resolved during
// the week, and the trend against a week ago.
//
// "Open a week ago" (instant T = now − 7 × 24 h) from what the store records. A finding holds its
// current episode only: firstSeenAt (the scan that opened it), resolvedAt (the scan that closed
// it, null while open) and, for a drift that came back, lastResolvedAt (when the episode before
// ended). So a finding was open at T when
//   - its current episode had begun by T and had not ended by T; or
//   - its current episode began after T but the one before ended after T, and that earlier
//     episode had begun by T. The store keeps no start for it, but the scan that opened it came
//     before the scan that closed it: if no scan read the workspace between T and that close,
//     it was opened at or before T. If one did, the store cannot tell, and it counts as not open
//     at T (a drift that went and came back within the week is counted as this week's).
// A workspace with no scan finished before T has nothing to compare with: trend "first week".
import type { FindingRecord, ScanRecord, Store } from '../store/types.js';
import type { BriefingData } from './briefing-message.js';

export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export interface CollectBriefingInput {
  repo: string;
  workspace: string;
  now: Date;
  timezone: string;
  issueUrl(finding: FindingRecord): string | null;
  dashboardUrl: string | null;
}

export type BriefingStore = Pick<Store, 'findings' | 'scansBetween' | 'recentScans'>;

export async function collectBriefing(store: BriefingStore, input: CollectBriefingInput): Promise<BriefingData> {
  const { repo, workspace, now } = input;
  const weekAgo = new Date(now.getTime() - WEEK_MS);
  const [findings, weekScans] = await Promise.all([
    store.findings({ repo, workspace }),
    store.scansBetween(repo, workspace, weekAgo.toISOString(), now.toISOString()),
  ]);
  // A few more than the week holds: one finished before the week, even if scans finish while
  // this runs.
  const recent = await store.recentScans(repo, workspace, weekScans.length + 5);
  const hasBaseline = recent.some((scan) => time(scan.finishedAt) < weekAgo.getTime());

  const open = findings.filter((finding) => finding.status === 'open');
  const resolved = findings.filter((finding) => finding.status === 'resolved' && finding.resolvedAt !== null && time(finding.resolvedAt) > weekAgo.getTime() && time(finding.resolvedAt) <= now.getTime());
  const readingScans = weekScans.filter(read).map((scan) => time(scan.finishedAt));
  const openWeekAgo = findings.filter((finding) => openAt(finding, weekAgo.getTime(), readingScans)).length;

  return {
    repo,
    workspace,
    open,
    resolved,
    trend: hasBaseline ? { kind: 'change', delta: open.length - openWeekAgo } : { kind: 'first-week' },
    lastScan: recent[0] ?? null,
    timezone: input.timezone,
    issueUrl: input.issueUrl,
    dashboardUrl: input.dashboardUrl,
  };
}

/** Whether the finding was open at instant `at` (see the head of this file). `readingScans`:
 * finish times of the scans after `at` that read the workspace. */
export function openAt(finding: FindingRecord, at: number, readingScans: readonly number[]): boolean {
  if (time(finding.firstSeenAt) <= at) return finding.resolvedAt === null || time(finding.resolvedAt) > at;
  if (finding.lastResolvedAt === null) return false;
  const previousEnd = time(finding.lastResolvedAt);
  if (previousEnd <= at) return false;
  return !readingScans.some((scanAt) => scanAt > at && scanAt < previousEnd);
}

/** Failed and disabled scans read nothing: they neither open nor resolve. */
function read(scan: ScanRecord): boolean {
  return scan.status === 'complete' || scan.status === 'partial';
}

function time(iso: string): number {
  return Date.parse(iso);
}
