// Fix pull requests through the Git Data API, never a clone: the default branch's head (one read
// gives its commit and tree), one tree on top of that tree with every patched file's content inline
// (GitHub writes the blobs: one content-creating request instead of one per file, which is what
// the secondary rate limit counts), one commit, then the branch ref created or force-moved, then
// the pull request opened or its body rewritten. A pull request a person closed is reopened before
// the push: GitHub refuses to reopen one whose branch changed while it was closed.
import type { PatchDirection } from '../patch/types.js';
import { parseMarker } from '../surfaces/marker.js';
import type { ActualFixPr, DesiredFixPr, FixPrMarker, FixPrWrite } from '../surfaces/types.js';
import { commentOnce } from './comment-once.js';
import { assertWithinLimit, BODY_LIMIT } from './github-limits.js';
import type { GitHubSession } from './github-session.js';
import { readPullFacts, type PullFacts } from './issue-facts.js';
import type { WriterStore } from './writer-store.js';

export interface FixPrEntry {
  workspace: string;
  direction: PatchDirection;
  desired: DesiredFixPr | null;
}

export interface FixPrState {
  actual: ActualFixPr | null;
  facts: PullFacts | null;
}

export interface BaseCommit {
  sha: string;
  treeSha: string;
}

export interface FixPrContext {
  session: GitHubSession;
  store: WriterStore | null;
  defaultBranch: string;
  /** The default branch's head, read once per reconcile however many branches are pushed. */
  base: () => Promise<BaseCommit>;
}

export function fixBranch(workspace: string, direction: PatchDirection): string {
  return `driftwatch/${workspace}/${direction}`;
}

/** The newest pull request from the branch that carries this workspace and direction's marker.
 * null as the answer means "nothing to read": nothing is desired and the store knows of no open
 * pull request, so nothing can need closing. */
export async function readFixPr(context: FixPrContext, entry: FixPrEntry): Promise<FixPrState | null> {
  const { session, store } = context;
  if (!entry.desired && store) {
    try {
      const record = await store.fixPr(session.repoKey, entry.workspace, entry.direction);
      if (!record || record.state === 'closed') return null;
    } catch (error) {
      session.fail('store', `fix PR of ${entry.workspace} ${entry.direction}`, error);
    }
  }
  const branch = entry.desired?.branch ?? fixBranch(entry.workspace, entry.direction);
  const { data } = await session.request('GET /repos/{owner}/{repo}/pulls', { head: `${session.repo.owner}:${branch}`, state: 'all', sort: 'created', direction: 'desc', per_page: 100 });
  for (const item of Array.isArray(data) ? data : []) {
    const pull = readPullFacts(item);
    const marker = pull ? parseMarker(pull.body) : null;
    if (!pull || marker?.kind !== 'fix-pr' || marker.workspace !== entry.workspace || marker.direction !== entry.direction) continue;
    return { actual: { number: pull.number, state: pull.state, merged: pull.merged, branch: pull.branch, body: pull.body ?? '', marker, url: pull.url }, facts: pull };
  }
  return { actual: null, facts: null };
}

export async function applyFixPrWrite(context: FixPrContext, entry: FixPrEntry, write: FixPrWrite, state: FixPrState): Promise<void> {
  const { session } = context;
  const identity = write.kind === 'close-fix-pr' ? `${write.branch} (#${write.number})` : `${write.desired.branch}${write.kind === 'update-fix-pr' ? ` (#${write.number})` : ''}`;
  await session.attempt(write.kind, identity, async () => {
    switch (write.kind) {
      case 'create-fix-pr':
        return createFixPr(context, entry, write.desired, 'created');
      case 'update-fix-pr':
        return updateFixPr(context, entry, write.number, write.desired, write.reopen, state.actual?.marker ?? null);
      case 'close-fix-pr':
        return closeFixPr(context, entry, write, state);
    }
  });
}

async function createFixPr(context: FixPrContext, entry: FixPrEntry, desired: DesiredFixPr, action: 'created' | 'reopened'): Promise<void> {
  const { session } = context;
  const body = assertWithinLimit(desired.body, BODY_LIMIT, `pull request body of ${desired.branch}`);
  await pushBranch(context, desired, 'create');
  let pull: PullFacts | null;
  try {
    const { data } = await session.request('POST /repos/{owner}/{repo}/pulls', { title: desired.title, head: desired.branch, base: context.defaultBranch, body });
    pull = readPullFacts(data);
  } catch (error) {
    // Another reconcile opened it meanwhile (or the listing missed it): take that one over.
    if (!isAlreadyExists(error)) throw error;
    const { data } = await session.request('GET /repos/{owner}/{repo}/pulls', { head: `${session.repo.owner}:${desired.branch}`, state: 'open', per_page: 100 });
    const existing = readPullFacts(Array.isArray(data) ? data[0] : undefined);
    if (!existing) throw error;
    const updated = await session.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: existing.number, title: desired.title, body });
    pull = readPullFacts(updated.data);
  }
  if (pull) await remember(context, entry, pull, desired.marker.fingerprints, action);
}

