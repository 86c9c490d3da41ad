// The fake GitHub's state: users, installations, repositories (git objects, branches), issues and
// pull requests sharing one number sequence per repository, comments, reactions, labels, check
// runs, collaborator permissions. Tests change it directly (a person closes an issue, pushes a
// commit, opens a pull request) and read it back; the HTTP routes (routes.ts) go through it too.
import { GitError, GitStore } from './git-store.js';

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface FakeInstallation {
  id: number;
  account: string;
  /** owner/name of the repositories it may read and write. */
  repositories: string[];
}

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  reactions: { content: string; user: string; id: number }[];
}

export interface FakeIssue {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: string[];
  user: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** Set when the number belongs to a pull request. */
  pull?: FakePullFields;
}

export interface FakePullFields {
  head: string;
  /** The head commit when the pull request was opened or last synchronized. */
  headSha: string;
  base: string;
  mergedAt: string | null;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  externalId: string;
  startedAt: string | null;
  completedAt: string | null;
  title: string | null;
  summary: string | null;
  text: string | null;
  annotations: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  appId: number;
}

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface FakeRepository {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  git: GitStore;
  /** Branch name → commit sha. */
  branches: Map<string, string>;
  issues: Map<number, FakeIssue>;
  comments: FakeComment[];
  labels: FakeLabel[];
  checkRuns: FakeCheckRun[];
  collaborators: Map<string, Permission>;
  nextNumber: number;
}

export interface FakeApp {
  id: number;
  slug: string;
  name: string;
}

export const AUTHOR = { name: 'Dana Ops', email: 'dana@acme.example' };

export class FakeGitHub {
  readonly app: FakeApp;
  readonly users = new Map<string, FakeUser>();
  readonly installations = new Map<number, FakeInstallation>();
  readonly repositories = new Map<string, FakeRepository>();
  /** Installation tokens the fake issued → installation id. */
  readonly tokens = new Map<string, number>();
  /** What GET /search/issues sees: every issue (no lag), or the snapshot `indexSearch` took. */
  private searchSnapshot: Map<string, FakeIssue[]> | null = null;
  private ids = 1000;
  private readonly clock: () => Date;

  constructor(options: { app?: Partial<FakeApp>; now?: () => Date } = {}) {
    this.app = { id: 98765, slug: 'driftwatch', name: 'driftwatch', ...options.app };
    this.clock = options.now ?? (() => new Date());
    this.addUser(`${this.app.slug}[bot]`, 'Bot');
  }

