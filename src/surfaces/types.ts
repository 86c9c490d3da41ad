// The GitHub surfaces as data. A pure renderer turns workspace reports (and the store) into the
// *desired* surfaces, keyed by stable identities; a pure planner compares them with what GitHub
// holds (found by hidden markers) and returns the minimal list of writes; one adapter
// (src/github/github-writer.ts) performs them. Redeliveries, concurrent scans and restarts
// converge on the same state, and an unchanged rescan plans no write.
import type { Severity } from '../drift/types.js';
import type { PatchDirection } from '../patch/types.js';

// ---------------------------------------------------------------------------------------------
// Markers: a hidden HTML comment at the end of every body the app writes, `<!-- driftwatch:{json} -->`.

export interface DriftIssueMarker {
  kind: 'drift-issue';
  /** Render version: bump to rewrite every issue once after a template change. */
  v: number;
  workspace: string;
  /** `address`, or `type:id` for an unmanaged resource. */
  resource: string;
  /** Terraform type and region of the drift: a partial scan resolves nothing of an unknown family. */
  type: string;
  region: string;
  /** Fingerprint of the drift(s) the body shows (sha256 of the sorted drift fingerprints when a
   * resource has several). */
  fingerprint: string;
  /** `resolved` once the app closed the issue because the drift was gone: a closed issue without
   * it was closed by a person. */
  state: 'drifted' | 'resolved';
  resolvedAt: string | null;
}

export interface DashboardMarker {
  kind: 'dashboard';
  v: number;
  /** Hash of the body without its "last scanned" times: a change here is a change of content. */
  contentHash: string;
  /** When the times were last written: they alone refresh the body at most once a day. */
  refreshedAt: string;
}

export interface FixPrMarker {
  kind: 'fix-pr';
  v: number;
  workspace: string;
  direction: PatchDirection;
  /** Hash of the committed file contents: the PR is force-pushed only when it changes. */
  patchHash: string;
  /** The drifts it fixes: a person-closed PR is reopened only when these change. */
  fingerprints: string[];
  state: 'open' | 'resolved';
}

export type Marker = DriftIssueMarker | DashboardMarker | FixPrMarker;

// ---------------------------------------------------------------------------------------------
// Drift issues: one per workspace and resource.

export interface IssueIdentity {
  workspace: string;
  resource: string;
}

export interface DesiredIssue extends IssueIdentity {
  title: string;
  /** Full body, marker included, scrubbed of secrets, within GitHub's limit. */
  body: string;
  labels: string[];
  severity: Severity;
  marker: DriftIssueMarker;
  /** One line saying what changed (for the reopen comment), plain Markdown, escaped. */
  whatChanged: string;
  /** When the store last saw this drift resolved (a recurrence says so), else null. */
  lastResolvedAt: string | null;
}

export interface ActualIssue {
  number: number;
  state: 'open' | 'closed';
  title: string;
  labels: string[];
  /** The body as GitHub holds it: closing the issue keeps it, with its marker set to resolved. */
  body: string;
  /** null when the body holds no readable marker (then it is not ours to plan). */
  marker: DriftIssueMarker | null;
  url: string;
}

/** Which drift issues this scan may close: only its workspaces, never a family it could not read. */
export interface ResolutionScope {
  /** Workspaces that were scanned (complete or partial). Failed and disabled ones are not here. */
  workspaces: string[];
  /** Families (Terraform types, by their live type) that could not be read, per workspace; a
   * missing region means every region. */
  unknown: { workspace: string; liveType: string; region?: string }[];
  /** Maps a drift's Terraform type to its family's live type (aws_security_group_rule →
   * aws_security_group); undefined for types no family covers. */
  liveTypeOf: (type: string) => string | undefined;
  commitSha: string;
  at: string;
}

export type IssueWrite =
  | { kind: 'create-issue'; identity: IssueIdentity; title: string; body: string; labels: string[] }
  | { kind: 'update-issue'; number: number; identity: IssueIdentity; title: string; body: string; labels: string[] }
  | { kind: 'reopen-issue'; number: number; identity: IssueIdentity; title: string; body: string; labels: string[]; comment: string }
  | { kind: 'close-issue'; number: number; identity: IssueIdentity; body: string; comment: string };

