// Which workspaces a push or a pull request touched, from the paths it changed: those whose
// configuration (the root module and the local modules it calls), variable files or committed
// state changed, and every one when the driftwatch configuration or the repository's
// .driftignore did. Pure: the caller passes what each workspace reads.
import { posix } from 'node:path';
import { CONFIG_PATH } from '../config/repo-config.js';

export interface WorkspaceFiles {
  name: string;
  /** Root module directory, repository-relative ('' or '.' for the root). */
  dir: string;
  /** The paths loadModuleFiles gave, relative to the root module ("main.tf",
   * "../modules/network/main.tf"). Empty when the configuration could not be read: then any
   * change under `dir` touches it. */
  files: readonly string[];
  /** A state committed to the repository (repository-relative) that the workspace reads. */
  statePath?: string | null;
}

const CONFIG_FILE = /\.tf(\.json)?$/;
const ROOT_VARIABLE_FILE = /^(terraform\.tfvars(\.json)?|.+\.auto\.tfvars(\.json)?)$/;

/** Names of the touched workspaces, in the order given. */
export function touchedWorkspaces(changedPaths: readonly string[], workspaces: readonly WorkspaceFiles[]): string[] {
  const changed = changedPaths.map(clean);
  if (changed.some((path) => path === CONFIG_PATH || path === '.driftignore')) return workspaces.map((workspace) => workspace.name);
  return workspaces.filter((workspace) => isTouched(changed, workspace)).map((workspace) => workspace.name);
}

function isTouched(changed: string[], workspace: WorkspaceFiles): boolean {
  const root = clean(workspace.dir);
  const files = new Set(workspace.files.map((file) => clean(posix.join(root, file))));
  // A file added to or removed from a module directory changes the module, though no list of
  // files read at one commit names it.
  const moduleDirs = new Set([root, ...[...files].map(parentOf)]);
  const state = workspace.statePath ? clean(workspace.statePath) : null;
  return changed.some((path) => {
    if (files.has(path) || path === state) return true;
    const dir = parentOf(path);
    const name = posix.basename(path);
    if (moduleDirs.has(dir) && CONFIG_FILE.test(name)) return true;
    if (dir === root && (ROOT_VARIABLE_FILE.test(name) || name === '.driftignore')) return true;
    return workspace.files.length === 0 && (root === '' || path.startsWith(`${root}/`));
  });
}

function clean(path: string): string {
  const normalized = posix.normalize(path.replaceAll('\\', '/')).replace(/\/+$/, '');
  return normalized === '.' ? '' : normalized;
}

function parentOf(path: string): string {
  const parent = posix.dirname(path);
  return parent === '.' ? '' : parent;
}
