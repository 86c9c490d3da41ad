// Every repository the app is installed on, with its configuration and workspaces: what the
// schedules are made of. Listed as the app (installations), then as each installation
// (repositories, and each one's configuration at its default branch). One listing serves every
// schedule provider of a sync; a repository whose configuration is invalid or unreadable offers
// no schedule (its failed check run says why) and the others go on.
import type { RepoConfig, WorkspaceConfig } from '../config/repo-config.js';
import { loadRepoConfig } from '../github/load-repo-config.js';
import type { GitHubClient } from '../github/octokit.js';
import type { RepoReader } from '../github/repo-reader.js';
import { treeFileSource } from '../github/tree-file-source.js';
import type { JobLogger } from '../jobs/types.js';
import { discoverWorkspaces } from './discover-workspaces.js';
import type { RepoName } from './types.js';

export interface CatalogEntry {
  installationId: number;
  repo: RepoName;
  defaultBranch: string;
  htmlUrl: string;
  config: RepoConfig;
  workspaces: WorkspaceConfig[];
}

export interface CatalogDependencies {
  /** The app's own client (JWT): lists installations. */
  appOctokit(): Promise<GitHubClient>;
  octokit(installationId: number): Promise<GitHubClient>;
  reader: RepoReader;
  slackChannels: readonly string[];
  log: JobLogger;
}

export interface RepositoryCatalog {
  /** Every configured repository, listed at most once per `maxAgeMs` (one sync asks twice). */
  list(): Promise<CatalogEntry[]>;
  /** One repository, fresh (a briefing reads its config when it runs). */
  find(installationId: number, repo: RepoName): Promise<CatalogEntry | null>;
}

export function createRepositoryCatalog(deps: CatalogDependencies, maxAgeMs = 60_000): RepositoryCatalog {
  let cached: { at: number; entries: Promise<CatalogEntry[]> } | null = null;

  async function entryFor(octokit: GitHubClient, installationId: number, repository: { name: string; owner: { login: string }; default_branch?: string; html_url: string; archived?: boolean }): Promise<CatalogEntry | null> {
    const repo = { owner: repository.owner.login, name: repository.name };
    if (repository.archived) return null;
    const defaultBranch = repository.default_branch ?? 'main';
    const tree = await deps.reader.readTree(octokit, repo, defaultBranch);
    const files = treeFileSource(tree);
    const load = await loadRepoConfig({ octokit, repo, ref: tree.commitSha, files, slackChannels: deps.slackChannels });
    if (!load.ok) return null;
    const workspaces = load.workspacesListed ? load.config.workspaces : (await discoverWorkspaces(files, repo.name)).workspaces.map((found) => found.workspace);
    return { installationId, repo, defaultBranch, htmlUrl: repository.html_url, config: load.config, workspaces };
  }

  async function listAll(): Promise<CatalogEntry[]> {
    const app = await deps.appOctokit();
    const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
    const entries: CatalogEntry[] = [];
    for (const installation of installations) {
      if (installation.suspended_at) continue;
      const octokit = await deps.octokit(installation.id);
      const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
      for (const repository of repositories) {
        try {
          const entry = await entryFor(octokit, installation.id, repository);
          if (entry) entries.push(entry);
        } catch (error) {
          const status = (error as { status?: number }).status;
          // Gone or no longer readable: it offers no schedule. Anything else (GitHub down) fails the
          // listing, and the scheduler keeps every schedule it had until the next sync.
          if (status !== 404 && status !== 403) throw error;
          deps.log.warn({ repo: repository.full_name, status }, 'a repository could not be read for its schedules; it has none until it can');
        }
      }
    }
    return entries;
  }

  return {
    list() {
      if (!cached || Date.now() - cached.at > maxAgeMs) {
        const entries = listAll();
        cached = { at: Date.now(), entries };
        entries.catch(() => (cached = null));
      }
      return cached.entries;
    },
    async find(installationId, repo) {
      const octokit = await deps.octokit(installationId);
      const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
      return entryFor(octokit, installationId, data);
    },
  };
}
