// The job behind a ticked Drift Dashboard checkbox (an `issues.edited` event by a person with write
// access): the box is unticked at once — as dependency dashboards do, so people see it was taken —
// then the fix or accept pull request is opened, or the workspace rescanned. When nothing could be
// opened (nothing to edit), one comment on the dashboard says why.
import type { JobDefinition } from '../jobs/types.js';
import { codeSpan } from '../report/escape-markdown.js';
import { scanRepository, type RepositoryServices } from '../repository/scan-repository.js';
import type { ScanRepositoryRequest } from '../repository/types.js';
import { untick } from '../surfaces/dashboard-requests.js';
import type { DashboardRequest } from '../surfaces/types.js';
import { canWrite } from './command-job.js';
import { DASHBOARD_JOB, type DashboardJobData } from './webhook-jobs.js';

export function dashboardJob(services: RepositoryServices): JobDefinition<DashboardJobData> {
  return { name: DASHBOARD_JOB, run: (data) => runDashboardRequests(data, services) };
}

async function runDashboardRequests(data: DashboardJobData, services: RepositoryServices): Promise<void> {
  const { repo } = data;
  const octokit = await services.octokit(data.installationId);
  const allowed = await canWrite(octokit, repo, data.actor);

  // Untick first (from the body as it is now, which may have changed since the event).
  const { data: issue } = await octokit.rest.issues.get({ owner: repo.owner, repo: repo.name, issue_number: data.issueNumber });
  const body = issue.body ?? '';
  const unticked = untick(body, data.requests);
  // None of the boxes is ticked any more: an earlier run of this edit took them (a redelivered
  // event), or a person unticked them again. Either way there is nothing to run.
  if (unticked === body) {
    services.log.info({ repo: `${repo.owner}/${repo.name}`, issue: data.issueNumber }, 'dashboard boxes no longer ticked; nothing to run');
    return;
  }
  await octokit.rest.issues.update({ owner: repo.owner, repo: repo.name, issue_number: data.issueNumber, body: unticked });
  if (!allowed) {
    services.log.info({ repo: `${repo.owner}/${repo.name}`, actor: data.actor }, 'dashboard request refused: no write access');
    return;
  }

  const replies: string[] = [];
  for (const request of group(data.requests)) {
    const base = { installationId: data.installationId, repo, reason: { trigger: 'dashboard' as const, actor: data.actor, detail: describe(request) } };
    const scan: ScanRepositoryRequest =
      request.kind === 'rescan'
        ? { ...base, workspaces: request.workspaces, target: { kind: 'default-branch' } }
        : { ...base, workspaces: [request.workspace], target: { kind: 'fix', direction: request.direction, addresses: request.resources } };
    const result = await scanRepository(scan, services);
    for (const reply of result.fixReplies) replies.push(`${codeSpan(reply.workspace)}: ${reply.reply}`);
  }
  if (replies.length > 0) {
    await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: data.issueNumber, body: `@${data.actor} ${replies.join('\n\n')}` });
  }
}

type Grouped =
  | { kind: 'rescan'; workspaces: string[] }
  | { kind: 'fix'; direction: 'restore' | 'accept'; workspace: string; resources: string[] };

/** Several boxes ticked in one edit: one rescan for all workspaces, one pull request per workspace
 * and direction (a box for the whole workspace wins over boxes for its drifts). */
function group(requests: readonly DashboardRequest[]): Grouped[] {
  const out: Grouped[] = [];
  const rescans = [...new Set(requests.filter((request) => request.kind === 'rescan').map((request) => request.workspace))];
  if (rescans.length > 0) out.push({ kind: 'rescan', workspaces: rescans });
  const fixes = new Map<string, Extract<Grouped, { kind: 'fix' }>>();
  for (const request of requests) {
    if (request.kind !== 'fix') continue;
    const key = `${request.workspace}\n${request.direction}`;
    const entry = fixes.get(key) ?? { kind: 'fix', direction: request.direction, workspace: request.workspace, resources: [] };
    fixes.set(key, entry);
    if (request.resource === null) entry.resources = [];
    else if (!fixes.has(`${key}\nall`)) entry.resources.push(request.resource);
    if (request.resource === null) fixes.set(`${key}\nall`, entry);
  }
  for (const [key, entry] of fixes) if (!key.endsWith('\nall')) out.push(entry);
  return out;
}

function describe(request: Grouped): string {
  if (request.kind === 'rescan') return `dashboard: rescan ${request.workspaces.join(', ')}`;
  return `dashboard: ${request.direction} ${request.workspace}${request.resources.length > 0 ? ` ${request.resources.join(' ')}` : ''}`;
}
