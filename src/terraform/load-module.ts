// Reads a root module's configuration: its .tf, .tf.json and variable files, and the .tf/.tf.json
// files of every local module it calls, recursively — from the disk or a repository's tree (a
// FileSource). Everything downstream works on the returned texts.
import { posix } from 'node:path';
import { DriftwatchError } from '../errors.js';
import { diskFileSource } from './disk-file-source.js';
import type { FileSource } from './file-source.js';
import { isLocalSource, localModuleDir } from './hcl-module-dir.js';
import { moduleSources } from './hcl-module-sources.js';
import { loadTerraformParser } from './tree-sitter.js';
import type { SourceFile } from './types.js';

const ROOT_VARIABLE_FILE = /^(terraform\.tfvars(\.json)?|.+\.auto\.tfvars(\.json)?)$/;

/** Files of the root module dir and of the local modules it calls, paths relative to `rootDir`
 * (posix). `rootDir` is a path the source understands: on disk, relative to the working
 * directory or absolute; in a repository, relative to its root ('' or '.' for the root). */
export async function loadModuleFiles(rootDir: string, source: FileSource = diskFileSource()): Promise<SourceFile[]> {
  const root = posix.normalize(rootDir === '' ? '.' : rootDir.replaceAll('\\', '/'));
  if ((await source.list(root)) === null) {
    throw new DriftwatchError(
      'hcl',
      `${rootDir || '.'} is not a directory${onDisk(source) ? '' : ` in ${source.label}`}, so there is no Terraform configuration to read. ` +
        (onDisk(source) ? 'Pass the root module (the directory where you run `terraform plan`) with --dir <root module>.' : 'Point the workspace\'s dir at the root module (the directory where you run `terraform plan`).'),
    );
  }
  const parser = await loadTerraformParser();
  const files: SourceFile[] = [];
  const visited = new Set<string>();
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.shift()!;
    if (visited.has(dir)) continue;
    visited.add(dir);
    const absolute = dir === '' ? root : posix.join(root, dir);
    const names = await listFiles(source, absolute);
    if (names === null) continue;
    for (const name of names) {
      const isConfig = name.endsWith('.tf') || name.endsWith('.tf.json');
      if (!isConfig && !(dir === '' && ROOT_VARIABLE_FILE.test(name))) continue;
      const path = posix.relative(root, posix.join(absolute, name));
      const text = stripBom(await readText(source, posix.join(absolute, name), path));
      files.push({ path, text });
      if (!isConfig) continue;
      for (const source of moduleSources(name, text, parser)) {
        if (!isLocalSource(source)) continue;
        const child = localModuleDir(dir, source);
        if (!child.split('/').includes('.terraform')) pending.push(child);
      }
    }
  }
  if (!files.some((file) => file.path.endsWith('.tf') || file.path.endsWith('.tf.json'))) {
    throw new DriftwatchError(
      'hcl',
      `${rootDir || '.'} has no .tf or .tf.json files${onDisk(source) ? '' : ` in ${source.label}`}. ` +
        (onDisk(source) ? 'Pass the root module (the directory where you run `terraform plan`) with --dir <root module>.' : 'Point the workspace\'s dir at the root module (the directory where you run `terraform plan`).'),
    );
  }
  return files;
}

/** Regular files Terraform would read (symlinks followed), sorted; null when the directory does not exist. */
async function listFiles(source: FileSource, dir: string): Promise<string[] | null> {
  const entries = await source.list(dir);
  if (!entries) return null;
  return entries
    .filter((entry) => entry.kind === 'file' && !isIgnored(entry.name))
    .map((entry) => entry.name)
    .sort();
}

async function readText(source: FileSource, location: string, path: string): Promise<string> {
  let text: string | null;
  try {
    text = await source.read(location);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : 'an unknown error');
    throw new DriftwatchError('hcl', `Cannot read ${path} (${code}). Check that the file is readable by driftwatch.`, { cause: error });
  }
  // Listed a moment ago: gone now means it changed under us, which must not read as "no resources".
  if (text === null) throw new DriftwatchError('hcl', `${path} disappeared while the configuration was read; run the scan again.`);
  return text;
}

function onDisk(source: FileSource): boolean {
  return source.origin === 'disk';
}

/** Editor leftovers and hidden files, which Terraform also skips. */
function isIgnored(name: string): boolean {
  return name.startsWith('.') || name.startsWith('#') || name.endsWith('~');
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
