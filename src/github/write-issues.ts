// Applies the planned drift issue writes, one after another (the pacer spaces them); a failed one
// is reported and the rest still go. New issue numbers go to the store, so the next reconcile
// reads them there instead of searching.
import { parseMarker } from '../surfaces/marker.js';
import type { IssueIdentity, IssueWrite } from '../surfaces/types.js';
import { commentOnce } from './comment-once.js';
import { ensureLabels } from './ensure-labels.js';
import { assertWithinLimit, BODY_LIMIT } from './github-limits.js';
import type { GitHubSession } from './github-session.js';
import { readIssueFacts, type IssueFacts } from './issue-facts.js';
import { identityKey } from './read-issue-surfaces.js';
import type { KnownIssue } from './write-report.js';
import type { WriterStore } from './writer-store.js';

export async function applyIssueWrites(session: GitHubSession, store: WriterStore | null, writes: IssueWrite[], facts: Map<number, IssueFacts>, known: Map<string, KnownIssue>): Promise<void> {
  // A label already on one of the issues read exists: only others make the labels listing worth
  // a request.
  const seen = new Set([...facts.values()].flatMap((issue) => issue.labels.map((label) => label.toLowerCase())));
  const labels = writes.flatMap((write) => (write.kind === 'close-issue' ? [] : write.labels)).filter((label) => !seen.has(label.toLowerCase()));
  if (labels.length > 0) await ensureLabels(session, labels);

  for (const write of writes) {
    const identity = `${write.identity.workspace} ${write.identity.resource}${write.kind === 'create-issue' ? '' : ` (#${write.number})`}`;
    await session.attempt(write.kind, identity, () => applyIssueWrite(session, store, write, facts, known));
  }
}

async function applyIssueWrite(session: GitHubSession, store: WriterStore | null, write: IssueWrite, facts: Map<number, IssueFacts>, known: Map<string, KnownIssue>): Promise<void> {
  const body = assertWithinLimit(write.body, BODY_LIMIT, `issue body of ${write.identity.workspace} ${write.identity.resource}`);
  const remember = (data: unknown, action: 'created' | 'updated' | 'reopened' | 'closed') => {
    const issue = readIssueFacts(data);
    if (!issue) return;
    facts.set(issue.number, issue);
    known.set(identityKey(write.identity), { ...write.identity, number: issue.number, url: issue.url, state: issue.state });
    session.report.links.push({ kind: 'issue', action, label: `${write.identity.workspace}: ${write.identity.resource} (#${issue.number})`, url: issue.url });
  };

  switch (write.kind) {
    case 'create-issue': {
      const { data } = await session.request('POST /repos/{owner}/{repo}/issues', { title: write.title, body, labels: write.labels });
      remember(data, 'created');
      const number = readIssueFacts(data)?.number;
      if (store && number !== undefined) await recordIssueNumber(session, store, write.identity, number);
      return;
    }
    case 'update-issue': {
      const { data } = await session.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: write.number, title: write.title, body, labels: keepOthers(write.labels, facts.get(write.number)) });
      remember(data, 'updated');
      return;
    }
    case 'reopen-issue': {
      await commentOnce(session, target(write.number, facts), write.comment, `reopen:${fingerprintOf(write.body, write.number)}`);
      const { data } = await session.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: write.number, state: 'open', title: write.title, body, labels: keepOthers(write.labels, facts.get(write.number)) });
      remember(data, 'reopened');
      return;
    }
    case 'close-issue': {
      await commentOnce(session, target(write.number, facts), write.comment, `close:${fingerprintOf(write.body, write.number)}`);
      const { data } = await session.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: write.number, body, state: 'closed', state_reason: 'completed' });
      remember(data, 'closed');
      return;
    }
  }
}

async function recordIssueNumber(session: GitHubSession, store: WriterStore, identity: IssueIdentity, number: number): Promise<void> {
  try {
    await store.setFindingIssue(session.repoKey, identity.workspace, identity.resource, number);
  } catch (error) {
    // The issue exists; the next reconcile finds it by listing (it is open) and records it then.
    session.fail('store', `issue number of ${identity.workspace} ${identity.resource}`, error);
  }
}

/** The planner's labels, plus the ones people added: PATCH replaces the whole set. driftwatch's
 * own (`drift`, `severity:*`) are the planner's to set, so an old severity goes. */
function keepOthers(labels: string[], current: IssueFacts | undefined): string[] {
  const ours = new Set(labels.map((label) => label.toLowerCase()));
  const others = (current?.labels ?? []).filter((label) => {
    const lower = label.toLowerCase();
    return !ours.has(lower) && lower !== 'drift' && !lower.startsWith('severity:');
  });
  return [...labels, ...others];
}

function target(number: number, facts: Map<number, IssueFacts>) {
  const issue = facts.get(number);
  return { number, comments: issue?.comments ?? 0, updatedAt: issue?.updatedAt ?? null };
}

function fingerprintOf(body: string, number: number): string {
  const marker = parseMarker(body);
  return marker?.kind === 'drift-issue' ? marker.fingerprint.slice(0, 16) : `#${number}`;
}