async function updateFixPr(context: FixPrContext, entry: FixPrEntry, number: number, desired: DesiredFixPr, reopen: boolean, current: FixPrMarker | null): Promise<void> {
  const { session } = context;
  const body = assertWithinLimit(desired.body, BODY_LIMIT, `pull request body of ${desired.branch}`);
  if (reopen) {
    try {
      await session.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: number, state: 'open' });
    } catch (error) {
      // 422: its branch was deleted, force-pushed or recreated while it was closed. A new pull
      // request carries the fix; the closed one keeps its history.
      if ((error as { status?: number }).status !== 422) throw error;
      session.report.notes.push(`pull request #${number} (${desired.branch}) could not be reopened (${(error as Error).message}); opening a new one`);
      return createFixPr(context, entry, desired, 'created');
    }
  }
  // The same files as the branch holds: no new commit, only the body (its drift list) changes.
  if (!current || current.patchHash !== desired.marker.patchHash) await pushBranch(context, desired, 'update');
  const { data } = await session.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: number, title: desired.title, body });
  const pull = readPullFacts(data);
  if (pull) await remember(context, entry, pull, desired.marker.fingerprints, reopen ? 'reopened' : 'updated');
}

async function closeFixPr(context: FixPrContext, entry: FixPrEntry, write: Extract<FixPrWrite, { kind: 'close-fix-pr' }>, state: FixPrState): Promise<void> {
  const { session } = context;
  const body = assertWithinLimit(write.body, BODY_LIMIT, `pull request body of ${write.branch}`);
  // Comment, close, then delete the branch: a crash before the close repeats the write (the
  // comment is not posted twice); a crash after it leaves only a stale branch, which the next
  // push to it force-moves.
  await commentOnce(session, { number: write.number, comments: null, updatedAt: state.facts?.updatedAt ?? null }, write.comment, `close-pr:${state.actual?.marker?.patchHash.slice(0, 16) ?? write.number}`);
  const { data } = await session.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: write.number, state: 'closed', body });
  try {
    await session.request('DELETE /repos/{owner}/{repo}/git/refs/{+ref}', { ref: refPath(write.branch) });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== 404 && status !== 422) throw error;
  }
  const pull = readPullFacts(data);
  if (pull) await remember(context, entry, pull, state.actual?.marker?.fingerprints ?? [], 'closed');
}

/** One commit with every file on top of the default branch, and the branch moved onto it. */
async function pushBranch(context: FixPrContext, desired: DesiredFixPr, mode: 'create' | 'update'): Promise<void> {
  const { session } = context;
  if (desired.files.length === 0) throw new RangeError(`fix branch ${desired.branch} has no files to commit: a fix pull request needs at least one edit`);
  for (const file of desired.files) {
    if (file.path === '' || file.path.startsWith('/') || file.path.split('/').includes('..')) throw new RangeError(`fix branch ${desired.branch}: "${file.path}" is not a repository-relative path`);
  }
  const base = await context.base();
  const tree = await session.request('POST /repos/{owner}/{repo}/git/trees', {
    base_tree: base.treeSha,
    tree: desired.files.map((file) => ({ path: file.path, mode: '100644', type: 'blob', content: file.content })),
  });
  const treeSha = shaOf(tree.data, 'tree');
  const commit = await session.request('POST /repos/{owner}/{repo}/git/commits', { message: desired.title, tree: treeSha, parents: [base.sha] });
  const sha = shaOf(commit.data, 'commit');
  const create = () => session.request('POST /repos/{owner}/{repo}/git/refs', { ref: `refs/heads/${desired.branch}`, sha });
  const move = () => session.request('PATCH /repos/{owner}/{repo}/git/refs/{+ref}', { ref: refPath(desired.branch), sha, force: true });
  // 422 on create: the branch is there (a stale one, or a run that stopped before its PR);
  // 422 on move: it is gone (deleted by hand). Either way the other call puts it right.
  try {
    await (mode === 'create' ? create() : move());
  } catch (error) {
    if ((error as { status?: number }).status !== 422) throw error;
    await (mode === 'create' ? move() : create());
  }
}

async function remember(context: FixPrContext, entry: FixPrEntry, pull: PullFacts, fingerprints: string[], action: 'created' | 'updated' | 'reopened' | 'closed'): Promise<void> {
  const { session, store } = context;
  session.report.fixPrs.push({ workspace: entry.workspace, direction: entry.direction, number: pull.number, url: pull.url, state: pull.state });
  session.report.links.push({ kind: 'pull-request', action, label: `Fix PR (${entry.direction}, ${entry.workspace}) (#${pull.number})`, url: pull.url });
  if (!store) return;
  try {
    await store.saveFixPr({ repo: session.repoKey, workspace: entry.workspace, direction: entry.direction, number: pull.number, state: pull.state, fingerprints, updatedAt: session.now().toISOString() });
  } catch (error) {
    session.fail('store', `fix PR #${pull.number}`, error);
  }
}

/** `heads/<branch>` with each segment escaped and the slashes kept, for `{+ref}` routes. */
export function refPath(branch: string): string {
  return `heads/${branch.split('/').map(encodeURIComponent).join('/')}`;
}

export async function readBaseCommit(session: GitHubSession, branch: string): Promise<BaseCommit> {
  const { data } = await session.request('GET /repos/{owner}/{repo}/branches/{+branch}', { branch: branch.split('/').map(encodeURIComponent).join('/') });
  const commit = (data as { commit?: { sha?: unknown; commit?: { tree?: { sha?: unknown } } } } | null)?.commit;
  if (typeof commit?.sha !== 'string' || typeof commit.commit?.tree?.sha !== 'string') throw new Error(`GitHub answered the default branch ${branch} without its head commit and tree`);
  return { sha: commit.sha, treeSha: commit.commit.tree.sha };
}

function shaOf(data: unknown, what: string): string {
  const sha = (data as { sha?: unknown } | null)?.sha;
  if (typeof sha !== 'string') throw new Error(`GitHub answered the new ${what} without its sha`);
  return sha;
}

function isAlreadyExists(error: unknown): boolean {
  const { status, message } = error as { status?: number; message?: string };
  return status === 422 && /already exists/i.test(message ?? '');
}
