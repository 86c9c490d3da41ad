import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DriftwatchError } from '../../src/errors.js';
import { readLocalState } from '../../src/terraform/backend-file.js';

// Tests run as root in CI containers, where chmod 000 blocks nothing: files named *.denied-<CODE>
// fail the way Node fails a read without permission; every other path reads the real file.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const readFileOrDeny = (async (path: Parameters<typeof actual.readFile>[0], options?: Parameters<typeof actual.readFile>[1]) => {
    const match = /\.denied-(EACCES|EPERM)$/.exec(String(path));
    if (match) {
      const code = match[1];
      throw Object.assign(new Error(`${code}: ${code === 'EACCES' ? 'permission denied' : 'operation not permitted'}, open '${String(path)}'`), {
        errno: code === 'EACCES' ? -13 : -1,
        code,
        syscall: 'open',
        path: String(path),
      });
    }
    return actual.readFile(path, options);
  }) as typeof actual.readFile;
  return { ...actual, readFile: readFileOrDeny };
});

const FIXTURE = new URL('../fixtures/real-provider/legacy-inline/terraform.tfstate', import.meta.url);

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftwatch-backend-file-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function backendError(promise: Promise<unknown>): Promise<DriftwatchError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DriftwatchError);
  expect((error as DriftwatchError).code).toBe('backend');
  return error as DriftwatchError;
}

describe('readLocalState', () => {
  it('returns the file text and its path as the source', async () => {
    const path = FIXTURE.pathname;
    const result = await readLocalState(path);

    expect(result).toEqual({ text: await readFile(FIXTURE, 'utf8'), source: path });
  });

  it('drops a byte order mark an editor added', async () => {
    const path = join(dir, 'terraform.tfstate');
    await writeFile(path, '\ufeff{"version": 4, "serial": 1}');

    const result = await readLocalState(path);

    expect(result.text).toBe('{"version": 4, "serial": 1}');
  });

  it('says how to point at a state when the file does not exist', async () => {
    const path = join(dir, 'terraform.tfstate');

    const error = await backendError(readLocalState(path));

    expect(error.message).toBe(`no state file at ${path}: pass --state <file>, or configure an s3 backend in the root module`);
  });

  it('says to pass the file when given a directory', async () => {
    const error = await backendError(readLocalState(dir));

    expect(error.message).toBe(`${dir} is a directory, not a state file: pass the file itself, e.g. --state ${dir}/terraform.tfstate`);
  });

  it('reports a path through a file', async () => {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, '{}');

    const error = await backendError(readLocalState(join(file, 'terraform.tfstate')));

    expect(error.message).toContain('a part of that path is a file, not a directory');
  });

  it.each(['EACCES', 'EPERM'])('says how to fix a permission error (%s)', async (code) => {
    const path = join(dir, `terraform.tfstate.denied-${code}`);

    const error = await backendError(readLocalState(path));

    expect(error.message).toBe(
      `permission denied reading the state file at ${path}: let the user running driftwatch read it (chmod or chown), or pass another --state`,
    );
  });

  it('rejects an empty file without showing its content', async () => {
    const path = join(dir, 'terraform.tfstate');
    await writeFile(path, '\n  \n');

    const error = await backendError(readLocalState(path));

    expect(error.message).toContain(`the state file at ${path} is empty`);
  });
});
