// Reads a state file from disk (`--state <file>`, or a local backend) or committed to the
// repository (a workspace's `state:` path, read at the scanned commit). Returns the text only:
// parseState parses it. The text holds secrets, so it never appears in an error or a log.
import { DriftwatchError } from '../errors.js';
import { diskFileSource } from './disk-file-source.js';
import type { FileSource } from './file-source.js';

export async function readLocalState(path: string, files: FileSource = diskFileSource()): Promise<{ text: string; source: string }> {
  let text: string | null;
  try {
    text = await files.read(path);
  } catch (error) {
    // The repository's reader says what failed and what to do (GitHub's answer); the --state
    // advice below is for a path on disk.
    if (files.origin === 'repository' && !(error as NodeJS.ErrnoException | null)?.code) {
      throw new DriftwatchError('backend', `cannot read the state file ${path} in ${files.label}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    throw localReadError(path, error);
  }
  if (text === null) {
    if (files.origin === 'repository') {
      throw new DriftwatchError('backend', `no state file at ${path} in ${files.label}: fix the workspace's state: path in .github/driftwatch.yml, or configure an s3 backend in the root module`);
    }
    throw localReadError(path, Object.assign(new Error('no such file'), { code: 'ENOENT' }));
  }
  if (text.trim().length === 0) {
    throw new DriftwatchError(
      'backend',
      `the state file at ${path} is empty: point --state at the terraform.tfstate Terraform wrote (terraform state pull > state.json gives one for any backend)`,
    );
  }
  return { text: stripBom(text), source: files.origin === 'repository' ? `${path} in ${files.label}` : path };
}

function localReadError(path: string, error: unknown): DriftwatchError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') {
    return new DriftwatchError(
      'backend',
      `no state file at ${path}: pass --state <file>, or configure an s3 backend in the root module`,
      { cause: error },
    );
  }
  if (code === 'EISDIR') {
    return new DriftwatchError(
      'backend',
      `${path} is a directory, not a state file: pass the file itself, e.g. --state ${joinPath(path, 'terraform.tfstate')}`,
      { cause: error },
    );
  }
  if (code === 'ENOTDIR') {
    return new DriftwatchError(
      'backend',
      `no state file at ${path}: a part of that path is a file, not a directory; check the --state path`,
      { cause: error },
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new DriftwatchError(
      'backend',
      `permission denied reading the state file at ${path}: let the user running driftwatch read it (chmod or chown), or pass another --state`,
      { cause: error },
    );
  }
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return new DriftwatchError('backend', `cannot read the state file at ${path} (${detail}): check the path passed to --state`, { cause: error });
}

/** Terraform writes no BOM, but an editor on Windows may add one, and JSON.parse rejects it. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}
