// Defence in depth for the invariant "secrets in state never reach any output": the diff is
// expected to have masked sensitive attributes already, but a renderer must not be the place
// where one slips through, so values under a secret-like attribute name are masked again here.
import type { Change } from '../drift/types.js';

export const SENSITIVE_MARKER = '(sensitive)';

// `token(?!s)` keeps `metadata_options[0].http_tokens` (IMDSv2, a security drift worth seeing)
// readable while masking `auth_token`.
const SECRET_NAME = /password|passwd|passphrase|secret|private_?key|api_?key|token(?!s)/i;

export function isSecretPath(path: string): boolean {
  const segments = path.split(/[.[\]"]+/).filter((segment) => segment !== '' && !/^\d+$/.test(segment));
  const last = segments[segments.length - 1];
  return last !== undefined && SECRET_NAME.test(last);
}

/** The change with its values masked when its attribute name looks secret; absent stays absent. */
export function redactChange(change: Change): Change {
  if (!isSecretPath(change.path)) return change;
  return { path: change.path, declared: mask(change.declared), live: mask(change.live) };
}

function mask(value: unknown): unknown {
  return value === null || value === undefined ? null : SENSITIVE_MARKER;
}
