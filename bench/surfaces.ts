// The pure surfaces at scale: desired issues, their plan against an unchanged GitHub, the
// dashboard and a pull request check for a workspace of N drifts (each on its own block, with a
// restore patch, attribution, and 50 state secrets to scrub), at N and 10×N. Prints the time of
// each step and the ratio between the sizes (10 is linear).
//   npx tsx bench/surfaces.ts [drifts]
import type { ReportDrift, ScanResult } from '../src/report/types.js';
import type { WorkspaceReport } from '../src/repository/types.js';
import { dashboardWorkspaceFromReport } from '../src/surfaces/dashboard-workspace.js';
import { desiredCheckRun } from '../src/surfaces/desired-check-run.js';
import { desiredDashboard } from '../src/surfaces/desired-dashboard.js';
import { desiredIssues } from '../src/surfaces/desired-issues.js';
import { planIssues } from '../src/surfaces/plan-issues.js';
import type { ActualIssue } from '../src/surfaces/types.js';

const base = Number(process.argv[2] ?? 500);

function drift(index: number): ReportDrift {
  const fingerprint = index.toString(16).padStart(64, '0');
  const diff = `diff --git a/network.tf b/network.tf\n--- a/network.tf\n+++ b/network.tf\n@@ -${index * 12 + 4},6 +${index * 12 + 4},7 @@\n   description = "rule ${index}"\n   from_port   = 443\n   to_port     = 443\n+  cidr_ipv4   = "10.20.0.0/16"\n   ip_protocol = "tcp"\n }\n`;
  return {
    kind: 'modified',
    address: `aws_vpc_security_group_ingress_rule.rule_${index}`,
    type: 'aws_vpc_security_group_ingress_rule',
    id: `sgr-${index.toString(16).padStart(17, '0')}`,
    region: 'us-east-1',
    changes: [
      { path: 'cidr_ipv4', declared: '10.20.0.0/16', live: '0.0.0.0/0' },
      { path: 'description', declared: `rule ${index}`, live: `temp: vendor debug ${index}` },
    ],
    signals: [{ id: 'sg.world_open_admin_port', params: { cidr: '0.0.0.0/0', port: 22 } }],
    live: { type: 'aws_security_group', id: `sg-${index}`, region: 'us-east-1', attributes: { name: `web-${index}`, tags: { Owner: 'platform', Team: 'edge' } } },
    declared: { id: `sgr-${index}`, cidr_ipv4: '10.20.0.0/16', description: `rule ${index}`, tags: { Name: `rule-${index}` } },
    fingerprint,
    severity: (['critical', 'high', 'medium', 'low'] as const)[index % 4] ?? 'low',
    title: 'Opened to the entire internet (0.0.0.0/0) on port 22',
    controls: { cis: ['5.2'], mitre: ['T1133'] },
    costDeltaMonthly: 0,
    attribution: { actor: 'alice', actorType: 'iam-user', role: null, sessionName: null, eventName: 'ModifySecurityGroupRules', eventTime: '2025-05-02T08:41:17Z', sourceIp: '198.51.100.23', console: true, eventId: `evt-${index}` },
    location: { file: 'network.tf', line: index * 12 + 1, endLine: index * 12 + 10 },
    patch: { fingerprint, direction: 'restore', status: 'edit', note: 'cidr_ipv4 is not written in the block: pinned to the declared value.', files: [{ path: 'network.tf', before: '', after: '', diff }], remediation: null },
  };
}

function report(count: number): WorkspaceReport {
  const drifts = Array.from({ length: count }, (_, index) => drift(index));
  const summary = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const entry of drifts) summary[entry.severity] += 1;
  const result: ScanResult = { version: 1, status: 'complete', workspace: 'prod', scannedAt: '2025-05-02T09:30:00Z', coverage: { managed: count * 4, unmanaged: 0, percent: 100 }, unknown: [], summary, postureScore: 12, drifts, notes: [], configErrors: [] };
  return {
    workspace: 'prod',
    dir: 'infra/prod',
    status: 'complete',
    error: null,
    result,
    patches: { restore: { direction: 'restore', patches: drifts.map((entry) => entry.patch!), files: [] } },
    secrets: Array.from({ length: 50 }, (_, index) => `state-secret-${index}-Qx7`),
    commitSha: 'a'.repeat(40),
    startedAt: '2025-05-02T09:29:00Z',
    finishedAt: '2025-05-02T09:30:00Z',
    apiCalls: 0,
  };
}

function time<T>(run: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}

function measure(count: number): Record<string, number> {
  const workspace = report(count);
  const issues = time(() => desiredIssues({ reports: [workspace] }));
  const actual: ActualIssue[] = issues.value.map((issue, index) => ({ number: index + 1, state: 'open', title: issue.title, labels: issue.labels, body: issue.body, marker: issue.marker, url: '' }));
  const plan = time(() => planIssues({ desired: issues.value, actual, scope: { workspaces: ['prod'], unknown: [], liveTypeOf: (type) => type, commitSha: 'b'.repeat(40), at: '2025-05-02T10:00:00Z' } }));
  if (plan.value.length !== 0) throw new Error('an unchanged rescan planned writes');
  const dashboard = time(() => desiredDashboard({ workspaces: [dashboardWorkspaceFromReport(workspace, null)], issueNumbers: new Map(), history: [], now: '2025-05-02T10:00:00Z' }));
  const check = time(() => desiredCheckRun({ headSha: 'c'.repeat(40), reports: [workspace], failOn: 'high', changedLines: new Map([['infra/prod/network.tf', [{ start: 1, end: count * 12 }]]]) }));
  return { desiredIssues: issues.ms, planIssues: plan.ms, desiredDashboard: dashboard.ms, desiredCheckRun: check.ms };
}

measure(base); // warm-up
const small = measure(base);
const large = measure(base * 10);
console.log(`drifts: ${base} → ${base * 10}`);
for (const step of Object.keys(small)) {
  const a = small[step] ?? 0;
  const b = large[step] ?? 0;
  console.log(`${step.padEnd(18)} ${a.toFixed(0).padStart(6)} ms → ${b.toFixed(0).padStart(7)} ms   ×${(b / Math.max(a, 0.001)).toFixed(1)}`);
}
