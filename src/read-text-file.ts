// Reading a file the user pointed at, with an error that says which file and why.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DriftwatchError, type ErrorCode } from './errors.js';

export async function readTextFile(file: string, code: ErrorCode): Promise<string> {
  try {
    return await readFile(path.resolve(file), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new DriftwatchError(code, `cannot read ${file}: ${reason}`);
  }
}
