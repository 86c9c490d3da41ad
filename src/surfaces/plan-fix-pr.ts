// The one write a fix pull request needs, or none. Pure.
import { fitMarkdown } from './fit-markdown.js';
import { BODY_LIMIT } from './limits.js';
import { formatMarker, withoutMarker } from './marker.js';
import type { ActualFixPr, DesiredFixPr, FixPrMarker, FixPrWrite } from './types.js';

/**
 * - none, and one is wanted → create it;
 * - open, wanted with other files (patchHash) or by an older template → update it (force-push);
 *   the same → nothing;
 * - open, no longer wanted (its drifts are gone, or need no edit) → close it with a comment;
 * - closed by a person (its marker still open), or merged → nothing, unless its drifts changed
 *   (fingerprints): then update and reopen it, or, merged (GitHub reopens no merged pull
 *   request), create a new one;
 * - closed by the app (marker resolved), wanted again → update and reopen it.
 * A pull request on the branch without a readable marker is rewritten while open, left alone
 * when closed.
 */
export function planFixPr(input: { desired: DesiredFixPr | null; actual: ActualFixPr | null }): FixPrWrite | null {
  const { desired, actual } = input;
  if (actual === null) return desired === null ? null : { kind: 'create-fix-pr', desired };
  const marker = actual.marker;
  if (actual.state === 'open') {
    if (desired === null) return marker === null ? null : close(actual, marker);
    if (marker !== null && marker.patchHash === desired.marker.patchHash && marker.v === desired.marker.v && marker.state === 'open') return null;
    return { kind: 'update-fix-pr', number: actual.number, desired, reopen: false };
  }
  if (desired === null || marker === null) return null;
  if (!actual.merged && marker.state === 'resolved') return { kind: 'update-fix-pr', number: actual.number, desired, reopen: true };
  if (sameFingerprints(marker.fingerprints, desired.marker.fingerprints)) return null;
  return actual.merged ? { kind: 'create-fix-pr', desired } : { kind: 'update-fix-pr', number: actual.number, desired, reopen: true };
}

function close(actual: ActualFixPr, marker: FixPrMarker): FixPrWrite {
  const resolved: FixPrMarker = { ...marker, state: 'resolved' };
  const comment = `Closing: none of the drifts this pull request fixes needs it any more in \`${marker.workspace}\` (each was put right another way, or no longer needs an edit). driftwatch deletes its branch, and reopens this pull request if the drift comes back.`;
  const banner = '> [!NOTE]\n> Closed by driftwatch: the drifts below are gone.';
  const tail = `\n\n${formatMarker(resolved)}\n`;
  const previous = fitMarkdown(withoutMarker(actual.body), BODY_LIMIT - banner.length - 2 - tail.length, '_(The rest of the description was cut.)_');
  return { kind: 'close-fix-pr', number: actual.number, branch: actual.branch, body: `${banner}\n\n${previous}${tail}`, comment };
}

function sameFingerprints(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((value, index) => value === right[index]);
}
