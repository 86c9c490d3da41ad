// What GitHub holds for drift issues and the dashboard, read cheaply: one listing of the app's open
// issues (everything the app just created is open, so search lag never hides it), then, only for
// desired issues not found open, the store's issue number (one GET: it may be closed), and only
// when the store does not know, GitHub search by the marker's search token, six tokens a query.
// Search lags writes, so what it misses is then looked for among the app's recently closed issues.
import { issueSearchToken, parseMarker } from '../surfaces/marker.js';
import { DASHBOARD_TITLE, type ActualDashboard, type ActualIssue, type DriftIssueMarker, type IssueIdentity } from '../surfaces/types.js';
import type { GitHubSession } from './github-session.js';
import { inRepository, readIssueFacts, type IssueFacts } from './issue-facts.js';
import type { WriterStore } from './writer-store.js';

export interface IssueSurfaces {
  /** The app's open drift issues (every workspace), and closed ones found for desired identities. */
  issues: ActualIssue[];
  /** Raw facts by issue number (comment counts, update times, every label). */
  facts: Map<number, IssueFacts>;
  dashboard: ActualDashboard | null;
  /** Desired identities whose issue could not be looked up (a failed GET or search): planning them
   * now could duplicate an issue, so they wait for the next reconcile. */
  unresolved: IssueIdentity[];
  /** The dashboard lookup failed: do not plan it now. */
  dashboardUnresolved: boolean;
}

/** GitHub's search allows five AND/OR/NOT operators in a query: six tokens joined by OR. */
const TOKENS_PER_SEARCH = 6;
/** How far back an issue may have been closed or made and still be missing from search: GitHub
 * indexes within seconds to minutes, so an hour is ample and keeps the listing short. */
export const SEARCH_LAG_MS = 60 * 60 * 1000;

export function identityKey(identity: IssueIdentity): string {
  return `${identity.workspace}\n${identity.resource}`;
}

