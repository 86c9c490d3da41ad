// What one reconcile did on GitHub: requests by route (reads and writes apart, for the "GitHub
// requests per scan" benchmark), links to what it wrote (for a command's reply), the surfaces it
// knows of afterwards (issue numbers for the dashboard), and every failure with what failed, so
// the caller can retry the reconcile. Nothing that failed is left out.
import type { PatchDirection } from '../patch/types.js';
import type { IssueIdentity } from '../surfaces/types.js';
import { GitHubRetryLaterError } from './pacer.js';

export interface RequestCounts {
  reads: number;
  writes: number;
  /** By route template, e.g. "POST /repos/{owner}/{repo}/issues": 3. */
  byRoute: Record<string, number>;
}

export interface WriteLink {
  kind: 'issue' | 'dashboard' | 'pull-request' | 'check-run';
  /** What was done: "created", "updated", "reopened", "closed". */
  action: 'created' | 'updated' | 'reopened' | 'closed';
  /** For people: "prod: aws_s3_bucket.logs (#12)". Plain text. */
  label: string;
  url: string;
}

export interface WriteFailure {
  /** The write or read that failed: "create-issue", "update-fix-pr", "read-issues", "search-issues", "create-label", "store"… */
  kind: string;
  /** Which surface: "prod aws_s3_bucket.logs", "#12", "dashboard", "driftwatch/prod/restore", "check run driftwatch". */
  identity: string;
  message: string;
  /** HTTP status, when GitHub answered. */
  status: number | null;
  /** When GitHub asked us to come back (a rate limit beyond the pacer's budget), else null. */
  retryAt: string | null;
  /** false when repeating it unchanged cannot help (422 validation, 403 permission, a body over the limit). */
  retryable: boolean;
}

export interface KnownIssue extends IssueIdentity {
  number: number;
  url: string;
  state: 'open' | 'closed';
}

export interface KnownFixPr {
  workspace: string;
  direction: PatchDirection;
  number: number;
  url: string;
  state: 'open' | 'closed';
}

export interface WriteReport {
  requests: RequestCounts;
  links: WriteLink[];
  /** Drift issues known after the reconcile (read or written), for links from the dashboard. */
  issues: KnownIssue[];
  dashboard: { number: number; url: string } | null;
  fixPrs: KnownFixPr[];
  checkRun: { id: number; url: string } | null;
  failures: WriteFailure[];
  /** Things done differently from the plan, for logs: "PR #5 could not be reopened; opened #9". */
  notes: string[];
}

export function emptyWriteReport(): WriteReport {
  return { requests: { reads: 0, writes: 0, byRoute: {} }, links: [], issues: [], dashboard: null, fixPrs: [], checkRun: null, failures: [], notes: [] };
}

/** Adds `route` ("METHOD /path") to the counts. */
export function countRequest(counts: RequestCounts, route: string): void {
  const method = route.split(' ')[0] ?? 'GET';
  if (method === 'GET' || method === 'HEAD') counts.reads += 1;
  else counts.writes += 1;
  counts.byRoute[route] = (counts.byRoute[route] ?? 0) + 1;
}

/** One report for several calls (a started and later completed check run, then the reconcile). */
export function mergeWriteReports(...reports: WriteReport[]): WriteReport {
  const merged = emptyWriteReport();
  for (const report of reports) {
    merged.requests.reads += report.requests.reads;
    merged.requests.writes += report.requests.writes;
    for (const [route, count] of Object.entries(report.requests.byRoute)) merged.requests.byRoute[route] = (merged.requests.byRoute[route] ?? 0) + count;
    merged.links.push(...report.links);
    merged.issues.push(...report.issues);
    merged.dashboard = report.dashboard ?? merged.dashboard;
    merged.fixPrs.push(...report.fixPrs);
    merged.checkRun = report.checkRun ?? merged.checkRun;
    merged.failures.push(...report.failures);
    merged.notes.push(...report.notes);
  }
  return merged;
}

interface ErrorLike {
  status?: unknown;
  message?: unknown;
}

/** A failure entry from whatever was thrown. */
export function failureOf(kind: string, identity: string, error: unknown): WriteFailure {
  const { status, message } = (error ?? {}) as ErrorLike;
  const code = typeof status === 'number' ? status : null;
  const retryAt = error instanceof GitHubRetryLaterError ? error.retryAt : null;
  const text = typeof message === 'string' && message !== '' ? message : String(error);
  // 4xx other than rate limits and conflicts will fail the same way again; a limit error or a body
  // over GitHub's size is ours to fix, not the network's.
  const retryable = error instanceof RangeError ? false : code === null || code >= 500 || code === 429 || code === 409 || retryAt !== null;
  return { kind, identity, message: text, status: code, retryAt, retryable };
}
