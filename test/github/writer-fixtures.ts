// For the writer's tests: planners that behave like the real ones (desired against markers:
// create, update on a changed fingerprint, reopen a recurrence, leave a person-closed issue
// closed, close what is gone inside the scope), desired surfaces as the renderers make them, and
// an in-memory store of issue and pull request numbers.
import { createHash } from 'node:crypto';
import type { FindingRecord, FixPrRecord } from '../../src/store/types.js';
import type { WriterStore } from '../../src/github/writer-store.js';
import { formatMarker } from '../../src/surfaces/marker.js';
import type {
  ActualIssue,
  Annotation,
  DashboardMarker,
  DesiredCheckRun,
  DesiredDashboard,
  DesiredFixPr,
  DesiredIssue,
  DriftIssueMarker,
  FixPrMarker,
  IssueWrite,
  ResolutionScope,
  SurfacePlanners,
} from '../../src/surfaces/types.js';
import type { Severity } from '../../src/drift/types.js';

export const COMMIT = '4c1d2e3f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d';
export const AT = '2025-06-02T09:00:00.000Z';

export function fingerprint(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

export function issueMarker(workspace: string, resource: string, options: { fingerprint?: string; state?: 'drifted' | 'resolved'; type?: string } = {}): DriftIssueMarker {
  return {
    kind: 'drift-issue',
    v: 1,
    workspace,
    resource,
    type: options.type ?? resource.split('.')[0] ?? 'aws_s3_bucket',
    region: 'eu-west-1',
    fingerprint: options.fingerprint ?? fingerprint(`${workspace}/${resource}`),
    state: options.state ?? 'drifted',
    resolvedAt: options.state === 'resolved' ? '2025-05-31T07:00:00.000Z' : null,
  };
}

export function issueBody(resource: string, marker: DriftIssueMarker): string {
  return [
    `**${resource}** differs from the Terraform state.`,
    '',
    '| Attribute | Declared | Live |',
    '|---|---|---|',
    '| `versioning[0].enabled` | `true` | `false` |',
    '',
    'Changed by `arn:aws:sts::123456789012:assumed-role/AdminRole/alice` via `PutBucketVersioning` on 2025-06-01 14:22 UTC.',
    '',
    '<sub>Comment `/drift fix` to open a pull request that restores it.</sub>',
    '',
    formatMarker(marker),
  ].join('\n');
}

export function desiredIssue(workspace: string, resource: string, options: { fingerprint?: string; severity?: Severity; labels?: string[]; body?: string } = {}): DesiredIssue {
  const severity = options.severity ?? 'high';
  const marker = issueMarker(workspace, resource, { fingerprint: options.fingerprint });
  return {
    workspace,
    resource,
    title: `[${severity}] Drift in ${workspace}: ${resource}`,
    body: options.body ?? issueBody(resource, marker),
    labels: ['drift', `severity:${severity}`, ...(options.labels ?? [])],
    severity,
    marker,
    whatChanged: '`versioning[0].enabled`: `true` → `false`',
    lastResolvedAt: null,
  };
}

export function scope(workspaces: string[], unknown: ResolutionScope['unknown'] = []): ResolutionScope {
  return { workspaces, unknown, liveTypeOf: (type) => (type === 'aws_security_group_rule' ? 'aws_security_group' : type), commitSha: COMMIT, at: AT };
}

export function dashboardMarker(contentHash: string): DashboardMarker {
  return { kind: 'dashboard', v: 1, contentHash, refreshedAt: '2025-06-02T09:00:00.000Z' };
}

export function desiredDashboard(contentHash = 'c0ffee'): DesiredDashboard {
  const marker = dashboardMarker(contentHash);
  return {
    title: 'Drift Dashboard',
    body: ['## prod', '', '- [ ] high · aws_s3_bucket.logs (#12)', '', '_Last scanned 2025-06-02 09:00 UTC (push of 1 commit to main)._', '', formatMarker(marker)].join('\n'),
    marker,
  };
}

export function fixPrMarker(workspace: string, patchHash: string, fingerprints: string[], direction: 'restore' | 'accept' = 'restore'): FixPrMarker {
  return { kind: 'fix-pr', v: 1, workspace, direction, patchHash, fingerprints, state: 'open' };
}

export function desiredFixPr(workspace: string, options: { patchHash?: string; fingerprints?: string[]; files?: { path: string; content: string }[] } = {}): DesiredFixPr {
  const marker = fixPrMarker(workspace, options.patchHash ?? 'patch-1', options.fingerprints ?? [fingerprint('a')]);
  return {
    workspace,
    direction: 'restore',
    branch: `driftwatch/${workspace}/restore`,
    title: `Restore drifted resources in ${workspace}`,
    body: ['This pull request puts back what Terraform declares:', '', '- `aws_s3_bucket_versioning.logs`: `versioning_configuration.status` back to `Enabled`', '', formatMarker(marker)].join('\n'),
    files: options.files ?? [
      { path: `infra/${workspace}/s3.tf`, content: 'resource "aws_s3_bucket_versioning" "logs" {\n  bucket = aws_s3_bucket.logs.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n' },
      { path: `infra/${workspace}/network.tf`, content: 'resource "aws_security_group" "web" {\n  name = "web"\n}\n' },
    ],
    marker,
  };
}

export function annotations(count: number): Annotation[] {
  return Array.from({ length: count }, (_, index) => ({
    path: `infra/prod/file-${Math.floor(index / 10)}.tf`,
    start_line: (index % 10) * 7 + 1,
    end_line: (index % 10) * 7 + 5,
    annotation_level: index % 3 === 0 ? 'failure' : 'warning',
    message: `aws_s3_bucket.b${index}: versioning changed from Enabled to Suspended`,
    title: `Drift: aws_s3_bucket.b${index}`,
  }));
}

export function desiredCheckRun(annotationCount = 0): DesiredCheckRun {
  return {
    name: 'driftwatch',
    headSha: 'f'.repeat(40),
    conclusion: 'failure',
    output: { title: '3 drifts (1 high)', summary: '| Severity | Count |\n|---|---|\n| high | 1 |\n| medium | 2 |', text: '### prod\n\n- aws_s3_bucket.logs' },
    annotations: annotations(annotationCount),
    actions: [
      { label: 'Open fix PR', description: 'Open a pull request restoring state', identifier: 'fix' },
      { label: 'Rescan', description: 'Scan the workspaces again', identifier: 'rescan' },
    ],
  };
}

const key = (workspace: string, resource: string) => `${workspace}\n${resource}`;

export const testPlanners: SurfacePlanners = {
  planIssues({ desired, actual, scope: resolution }) {
    const byKey = new Map<string, ActualIssue>();
    for (const issue of actual) {
      if (!issue.marker) continue;
      const previous = byKey.get(key(issue.marker.workspace, issue.marker.resource));
      if (!previous || (previous.state === 'closed' && issue.state === 'open')) byKey.set(key(issue.marker.workspace, issue.marker.resource), issue);
    }
    const writes: IssueWrite[] = [];
    const wanted = new Set(desired.map((issue) => key(issue.workspace, issue.resource)));
    for (const issue of desired) {
      const identity = { workspace: issue.workspace, resource: issue.resource };
      const current = byKey.get(key(issue.workspace, issue.resource));
      const fields = { identity, title: issue.title, body: issue.body, labels: issue.labels };
      if (!current?.marker) {
        writes.push({ kind: 'create-issue', ...fields });
        continue;
      }
      const changed = current.marker.fingerprint !== issue.marker.fingerprint;
      if (current.state === 'open') {
        if (changed || current.marker.state === 'resolved') writes.push({ kind: 'update-issue', number: current.number, ...fields });
      } else if (current.marker.state === 'resolved') {
        writes.push({ kind: 'reopen-issue', number: current.number, ...fields, comment: `Drifted again: ${issue.whatChanged}` });
      } else if (changed) {
        writes.push({ kind: 'reopen-issue', number: current.number, ...fields, comment: `The drift changed: ${issue.whatChanged}` });
      }
    }
    for (const issue of byKey.values()) {
      const marker = issue.marker;
      if (!marker || issue.state !== 'open' || wanted.has(key(marker.workspace, marker.resource)) || !resolution.workspaces.includes(marker.workspace)) continue;
      const unknown = resolution.unknown.some((family) => family.workspace === marker.workspace && family.liveType === resolution.liveTypeOf(marker.type) && (!family.region || family.region === marker.region));
      if (unknown) continue;
      const resolved: DriftIssueMarker = { ...marker, state: 'resolved', resolvedAt: resolution.at };
      const note = `No longer drifted at ${resolution.commitSha.slice(0, 7)} (${resolution.at}).`;
      writes.push({ kind: 'close-issue', number: issue.number, identity: { workspace: marker.workspace, resource: marker.resource }, body: `${note}\n\n${formatMarker(resolved)}`, comment: note });
    }
    return writes;
  },

  planDashboard({ desired, actual }) {
    if (!actual) return { kind: 'create-dashboard', title: desired.title, body: desired.body };
    if (actual.state === 'closed' || actual.marker?.contentHash !== desired.marker.contentHash) return { kind: 'update-dashboard', number: actual.number, title: desired.title, body: desired.body, reopen: actual.state === 'closed' };
    return null;
  },

  planFixPr({ desired, actual }) {
    if (!desired) {
      if (!actual || actual.state !== 'open' || !actual.marker) return null;
      const resolved: FixPrMarker = { ...actual.marker, state: 'resolved' };
      return { kind: 'close-fix-pr', number: actual.number, branch: actual.branch, body: `Every drift this fixed is gone.\n\n${formatMarker(resolved)}`, comment: 'The drifts this pull request fixed are gone; closing it.' };
    }
    if (!actual || actual.merged) return { kind: 'create-fix-pr', desired };
    const driftsChanged = JSON.stringify(actual.marker?.fingerprints ?? []) !== JSON.stringify(desired.marker.fingerprints);
    if (actual.state === 'closed') return driftsChanged ? { kind: 'update-fix-pr', number: actual.number, desired, reopen: true } : null;
    return driftsChanged || actual.marker?.patchHash !== desired.marker.patchHash ? { kind: 'update-fix-pr', number: actual.number, desired, reopen: false } : null;
  },
};

export interface MemoryStore extends WriterStore {
  issueNumbers(): Record<string, number | null>;
  fixPrRecords(): FixPrRecord[];
  calls: string[];
}

/** Findings of the given identities (issue numbers as given) and fix PR records, in memory. */
export function memoryStore(repo: string, findings: { workspace: string; resource: string; issueNumber: number | null }[] = [], fixPrs: FixPrRecord[] = []): MemoryStore {
  const records = findings.map((finding): FindingRecord => ({
    repo,
    workspace: finding.workspace,
    resourceKey: finding.resource,
    fingerprint: fingerprint(`${finding.workspace}/${finding.resource}`),
    address: finding.resource,
    type: finding.resource.split('.')[0] ?? 'aws_s3_bucket',
    cloudId: finding.resource.split('.')[1] ?? 'id',
    region: 'eu-west-1',
    liveType: finding.resource.split('.')[0] ?? 'aws_s3_bucket',
    kind: 'modified',
    severity: 'high',
    title: `${finding.resource} drifted`,
    attribution: null,
    costDeltaMonthly: null,
    status: 'open',
    firstSeenAt: '2025-05-30T08:00:00.000Z',
    lastSeenAt: AT,
    resolvedAt: null,
    lastResolvedAt: null,
    episode: 1,
    issueNumber: finding.issueNumber,
  }));
  const prs = [...fixPrs];
  const calls: string[] = [];
  return {
    calls,
    async findings(query) {
      calls.push(`findings ${query.workspace ?? '*'}`);
      return records.filter((record) => record.repo === query.repo && (!query.workspace || record.workspace === query.workspace) && (!query.resourceKeys || query.resourceKeys.includes(record.resourceKey)));
    },
    async setFindingIssue(repoKey, workspace, resourceKey, issueNumber) {
      calls.push(`setFindingIssue ${workspace} ${resourceKey} ${issueNumber}`);
      const record = records.find((candidate) => candidate.repo === repoKey && candidate.workspace === workspace && candidate.resourceKey === resourceKey);
      if (record) record.issueNumber = issueNumber;
    },
    async fixPr(repoKey, workspace, direction) {
      return prs.find((record) => record.repo === repoKey && record.workspace === workspace && record.direction === direction) ?? null;
    },
    async saveFixPr(record) {
      calls.push(`saveFixPr ${record.workspace} ${record.direction} #${record.number} ${record.state}`);
      const index = prs.findIndex((candidate) => candidate.repo === record.repo && candidate.workspace === record.workspace && candidate.direction === record.direction);
      if (index >= 0) prs[index] = record;
      else prs.push(record);
    },
    issueNumbers: () => Object.fromEntries(records.map((record) => [`${record.workspace} ${record.resourceKey}`, record.issueNumber])),
    fixPrRecords: () => [...prs],
  };
}
