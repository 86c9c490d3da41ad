// Reads a root module's configuration from disk: its .tf, .tf.json and variable files, and
// the .tf/.tf.json files of every local module it calls, recursively. The only I/O of the
// terraform core; everything downstream works on the returned texts.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { DriftwatchError } from '../errors.js';
import { isLocalSource, localModuleDir } from './hcl-module-dir.js';
import { moduleSources } from './hcl-module-sources.js';
import { loadTerraformParser } from './tree-sitter.js';
import type { SourceFile } from './types.js';

const ROOT_VARIABLE_FILE = /^(terraform\.tfvars(\.json)?|.+\.auto\.tfvars(\.json)?)$/;

/** Files of the root module dir and of the local modules it calls, paths relative to `rootDir`. */
export async function loadModuleFiles(rootDir: string): Promise<SourceFile[]> {
  const root = resolve(rootDir);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) {
    throw new DriftwatchError(
      'hcl',
      `${rootDir} is not a directory, so there is no Terraform configuration to read. ` +
        'Pass the root module (the directory where you run `terraform plan`) with --dir <root module>.',
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
    const absolute = dir === '' ? root : resolve(root, dir);
    const names = await listFiles(absolute);
    if (names === null) continue;
    for (const name of names) {
      const isConfig = name.endsWith('.tf') || name.endsWith('.tf.json');
      if (!isConfig && !(dir === '' && ROOT_VARIABLE_FILE.test(name))) continue;
      const path = toPosix(relative(root, join(absolute, name)));
      const text = stripBom(await readText(join(absolute, name), path));
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
      `${rootDir} has no .tf or .tf.json files. Pass the root module (the directory where you run ` +
        '`terraform plan`) with --dir <root module>.',
    );
  }
  return files;
}

/** Regular files Terraform would read (symlinks followed), sorted; null when the directory does not exist. */
async function listFiles(dir: string): Promise<string[] | null> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
  if (!entries) return null;
  const names: string[] = [];
  for (const entry of entries) {
    if (isIgnored(entry.name)) continue;
    const isFile = entry.isSymbolicLink()
      ? ((await stat(join(dir, entry.name)).catch(() => null))?.isFile() ?? false)
      : entry.isFile();
    if (isFile) names.push(entry.name);
  }
  return names.sort();
}

async function readText(absolute: string, path: string): Promise<string> {
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an unknown error';
    throw new DriftwatchError('hcl', `Cannot read ${path} (${code}). Check that the file is readable by driftwatch.`, { cause: error });
  }
}

/** Editor leftovers and hidden files, which Terraform also skips. */
function isIgnored(name: string): boolean {
  return name.startsWith('.') || name.startsWith('#') || name.endsWith('~');
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
