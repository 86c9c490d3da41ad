// Which workspace a CLI run scans, and how: from the repository config (.github/driftwatch.yml)
// when there is one, else from --dir alone. Also the ignore rules that apply to it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseRepoConfig, workspaceWithDefaults, type RepoConfig, type WorkspaceConfig } from '../config/repo-config.js';
import { ignoreRulesFromList, parseIgnoreRules, type IgnoreRule } from '../drift/ignore.js';
import { DriftwatchError } from '../errors.js';
import { readTextFile } from '../read-text-file.js';
import type { WorkspaceSource } from '../scan.js';

export interface SelectedWorkspace {
  config: RepoConfig;
  /** Where workspace dirs are relative to. */
  root: string;
  workspace: WorkspaceConfig;
  others: WorkspaceSource[];
  ignore: IgnoreRule[];
}

export const DEFAULT_CONFIG = '.github/driftwatch.yml';

export async function loadWorkspace(options: { cwd: string; config?: string; workspace?: string; dir?: string; ignoreFile?: string }): Promise<SelectedWorkspace> {
  const configPath = options.config ? path.resolve(options.cwd, options.config) : path.resolve(options.cwd, DEFAULT_CONFIG);
  const hasConfig = options.config !== undefined || existsSync(configPath);
  const config = hasConfig ? parseRepoConfig(await readTextFile(configPath, 'config'), path.relative(options.cwd, configPath) || configPath) : parseRepoConfig('', 'defaults');
  const configDir = path.dirname(configPath);
  const root = hasConfig ? (path.basename(configDir) === '.github' ? path.dirname(configDir) : configDir) : options.cwd;

  const workspace = pick(config, hasConfig, root, options);
  const others = hasConfig
    ? config.workspaces
        .filter((w) => w.name !== workspace.name)
        .map((w) => ({ dir: path.resolve(root, w.dir), state: w.state, terraformWorkspace: w.terraform_workspace }))
    : [];

  const ignore: IgnoreRule[] = [];
  const dir = path.resolve(root, workspace.dir);
  for (const candidate of new Set([path.join(root, '.driftignore'), path.join(dir, '.driftignore')])) {
    if (existsSync(candidate)) ignore.push(...parseIgnoreRules(await readTextFile(candidate, 'config'), path.relative(options.cwd, candidate)));
  }
  if (config.ignore.length > 0) ignore.push(...ignoreRulesFromList(config.ignore, `${DEFAULT_CONFIG} ignore`));
  if (options.ignoreFile) ignore.push(...parseIgnoreRules(await readTextFile(path.resolve(options.cwd, options.ignoreFile), 'config'), options.ignoreFile));
  return { config, root, workspace: { ...workspace, dir }, others, ignore };
}

function pick(config: RepoConfig, hasConfig: boolean, root: string, options: { cwd: string; workspace?: string; dir?: string }): WorkspaceConfig {
  if (options.workspace) {
    const found = config.workspaces.find((w) => w.name === options.workspace);
    if (found) return found;
    const names = config.workspaces.map((w) => w.name).join(', ');
    throw new DriftwatchError('usage', hasConfig ? `no workspace "${options.workspace}" in ${DEFAULT_CONFIG}; it has: ${names}` : `--workspace ${options.workspace} needs a ${DEFAULT_CONFIG} that lists it (or use --dir)`);
  }
  if (options.dir) {
    const dir = path.resolve(options.cwd, options.dir);
    const found = config.workspaces.find((w) => path.resolve(root, w.dir) === dir);
    if (found && hasConfig) return found;
    const name = path.basename(dir).replace(/[^A-Za-z0-9_.-]/g, '-') || 'default';
    return workspaceWithDefaults({ name, dir });
  }
  if (config.workspaces.length === 1) return config.workspaces[0]!;
  throw new DriftwatchError('usage', `${DEFAULT_CONFIG} lists ${config.workspaces.length} workspaces (${config.workspaces.map((w) => w.name).join(', ')}): pick one with --workspace <name>`);
}
