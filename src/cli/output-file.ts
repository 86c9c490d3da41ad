// Files the CLI writes (--output, --patch-file): checked before the scan, so a typo in a path
// does not cost a whole scan, and written with an error that says what to change.
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DriftwatchError } from '../errors.js';

/** Throws a usage error when `file` (as given to `flag`) cannot be written: no such directory,
 * or a directory in its place. */
export function checkOutputFile(flag: string, file: string, cwd: string): void {
  const target = path.resolve(cwd, file);
  const dir = path.dirname(target);
  const parent = statSync(dir, { throwIfNoEntry: false });
  if (parent === undefined) {
    throw new DriftwatchError('usage', `${flag} ${file}: the directory ${dir} does not exist. Create it first (mkdir -p ${dir}) or write the file somewhere else.`);
  }
  if (!parent.isDirectory()) throw new DriftwatchError('usage', `${flag} ${file}: ${dir} is a file, not a directory. Give a path inside an existing directory.`);
  if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    throw new DriftwatchError('usage', `${flag} ${file} is a directory: give a file name, for example ${path.join(file, 'drift.txt')}.`);
  }
}

/** Writes `text` to `file` (as given to `flag`); errors name the flag and what to do. */
export async function writeOutputFile(flag: string, file: string, text: string, cwd: string): Promise<void> {
  checkOutputFile(flag, file, cwd);
  try {
    await writeFile(path.resolve(cwd, file), text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new DriftwatchError('usage', `${flag} ${file}: no permission to write there. Choose a file in a directory you can write to.`);
    }
    throw new DriftwatchError('usage', `${flag} ${file} could not be written (${(error as Error).message}). Check the path and the space left on the disk.`);
  }
}