// ---------------------------------------------------------------------------------------------
// The dashboard: one issue per repository.

export const DASHBOARD_TITLE = 'Drift Dashboard';

export interface DesiredDashboard {
  title: string;
  body: string;
  marker: DashboardMarker;
}

export interface ActualDashboard {
  number: number;
  state: 'open' | 'closed';
  body: string;
  marker: DashboardMarker | null;
  url: string;
}

export type DashboardWrite =
  | { kind: 'create-dashboard'; title: string; body: string }
  | { kind: 'update-dashboard'; number: number; title: string; body: string; reopen: boolean };

/** A ticked checkbox on the dashboard, read back from an `issues.edited` event. */
export type DashboardRequest =
  | { kind: 'fix'; direction: PatchDirection; workspace: string; resource: string | null }
  | { kind: 'rescan'; workspace: string };

// ---------------------------------------------------------------------------------------------
// Check runs on pull requests.

export type CheckConclusion = 'success' | 'neutral' | 'failure';

export interface Annotation {
  /** Repository-relative path (infra/network.tf), never relative to the root module. */
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  /** At most 64 KB; titles at most 255 characters. Plain text (GitHub does not render Markdown). */
  message: string;
  title: string;
  raw_details?: string;
}

export interface CheckAction {
  /** At most 20 characters. */
  label: string;
  /** At most 40 characters. */
  description: string;
  /** At most 20 characters: what the check_run.requested_action event carries back. */
  identifier: 'fix' | 'rescan';
}

export interface DesiredCheckRun {
  name: 'driftwatch' | 'driftwatch config';
  headSha: string;
  conclusion: CheckConclusion;
  /** title ≤ 255 characters, summary and text ≤ 65,535 each. */
  output: { title: string; summary: string; text: string };
  /** Any number: the writer sends them 50 per request. */
  annotations: Annotation[];
  actions: CheckAction[];
  /** Comes back in check_run events: the workspaces the check covered, comma-separated, so its
   * "Open fix PR" button fixes those and no others. */
  externalId?: string;
}

// ---------------------------------------------------------------------------------------------
// Fix pull requests: one branch per workspace and direction.

export interface DesiredFixPr {
  workspace: string;
  direction: PatchDirection;
  /** driftwatch/<workspace>/<direction> */
  branch: string;
  title: string;
  body: string;
  /** Every file of the patch, repository-relative, with its full new content. */
  files: { path: string; content: string }[];
  marker: FixPrMarker;
}

export interface ActualFixPr {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  branch: string;
  /** The body as GitHub holds it: closing the pull request keeps it, with its marker set to
   * resolved. */
  body: string;
  marker: FixPrMarker | null;
  url: string;
}

export type FixPrWrite =
  | { kind: 'create-fix-pr'; desired: DesiredFixPr }
  /** Force-push a new commit on top of the default branch and rewrite the body. `reopen` when a
   * person closed it and its drifts changed since. */
  | { kind: 'update-fix-pr'; number: number; desired: DesiredFixPr; reopen: boolean }
  /** Its drifts are gone: close it with a comment (the branch is deleted). */
  | { kind: 'close-fix-pr'; number: number; branch: string; body: string; comment: string };

// ---------------------------------------------------------------------------------------------

/** Everything one scan wants GitHub to look like, for the writer. Absent parts are untouched. */
export interface DesiredSurfaces {
  issues?: { desired: DesiredIssue[]; scope: ResolutionScope };
  dashboard?: DesiredDashboard;
  checkRun?: DesiredCheckRun;
  fixPrs?: { workspace: string; direction: PatchDirection; desired: DesiredFixPr | null }[];
}

/** The pure planners (src/surfaces/plan-*.ts): desired + actual in, the minimal writes out. */
export interface SurfacePlanners {
  planIssues(input: { desired: DesiredIssue[]; actual: ActualIssue[]; scope: ResolutionScope }): IssueWrite[];
  /** null: nothing to write (content unchanged, and the times were refreshed within a day). */
  planDashboard(input: { desired: DesiredDashboard; actual: ActualDashboard | null; now: string }): DashboardWrite | null;
  planFixPr(input: { desired: DesiredFixPr | null; actual: ActualFixPr | null }): FixPrWrite | null;
}