  /** GitHub's timestamps: whole seconds, UTC, "Z". */
  now(): string {
    return this.clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  nextId(): number {
    return ++this.ids;
  }

  get botLogin(): string {
    return `${this.app.slug}[bot]`;
  }

  addUser(login: string, type: FakeUser['type'] = 'User'): FakeUser {
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const user: FakeUser = { login, id: 5000 + this.users.size * 7, type };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  user(login: string): FakeUser {
    return this.users.get(login.toLowerCase()) ?? this.addUser(login);
  }

  addInstallation(id: number, account: string, repositories: string[] = []): FakeInstallation {
    this.addUser(account, 'Organization');
    const installation: FakeInstallation = { id, account, repositories: [...repositories] };
    this.installations.set(id, installation);
    return installation;
  }

  /** A repository whose default branch holds `files` in one commit. */
  createRepository(fullName: string, files: Record<string, string>, options: { defaultBranch?: string; private?: boolean; installationId?: number; message?: string } = {}): FakeRepository {
    const [owner = '', name = ''] = fullName.split('/');
    if (!owner || !name) throw new Error(`"${fullName}" is not owner/name`);
    this.addUser(owner, 'Organization');
    const repository: FakeRepository = {
      id: 640000000 + this.repositories.size + 1,
      owner,
      name,
      private: options.private ?? true,
      defaultBranch: options.defaultBranch ?? 'main',
      git: new GitStore(),
      branches: new Map(),
      issues: new Map(),
      comments: [],
      labels: [],
      checkRuns: [],
      collaborators: new Map([[owner.toLowerCase(), 'admin']]),
      nextNumber: 1,
    };
    this.repositories.set(fullName.toLowerCase(), repository);
    const tree = repository.git.treeOfFiles(files);
    const commit = repository.git.writeCommit({ tree, parents: [], message: options.message ?? 'Initial commit', author: { ...AUTHOR, date: this.now() } });
    repository.branches.set(repository.defaultBranch, commit);
    if (options.installationId !== undefined) {
      const installation = this.installations.get(options.installationId);
      if (!installation) throw new Error(`no installation ${options.installationId}: addInstallation first`);
      installation.repositories.push(`${owner}/${name}`);
    }
    return repository;
  }

  repository(fullName: string): FakeRepository {
    const repository = this.repositories.get(fullName.toLowerCase());
    if (!repository) throw new Error(`no repository ${fullName} in the fake GitHub`);
    return repository;
  }

  findRepository(owner: string, name: string): FakeRepository | undefined {
    return this.repositories.get(`${owner}/${name}`.toLowerCase());
  }

  setPermission(fullName: string, login: string, permission: Permission): void {
    this.addUser(login);
    this.repository(fullName).collaborators.set(login.toLowerCase(), permission);
  }

  /** A commit on a branch (created from the default branch when missing): `changes` maps paths to
   * new text, or null to delete. Returns the commit and the paths added, modified and removed,
   * as a push payload lists them. */
  commit(fullName: string, changes: Record<string, string | null>, options: { branch?: string; message?: string } = {}): { sha: string; before: string; added: string[]; modified: string[]; removed: string[] } {
    const repository = this.repository(fullName);
    const branch = options.branch ?? repository.defaultBranch;
    const before = repository.branches.get(branch) ?? repository.branches.get(repository.defaultBranch)!;
    const parent = repository.git.commits.get(before)!;
    const existing = repository.git.flatten(parent.tree);
    const added: string[] = [];
    const modified: string[] = [];
    const removed: string[] = [];
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) {
        if (existing.has(path)) removed.push(path);
      } else if (existing.has(path)) modified.push(path);
      else added.push(path);
    }
    const tree = repository.git.applyWrites(
      parent.tree,
      Object.entries(changes).map(([path, content]) => (content === null ? { path, mode: '100644', type: 'blob' as const, sha: null } : { path, mode: '100644', type: 'blob' as const, content })),
    );
    const sha = repository.git.writeCommit({ tree, parents: [before], message: options.message ?? `Update ${Object.keys(changes).join(', ')}`, author: { ...AUTHOR, date: this.now() } });
    repository.branches.set(branch, sha);
    return { sha, before, added, modified, removed };
  }

