// The app's reading of .github/driftwatch.yml: through Probot's config plugin (what context.config
// calls), so `_extends` and the organization's `.github` repository work as in every Probot app,
// merged as context.config merges, then validated by the one schema the CLI uses. A broken
// configuration comes back as problems naming the file, the line and the field, for the failed
// check run "driftwatch config"; a configuration that could not be fetched (GitHub down) throws.
import { locateIssues, describeProblems, type ConfigProblem, type ConfigText } from '../config/locate-issues.js';
import { mergeConfigs } from '../config/merge-configs.js';
import { CONFIG_PATH, validateRepoConfig, type RepoConfig } from '../config/repo-config.js';
import type { RepoName } from '../repository/types.js';
import type { FileSource } from '../terraform/file-source.js';
import type { GitHubClient } from './octokit.js';

export interface LoadRepoConfigOptions {
  octokit: GitHubClient;
  repo: RepoName;
  /** The commit the configuration is read at: pass the scanned commit's sha. */
  ref: string;
  /** The repository's tree at `ref`: the text of its own file, needed only for the line numbers
   * of an error, is read from it instead of another call. */
  files?: FileSource;
  /** Channel keys of the server's Slack webhooks (`settings.slack.channels`). */
  slackChannels: readonly string[];
}

export type RepoConfigLoad =
  | {
      ok: true;
      config: RepoConfig;
      /** A configuration file exists (the repository's, or its organization's `.github`). */
      found: boolean;
      /** Some file lists `workspaces`; when none does, the app finds them (discoverWorkspaces). */
      workspacesListed: boolean;
      /** The files read, the repository's own first ("owner/repo:path" for other repositories). */
      files: string[];
    }
  | {
      ok: false;
      /** One per problem: what the check run's text and annotations show. */
      errors: ConfigProblem[];
      /** Every problem, one per line, for the check run summary and logs. */
      message: string;
      files: string[];
    };

interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  url: string;
  config: Record<string, unknown> | null;
}

const PLUGIN = '[@probot/octokit-plugin-config]';

export async function loadRepoConfig(options: LoadRepoConfigOptions): Promise<RepoConfigLoad> {
  const { octokit, repo, ref } = options;
  let files: ConfigFile[];
  let merged: Record<string, unknown>;
  try {
    const got = await octokit.config.get({
      owner: repo.owner,
      repo: repo.name,
      path: CONFIG_PATH,
      branch: ref,
      defaults: (configs) => mergeConfigs(configs),
    });
    files = got.files;
    merged = got.config;
  } catch (error) {
    return pluginFailure(error, options);
  }
  const read = files.filter((file) => file.config !== null);
  const names = read.map((file) => displayName(file, repo));

  const missing = missingExtends(files, repo);
  if (missing) {
    const { from, target } = missing;
    const [located] = locateIssues([{ file: displayName(from, repo), text: await rawText(options, from) }], [
      { path: ['_extends'], message: `${displayName(target, repo)} does not exist, or driftwatch cannot read it: fix the _extends value, or install the app on ${target.owner}/${target.repo}` },
    ]);
    return failure([located!], names);
  }

  const validation = validateRepoConfig(merged, { slackChannels: options.slackChannels });
  if (!validation.ok) {
    // Merge order, as the problems are traced back through the merge: the base first.
    const texts: ConfigText[] = [];
    for (const file of [...read].reverse()) texts.push({ file: displayName(file, repo), text: await rawText(options, file) });
    if (texts.length === 0) texts.push({ file: CONFIG_PATH, text: null });
    return failure(locateIssues(texts, validation.issues), names);
  }
  return {
    ok: true,
    config: validation.config,
    found: read.length > 0,
    workspacesListed: read.some((file) => Object.hasOwn(file.config!, 'workspaces')),
    files: names,
  };
}

function failure(errors: ConfigProblem[], files: string[]): RepoConfigLoad {
  return { ok: false, errors, message: `The driftwatch configuration is not valid, so nothing was scanned. Fix it and push again:\n${describeProblems(errors)}`, files };
}

/**
 * The plugin reads a file it cannot find as no configuration. For the repository's own file (and
 * the organization's default in its place) that is right; for a file named by `_extends` it is a
 * mistake that would silently drop the settings it holds.
 */
function missingExtends(files: ConfigFile[], repo: RepoName): { from: ConfigFile; target: ConfigFile } | null {
  const own = files[0];
  const firstExtended = own?.config === null && repo.name !== '.github' ? 2 : 1;
  for (let index = firstExtended; index < files.length; index++) {
    if (files[index]!.config === null) return { from: files[index - 1]!, target: files[index]! };
  }
  return null;
}

