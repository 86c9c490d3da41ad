// The one diff text of a drift's patch, as the JSON report carries it and Markdown shows it.
import type { DriftPatch } from '../patch/types.js';

/** Every file diff of the patch, concatenated; each ends with a newline so they never run into
 * each other. '' when the patch edits nothing. */
export function patchDiff(patch: DriftPatch): string {
  return patch.files.map((file) => (file.diff === '' || file.diff.endsWith('\n') ? file.diff : `${file.diff}\n`)).join('');
}
