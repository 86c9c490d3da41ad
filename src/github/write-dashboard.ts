// Applies the planned dashboard write: create it, or rewrite it in place (reopening it in the same
// request when someone closed it).
import type { DashboardWrite } from '../surfaces/types.js';
import { assertWithinLimit, BODY_LIMIT } from './github-limits.js';
import type { GitHubSession } from './github-session.js';
import { readIssueFacts } from './issue-facts.js';

export async function applyDashboardWrite(session: GitHubSession, write: DashboardWrite): Promise<void> {
  const identity = write.kind === 'create-dashboard' ? 'dashboard' : `dashboard (#${write.number})`;
  await session.attempt(write.kind, identity, async () => {
    const body = assertWithinLimit(write.body, BODY_LIMIT, 'dashboard body');
    const { data } =
      write.kind === 'create-dashboard'
        ? await session.request('POST /repos/{owner}/{repo}/issues', { title: write.title, body })
        : await session.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: write.number, title: write.title, body, ...(write.reopen ? { state: 'open' } : {}) });
    const issue = readIssueFacts(data);
    if (!issue) return;
    session.report.dashboard = { number: issue.number, url: issue.url };
    const action = write.kind === 'create-dashboard' ? 'created' : write.reopen ? 'reopened' : 'updated';
    session.report.links.push({ kind: 'dashboard', action, label: `${write.title} (#${issue.number})`, url: issue.url });
  });
}
