// Errors a user can act on. The message says what is wrong and what to do about it; the CLI
// prints it without a stack trace and exits 2, the app logs it and reports it where the scan was
// asked for.

export type ErrorCode =
  | 'state'
  | 'hcl'
  | 'config'
  | 'inventory'
  | 'aws'
  | 'backend'
  | 'usage';

export class DriftwatchError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DriftwatchError';
    this.code = code;
  }
}

export function isDriftwatchError(error: unknown): error is DriftwatchError {
  return error instanceof DriftwatchError;
}
