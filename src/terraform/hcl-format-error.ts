// One line per configuration error, in the `file:line:column: message` form editors and CI logs
// turn into links.
import type { HclError } from './types.js';

export function formatHclError(error: HclError): string {
  return `${error.file}:${error.line}:${error.column}: ${error.message}`;
}