  /** A commit sha for a branch name, a full sha, or a sha prefix of at least 7 characters. */
  resolveRef(repository: FakeRepository, ref: string): string | null {
    const name = ref.replace(/^refs\/heads\//, '').replace(/^heads\//, '');
    const branch = repository.branches.get(name);
    if (branch) return branch;
    if (/^[0-9a-f]{40}$/i.test(ref) && repository.git.commits.has(ref.toLowerCase())) return ref.toLowerCase();
    if (/^[0-9a-f]{7,39}$/i.test(ref)) {
      const found = [...repository.git.commits.keys()].filter((sha) => sha.startsWith(ref.toLowerCase()));
      if (found.length === 1) return found[0]!;
    }
    return null;
  }

  /** Files of a branch or commit. */
  files(fullName: string, ref?: string): Record<string, string> {
    const repository = this.repository(fullName);
    const sha = this.resolveRef(repository, ref ?? repository.defaultBranch);
    if (!sha) throw new Error(`no ref ${ref} in ${fullName}`);
    return repository.git.filesOf(sha);
  }

  // --- issues and pull requests -----------------------------------------------------------------

  createIssue(fullName: string, input: { title: string; body?: string | null; labels?: string[]; user: string }): FakeIssue {
    const repository = this.repository(fullName);
    for (const label of input.labels ?? []) this.ensureLabel(repository, label);
    const at = this.now();
    const issue: FakeIssue = {
      number: repository.nextNumber++,
      id: 2300000000 + this.nextId(),
      title: input.title,
      body: input.body ?? null,
      state: 'open',
      stateReason: null,
      labels: dedupe(input.labels ?? []),
      user: input.user,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedBy: null,
    };
    repository.issues.set(issue.number, issue);
    return issue;
  }

  /** An issue edit as PATCH issues/{n} makes it (by the app, or by a person in a test). */
  updateIssue(fullName: string, number: number, patch: { title?: string; body?: string | null; state?: 'open' | 'closed'; state_reason?: string | null; labels?: string[] }, by: string): FakeIssue {
    const repository = this.repository(fullName);
    const issue = repository.issues.get(number);
    if (!issue) throw new GitError(404, 'Not Found');
    if (patch.title !== undefined) issue.title = patch.title;
    if (patch.body !== undefined) issue.body = patch.body;
    if (patch.labels !== undefined) {
      for (const label of patch.labels) this.ensureLabel(repository, label);
      issue.labels = dedupe(patch.labels);
    }
    if (patch.state !== undefined && patch.state !== issue.state) {
      issue.state = patch.state;
      if (patch.state === 'closed') {
        issue.closedAt = this.now();
        issue.closedBy = by;
        issue.stateReason = (patch.state_reason as FakeIssue['stateReason']) ?? 'completed';
      } else {
        issue.closedAt = null;
        issue.closedBy = null;
        issue.stateReason = 'reopened';
      }
    } else if (patch.state_reason !== undefined && issue.state === 'closed') issue.stateReason = patch.state_reason as FakeIssue['stateReason'];
    issue.updatedAt = this.now();
    return issue;
  }

  addComment(fullName: string, number: number, body: string, user: string): FakeComment {
    const repository = this.repository(fullName);
    const issue = repository.issues.get(number);
    if (!issue) throw new GitError(404, 'Not Found');
    const at = this.now();
    const comment: FakeComment = { id: 1100000000 + this.nextId(), issueNumber: number, body, user, createdAt: at, updatedAt: at, reactions: [] };
    repository.comments.push(comment);
    issue.updatedAt = at;
    return comment;
  }

  commentsOf(fullName: string, number: number): FakeComment[] {
    return this.repository(fullName).comments.filter((comment) => comment.issueNumber === number);
  }

  /** A pull request from `head` into `base` (default: the default branch). */
  openPullRequest(fullName: string, input: { head: string; base?: string; title: string; body?: string | null; user: string }): FakeIssue {
    const repository = this.repository(fullName);
    const base = input.base ?? repository.defaultBranch;
    const headSha = repository.branches.get(input.head);
    if (!headSha) throw new GitError(422, 'Validation Failed: head does not exist');
    if (!repository.branches.has(base)) throw new GitError(422, 'Validation Failed: base does not exist');
    const open = [...repository.issues.values()].find((issue) => issue.pull && issue.state === 'open' && issue.pull.head === input.head && issue.pull.base === base);
    if (open) throw new GitError(422, `Validation Failed: A pull request already exists for ${repository.owner}:${input.head}.`);
    if (headSha === repository.branches.get(base)) throw new GitError(422, `Validation Failed: No commits between ${base} and ${input.head}`);
    const issue = this.createIssue(fullName, { title: input.title, body: input.body ?? null, user: input.user });
    issue.pull = { head: input.head, headSha, base, mergedAt: null };
    return issue;
  }

  pulls(fullName: string): FakeIssue[] {
    return [...this.repository(fullName).issues.values()].filter((issue) => issue.pull);
  }

  /** Drift issues and the dashboard: the app's issues, pull requests left out. */
  issues(fullName: string, filter: { state?: 'open' | 'closed' | 'all'; user?: string } = {}): FakeIssue[] {
    return [...this.repository(fullName).issues.values()].filter(
      (issue) => !issue.pull && (filter.state === undefined || filter.state === 'all' || issue.state === filter.state) && (filter.user === undefined || issue.user.toLowerCase() === filter.user.toLowerCase()),
    );
  }

  ensureLabel(repository: FakeRepository, name: string, style: { color?: string; description?: string | null } = {}): { label: FakeLabel; created: boolean } {
    const existing = repository.labels.find((label) => label.name.toLowerCase() === name.toLowerCase());
    if (existing) return { label: existing, created: false };
    const label: FakeLabel = { id: 208045946 + this.nextId(), name, color: style.color ?? 'ededed', description: style.description ?? null };
    repository.labels.push(label);
    return { label, created: true };
  }

  // --- search -------------------------------------------------------------------------------------

  /** Search lags behind writes from now on: it sees the issues as they are at this call, until
   * the next call (or `searchCatchesUp`). */
  indexSearch(): void {
    this.searchSnapshot = new Map([...this.repositories].map(([key, repository]) => [key, [...repository.issues.values()].map((issue) => ({ ...issue, labels: [...issue.labels] }))]));
  }

  /** Search sees every write at once again. */
  searchCatchesUp(): void {
    this.searchSnapshot = null;
  }

  searchable(repository: FakeRepository): FakeIssue[] {
    const key = `${repository.owner}/${repository.name}`.toLowerCase();
    if (this.searchSnapshot) return this.searchSnapshot.get(key) ?? [];
    return [...repository.issues.values()];
  }
}

function dedupe(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
