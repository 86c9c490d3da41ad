// Repositories for the fake GitHub from a directory on disk (a real Terraform root module) or a
// file map, installed for an installation in one call.
import { readdir, readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { FakeGitHub, FakeRepository } from './model.js';

/** Every file under `dir`, keyed by `prefix/<relative path>`; `skip` leaves some out. */
export async function filesFromDirectory(dir: string, prefix = '', skip: (relative: string) => boolean = () => false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const relative = posix.relative(dir, posix.join(entry.parentPath, entry.name));
    if (skip(relative)) continue;
    out[prefix ? posix.join(prefix, relative) : relative] = await readFile(posix.join(dir, relative), 'utf8');
  }
  return out;
}

export interface SeedOptions {
  installationId: number;
  /** The installation's account, when the installation is new. */
  account?: string;
  defaultBranch?: string;
  /** Logins and their permission on the repository. */
  collaborators?: Record<string, 'admin' | 'maintain' | 'write' | 'triage' | 'read'>;
}

/** A repository holding `files` on its default branch, visible to the installation. */
export function seedRepository(github: FakeGitHub, fullName: string, files: Record<string, string>, options: SeedOptions): FakeRepository {
  if (!github.installations.has(options.installationId)) github.addInstallation(options.installationId, options.account ?? fullName.split('/')[0]!);
  const repository = github.createRepository(fullName, files, { installationId: options.installationId, ...(options.defaultBranch ? { defaultBranch: options.defaultBranch } : {}) });
  for (const [login, permission] of Object.entries(options.collaborators ?? {})) github.setPermission(fullName, login, permission);
  return repository;
}
