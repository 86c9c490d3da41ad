// The workspaces of a repository that has no `workspaces` in its configuration: every root
// module, found on its own. A directory is a root module when one of its .tf/.tf.json files has a
// `backend` (or `cloud`) block — what `terraform init` needs to find the state — or when a
// terraform.tfstate is committed beside its .tf files (the local backend). Child modules have
// neither, so they are not mistaken for roots.
//
// Each becomes a workspace named after its directory (infra/prod → "prod"); directories with the
// same name take their parents' names too (aws/prod → "aws-prod", gcp/prod → "gcp-prod"), the
// repository root takes the repository's name. When no directory qualifies but the repository
// root has .tf files, the root is the one workspace, as the CLI scans it without a config: its
// state is then looked for where Terraform's local backend keeps it.
import { workspaceWithDefaults, type WorkspaceConfig } from '../config/repo-config.js';
import type { FileSource } from '../terraform/file-source.js';
import { readBackend } from '../terraform/hcl-backend.js';
import { parseHclFile, type ParsedHclFile } from '../terraform/hcl-file.js';
import { parseHclJsonFile } from '../terraform/hcl-json-file.js';
import { loadTerraformParser } from '../terraform/tree-sitter.js';

export interface DiscoveredWorkspace {
  workspace: WorkspaceConfig;
  /** Why it is a root module, for the dashboard: "backend \"s3\" in infra/prod/backend.tf:1". */
  evidence: string;
}

export interface Discovery {
  workspaces: DiscoveredWorkspace[];
  /** Files that may hold a backend block but do not parse: their directory could not be
   * classified. "infra/prod/backend.tf:3: …" */
  unreadable: string[];
}

/** Directories that hold someone else's code or tool state, never a root module of this
 * repository (hidden directories such as .terraform and .git are skipped too). */
const SKIPPED_DIRS = new Set(['node_modules', 'vendor', 'vendored', 'third_party']);
const CONFIG_FILE = /^[^.#].*\.tf(\.json)?$/;
/** Where a backend block usually is: read first, so a root module's other files need not be. */
const LIKELY = ['backend.tf', 'terraform.tf', 'versions.tf', 'main.tf', 'providers.tf', 'provider.tf', 'backend.tf.json', 'main.tf.json'];

export async function discoverWorkspaces(files: FileSource, repositoryName: string): Promise<Discovery> {
  const dirs = await terraformDirs(files);
  const unreadable: string[] = [];
  const roots = (await Promise.all(dirs.map(async (dir) => ({ dir: dir.path, evidence: await rootEvidence(files, dir, unreadable) })))).filter(
    (found): found is { dir: string; evidence: string } => found.evidence !== null,
  );
  if (roots.length === 0 && dirs.some((dir) => dir.path === '')) {
    roots.push({ dir: '', evidence: 'the repository root has .tf files and no directory has a backend block' });
  }
  const names = uniqueNames(roots.map((root) => root.dir), repositoryName);
  return {
    workspaces: roots.map((root, index) => ({ workspace: workspaceWithDefaults({ name: names[index]!, dir: root.dir === '' ? '.' : root.dir }), evidence: root.evidence })),
    unreadable: unreadable.sort(),
  };
}

interface TerraformDir {
  path: string;
  configFiles: string[];
  hasState: boolean;
}

/** Every directory with .tf/.tf.json files, sorted by path. */
async function terraformDirs(files: FileSource): Promise<TerraformDir[]> {
  const found: TerraformDir[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await files.list(dir === '' ? '.' : dir)) ?? [];
    const configFiles = entries.filter((entry) => entry.kind === 'file' && CONFIG_FILE.test(entry.name)).map((entry) => entry.name);
    if (configFiles.length > 0) found.push({ path: dir, configFiles, hasState: entries.some((entry) => entry.kind === 'file' && entry.name === 'terraform.tfstate') });
    const children = entries.filter((entry) => entry.kind === 'dir' && !entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name));
    await Promise.all(children.map((child) => walk(dir === '' ? child.name : `${dir}/${child.name}`)));
  };
  await walk('');
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function rootEvidence(files: FileSource, dir: TerraformDir, unreadable: string[]): Promise<string | null> {
  const path = (name: string) => (dir.path === '' ? name : `${dir.path}/${name}`);
  const ordered = [...dir.configFiles].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const parser = await loadTerraformParser();
  for (const name of ordered) {
    const text = await files.read(path(name));
    // Listed a moment ago: gone now means the tree changed under us, not "no backend".
    if (text === null) throw new Error(`${path(name)} disappeared while ${files.label} was read; run the scan again.`);
    if (!/\b(backend|cloud)\b/.test(text)) continue;
    const parsed: ParsedHclFile = name.endsWith('.json') ? parseHclJsonFile(path(name), text) : parseHclFile(path(name), text, parser);
    for (const error of parsed.errors) unreadable.push(`${error.file}:${error.line}: ${error.message}`);
    for (const block of parsed.blocks) {
      if (block.type !== 'terraform') continue;
      const backend = readBackend(block, path(name));
      if (backend) return `${backend.type === 'cloud' ? 'cloud block' : `backend "${backend.type}"`} in ${backend.file}:${backend.startLine}`;
    }
  }
  return dir.hasState ? `${path('terraform.tfstate')} committed beside the configuration` : null;
}

function rank(name: string): number {
  const index = LIKELY.indexOf(name);
  return index === -1 ? LIKELY.length : index;
}

/**
 * A name per directory, deterministic whatever the order they were found in: the directory's
 * own name, with as many parent names as it takes to tell it from the others ("aws-prod"), and
 * a number as the last resort ("a-b" from a/b and a-b).
 */
function uniqueNames(dirs: string[], repositoryName: string): string[] {
  const segments = dirs.map((dir) => (dir === '' ? [] : dir.split('/')));
  const depth = dirs.map(() => 1);
  const nameOf = (index: number) => {
    const parts = segments[index]!;
    return sanitize(parts.length === 0 ? repositoryName : parts.slice(-depth[index]!).join('-'));
  };
  for (;;) {
    const groups = new Map<string, number[]>();
    dirs.forEach((_, index) => groups.set(nameOf(index), [...(groups.get(nameOf(index)) ?? []), index]));
    let grew = false;
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      for (const index of members) {
        if (depth[index]! < segments[index]!.length) {
          depth[index]!++;
          grew = true;
        }
      }
    }
    if (!grew) break;
  }
  const names = dirs.map((_, index) => nameOf(index));
  const taken = new Map<string, number>();
  const sortedIndexes = dirs.map((_, index) => index).sort((a, b) => (dirs[a]! < dirs[b]! ? -1 : 1));
  const out = [...names];
  for (const index of sortedIndexes) {
    const name = names[index]!;
    const count = (taken.get(name) ?? 0) + 1;
    taken.set(name, count);
    if (count > 1) out[index] = `${name}-${count}`;
  }
  return out;
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '-') || 'default';
}