/** Reads the surfaces. Throws when the listing itself fails: without it nothing may be planned. */
export async function readIssueSurfaces(session: GitHubSession, store: WriterStore | null, input: { desired: IssueIdentity[]; dashboard: boolean }): Promise<IssueSurfaces> {
  const facts = new Map<number, IssueFacts>();
  const issues: ActualIssue[] = [];
  const found = new Map<string, ActualIssue>();
  let dashboard: ActualDashboard | null = null;

  const ours = (issue: IssueFacts) => !issue.isPullRequest && (session.botLogin === null || issue.author?.toLowerCase() === session.botLogin.toLowerCase());

  function addIssue(issue: IssueFacts, marker: DriftIssueMarker) {
    facts.set(issue.number, issue);
    const actual: ActualIssue = { number: issue.number, state: issue.state, title: issue.title, body: issue.body ?? '', labels: issue.labels, marker, url: issue.url };
    issues.push(actual);
    const key = identityKey(marker);
    const previous = found.get(key);
    if (!previous || better(actual, previous)) found.set(key, actual);
  }

  // 1. The app's open issues: by creator, or by the `drift` label when the app's login is unknown.
  const listing = session.botLogin ? { creator: session.botLogin, state: 'open', per_page: 100 } : { labels: 'drift', state: 'open', per_page: 100 };
  for await (const page of session.pages('GET /repos/{owner}/{repo}/issues', listing)) {
    for (const item of page) {
      const issue = readIssueFacts(item);
      if (!issue || !ours(issue)) continue;
      const marker = parseMarker(issue.body);
      if (marker?.kind === 'drift-issue') addIssue(issue, marker);
      // Two open dashboards (a race before this writer serialized them): the older one is kept.
      if (marker?.kind === 'dashboard' && (!dashboard || issue.number < dashboard.number)) {
        facts.set(issue.number, issue);
        dashboard = { number: issue.number, state: issue.state, body: issue.body ?? '', marker, url: issue.url };
      }
    }
  }

  const unresolved: IssueIdentity[] = [];
  const missing = input.desired.filter((identity) => !found.has(identityKey(identity)));

  // 2. The store's issue numbers for the desired identities.
  const stored = new Map<string, number | null>();
  if (store && input.desired.length > 0) {
    for (const [workspace, identities] of groupByWorkspace(input.desired)) {
      try {
        const records = await store.findings({ repo: session.repoKey, workspace, resourceKeys: identities.map((identity) => identity.resource) });
        for (const record of records) stored.set(identityKey({ workspace: record.workspace, resource: record.resourceKey }), record.issueNumber);
      } catch (error) {
        session.fail('store', `findings of ${workspace}`, error);
      }
    }
  }

  const toSearch: IssueIdentity[] = [];
  for (const identity of missing) {
    const number = stored.get(identityKey(identity));
    if (number === undefined || number === null) {
      toSearch.push(identity);
      continue;
    }
    try {
      const { data } = await session.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: number });
      const issue = readIssueFacts(data);
      const marker = issue && inRepository(issue.repositoryUrl, session.repoKey) && ours(issue) ? parseMarker(issue.body) : null;
      if (issue && marker?.kind === 'drift-issue' && identityKey(marker) === identityKey(identity)) addIssue(issue, marker);
      else toSearch.push(identity);
    } catch (error) {
      // Deleted (404) or gone (410): the store is stale, search finds the issue if there is one.
      const status = (error as { status?: number }).status;
      if (status === 404 || status === 410) toSearch.push(identity);
      else {
        session.fail('get-issue', `#${number} (${identity.workspace} ${identity.resource})`, error);
        unresolved.push(identity);
      }
    }
  }

  // 3. Search, for what neither the listing nor the store knows.
  for (let index = 0; index < toSearch.length; index += TOKENS_PER_SEARCH) {
    const chunk = toSearch.slice(index, index + TOKENS_PER_SEARCH);
    const wanted = new Set(chunk.map(identityKey));
    const q = `repo:${session.repoKey} is:issue in:body ${chunk.map(issueSearchToken).join(' OR ')}`;
    try {
      const { data } = await session.request('GET /search/issues', { q, per_page: 100 });
      for (const item of searchItems(data)) {
        const issue = readIssueFacts(item);
        if (!issue || !ours(issue) || !inRepository(issue.repositoryUrl, session.repoKey)) continue;
        const marker = parseMarker(issue.body);
        if (marker?.kind === 'drift-issue' && wanted.has(identityKey(marker))) addIssue(issue, marker);
      }
    } catch (error) {
      session.fail('search-issues', chunk.map((identity) => `${identity.workspace} ${identity.resource}`).join(', '), error);
      unresolved.push(...chunk);
    }
  }

  // 3b. Search lags writes: an issue closed moments ago may not be indexed yet. What it missed is
  // looked for among the app's issues closed (or changed) since, by creator, or by the `drift`
  // label when the app's login is unknown. Without this a closed issue is made a second time.
  const unresolvedKeys = new Set(unresolved.map(identityKey));
  const missed = toSearch.filter((identity) => !found.has(identityKey(identity)) && !unresolvedKeys.has(identityKey(identity)));
  if (missed.length > 0) {
    const wanted = new Set(missed.map(identityKey));
    const since = new Date(session.now().getTime() - SEARCH_LAG_MS).toISOString();
    const recent = session.botLogin ? { creator: session.botLogin, state: 'closed', since, per_page: 100 } : { labels: 'drift', state: 'closed', since, per_page: 100 };
    try {
      for await (const page of session.pages('GET /repos/{owner}/{repo}/issues', recent)) {
        for (const item of page) {
          const issue = readIssueFacts(item);
          if (!issue || !ours(issue)) continue;
          const marker = parseMarker(issue.body);
          if (marker?.kind === 'drift-issue' && wanted.has(identityKey(marker))) addIssue(issue, marker);
        }
      }
    } catch (error) {
      session.fail('list-closed-issues', missed.map((identity) => `${identity.workspace} ${identity.resource}`).join(', '), error);
      unresolved.push(...missed);
    }
  }

  // The store learns numbers it did not have (an issue made before it existed, or a lost write).
  if (store) {
    for (const identity of input.desired) {
      const key = identityKey(identity);
      const actual = found.get(key);
      if (!actual || !stored.has(key) || stored.get(key) === actual.number) continue;
      try {
        await store.setFindingIssue(session.repoKey, identity.workspace, identity.resource, actual.number);
      } catch (error) {
        session.fail('store', `issue number of ${identity.workspace} ${identity.resource}`, error);
      }
    }
  }

  // 4. A closed dashboard (or, without the app's login, any dashboard) by its title.
  let dashboardUnresolved = false;
  if (input.dashboard && !dashboard) {
    try {
      const { data } = await session.request('GET /search/issues', { q: `repo:${session.repoKey} is:issue in:title "${DASHBOARD_TITLE}"`, per_page: 100 });
      for (const item of searchItems(data)) {
        const issue = readIssueFacts(item);
        if (!issue || !ours(issue) || !inRepository(issue.repositoryUrl, session.repoKey)) continue;
        const marker = parseMarker(issue.body);
        if (marker?.kind !== 'dashboard') continue;
        const candidate: ActualDashboard = { number: issue.number, state: issue.state, body: issue.body ?? '', marker, url: issue.url };
        if (!dashboard || better(candidate, dashboard)) {
          facts.set(issue.number, issue);
          dashboard = candidate;
        }
      }
    } catch (error) {
      session.fail('search-dashboard', 'dashboard', error);
      dashboardUnresolved = true;
    }
  }

  return { issues, facts, dashboard, unresolved, dashboardUnresolved };
}

/** Open before closed; among closed ones, the newest. */
function better(candidate: { state: 'open' | 'closed'; number: number }, current: { state: 'open' | 'closed'; number: number }): boolean {
  if (candidate.state !== current.state) return candidate.state === 'open';
  return candidate.state === 'open' ? candidate.number < current.number : candidate.number > current.number;
}

function searchItems(data: unknown): unknown[] {
  const items = data && typeof data === 'object' ? (data as { items?: unknown }).items : undefined;
  return Array.isArray(items) ? items : [];
}

function groupByWorkspace(identities: IssueIdentity[]): Map<string, IssueIdentity[]> {
  const groups = new Map<string, IssueIdentity[]>();
  for (const identity of identities) {
    const group = groups.get(identity.workspace) ?? [];
    group.push(identity);
    groups.set(identity.workspace, group);
  }
  return groups;
}
