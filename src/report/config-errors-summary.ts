// How many configuration errors, in which files: the same words in every status line.
import type { ConfigError } from './types.js';

/** The files the errors are in, in order of first error, each once. */
export function configErrorFiles(errors: readonly ConfigError[]): string[] {
  return [...new Set(errors.map((error) => error.file))];
}

/** "3 errors in dns.tf.json, security.tf" (at most three names, else "in 4 files"); `name`
 * formats a file name for the output (a code span in Markdown). */
export function configErrorsSummary(errors: readonly ConfigError[], name: (file: string) => string = (file) => file): string {
  const files = configErrorFiles(errors);
  const where = files.length <= 3 ? files.map(name).join(', ') : `${files.length} files`;
  return `${errors.length} ${errors.length === 1 ? 'error' : 'errors'} in ${where}`;
}

/** What a configuration error costs the scan, and what to do. */
export const CONFIG_ERRORS_EFFECT =
  'resources written in what these errors cover have no location or patch, and a provider or backend written there is unknown. Fix them and scan again.';