/** The plugin's own errors are the configuration's fault and become problems; any other (a
 * GitHub error) is thrown for the caller to retry. */
async function pluginFailure(error: unknown, options: LoadRepoConfigOptions): Promise<RepoConfigLoad> {
  const message = error instanceof Error ? error.message : '';
  if (!message.startsWith(PLUGIN)) throw error;
  const { repo } = options;
  const fileAt = (url: string) => fileOfUrl(url) ?? { owner: repo.owner, repo: repo.name, path: CONFIG_PATH, url, config: null };

  const invalidYaml = /could not be parsed from (\S+) \(invalid YAML\)/.exec(message);
  if (invalidYaml) {
    const cause = (error as Error).cause as { message?: string; linePos?: { line: number }[] } | undefined;
    const reason = cause?.message?.split('\n')[0] ?? 'it could not be parsed';
    return failure([{ file: displayName(fileAt(invalidYaml[1]!), repo), line: cause?.linePos?.[0]?.line ?? null, field: null, message: `not valid YAML: ${reason}` }], []);
  }
  const notMap = /could not be parsed from (\S+) \(YAML is not an object\)/.exec(message);
  if (notMap) {
    return failure([{ file: displayName(fileAt(notMap[1]!), repo), line: 1, field: null, message: 'expected keys such as `workspaces:` and `fail_on:`, not a single value' }], []);
  }
  const badExtends = /Invalid value (.+) for _extends in (\S+)$/.exec(message);
  if (badExtends) {
    const file = fileAt(badExtends[2]!);
    const [located] = locateIssues([{ file: displayName(file, repo), text: await rawText(options, file) }], [
      { path: ['_extends'], message: `${badExtends[1]} is not a repository: write "repo", "owner/repo" or "owner/repo:path/to/file.yml"` },
    ]);
    return failure([located!], []);
  }
  const loop = /from (\S+) because (\S+) was already loaded/.exec(message);
  if (loop) {
    const file = fileAt(loop[1]!);
    const [located] = locateIssues([{ file: displayName(file, repo), text: await rawText(options, file) }], [
      { path: ['_extends'], message: `extends ${displayName(fileAt(loop[2]!), repo)}, which is already part of the chain: _extends must not loop` },
    ]);
    return failure([located!], []);
  }
  const notFile = /^\S+ (\S+) exists, but is either a directory or a submodule/.exec(message);
  if (notFile) {
    return failure([{ file: displayName(fileAt(notFile[1]!), repo), line: null, field: null, message: 'is a directory or a submodule, not a YAML file' }], []);
  }
  return failure([{ file: CONFIG_PATH, line: null, field: null, message: message.slice(PLUGIN.length).trim() }], []);
}

/** owner/repo/path of a contents API URL (github.com or GitHub Enterprise Server). */
function fileOfUrl(url: string): ConfigFile | null {
  const match = /\/repos\/([^/]+)\/([^/]+)\/contents\/([^?]+)/.exec(url);
  if (!match) return null;
  return { owner: decodeURIComponent(match[1]!), repo: decodeURIComponent(match[2]!), path: decodeURIComponent(match[3]!), url, config: null };
}

function isOwnFile(file: Pick<ConfigFile, 'owner' | 'repo' | 'path'>, repo: RepoName): boolean {
  return file.owner.toLowerCase() === repo.owner.toLowerCase() && file.repo.toLowerCase() === repo.name.toLowerCase() && file.path === CONFIG_PATH;
}

function displayName(file: Pick<ConfigFile, 'owner' | 'repo' | 'path'>, repo: RepoName): string {
  return isOwnFile(file, repo) ? CONFIG_PATH : `${file.owner}/${file.repo}:${file.path}`;
}

/** A file's YAML text for line numbers: the repository's own from its tree (no call), another
 * repository's through the contents API in the raw media type. Null when it cannot be had: the
 * problem is still reported, without a line. */
async function rawText(options: LoadRepoConfigOptions, file: Pick<ConfigFile, 'owner' | 'repo' | 'path'>): Promise<string | null> {
  const own = isOwnFile(file, options.repo);
  try {
    if (own && options.files) return await options.files.read(CONFIG_PATH);
    const response = await options.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: file.owner,
      repo: file.repo,
      path: file.path,
      mediaType: { format: 'raw' },
      ...(own ? { ref: options.ref } : {}),
    });
    return typeof response.data === 'string' ? response.data : null;
  } catch {
    return null;
  }
}
