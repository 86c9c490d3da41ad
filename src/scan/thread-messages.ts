// What the app's process and its scan threads say to each other (scan-pool.ts, scan-thread.ts).
// Everything crosses by structured clone: plain data only, and errors as their parts, so that a
// user's error (DriftwatchError, with its code) stays one on the other side and a file that
// cannot be read is never taken for an absent one.
import type { AwsSettings } from '../aws/settings.js';
import { DriftwatchError, isDriftwatchError, type ErrorCode } from '../errors.js';
import type { ScanWorkspaceInput } from '../repository/scan-workspace.js';
import type { WorkspaceReport } from '../repository/types.js';
import type { FileEntry, FileSource } from '../terraform/file-source.js';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** DriftwatchError's code ('state', 'aws', …) when `driftwatch`, else an errno-style code. */
  code?: string;
  driftwatch: boolean;
}

/** The app → a thread: scan this workspace. The files stay in the app (they are read from
 * GitHub through its client): the thread asks for each one it needs. */
export interface ScanMessage {
  type: 'scan';
  id: number;
  input: Omit<ScanWorkspaceInput, 'files'> & { files: Pick<FileSource, 'origin' | 'label'> };
  awsSettings: AwsSettings;
  defaultRegion: string;
  /** The app's clock minus the thread's, so reports carry the app's time. */
  clockOffsetMs: number;
}

/** The app → a thread: the answer to a FileRequest. */
export type FileAnswer = { type: 'file'; call: number } & ({ ok: true; value: FileEntry[] | string | null } | { ok: false; error: SerializedError });

export type ToThread = ScanMessage | FileAnswer;

/** A thread → the app: list a directory or read a file of the scan's FileSource. */
export interface FileRequest {
  type: 'file';
  id: number;
  call: number;
  op: 'list' | 'read';
  path: string;
}

export type FromThread =
  | FileRequest
  /** A bug met while scanning (scanWorkspace's onUnexpectedError): the app logs it. */
  | { type: 'unexpected'; id: number; error: SerializedError }
  | { type: 'done'; id: number; report: WorkspaceReport };

export function serializeError(error: unknown): SerializedError {
  if (isDriftwatchError(error)) return { name: error.name, message: error.message, stack: error.stack, code: error.code, driftwatch: true };
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { name: error.name, message: error.message, stack: error.stack, ...(typeof code === 'string' ? { code } : {}), driftwatch: false };
  }
  return { name: 'Error', message: String(error), driftwatch: false };
}

export function deserializeError(serialized: SerializedError): Error {
  const error = serialized.driftwatch
    ? new DriftwatchError(serialized.code as ErrorCode, serialized.message)
    : Object.assign(new Error(serialized.message), serialized.code === undefined ? {} : { code: serialized.code });
  if (!serialized.driftwatch) error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}
