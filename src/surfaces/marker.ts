// Hidden markers: every body the app writes ends with `<!-- driftwatch:{json} -->`, which finds
// the surface again (redeliveries, restarts and concurrent scans never duplicate it) and says what
// it was made from (the fingerprints), so a rescan that changed nothing writes nothing. A drift
// issue's marker also carries a search token: GitHub's issue search matches whole words, and JSON
// is not one.
import { createHash } from 'node:crypto';
import type { IssueIdentity, Marker } from './types.js';

const PREFIX = '<!-- driftwatch:';
const SUFFIX = ' -->';
const FOUND = /<!-- driftwatch:(\{.*?\})(?: dwkey-[0-9a-f]{20})? -->/s;

/** The marker as an HTML comment. JSON.stringify escapes nothing that could end the comment, so
 * `>` is written as \u003e and `--` never appears unescaped. */
export function formatMarker(marker: Marker): string {
  const json = JSON.stringify(marker).replace(/>/g, '\\u003e').replace(/--/g, '-\\u002d');
  const token = marker.kind === 'drift-issue' ? ` ${issueSearchToken(marker)}` : '';
  return `${PREFIX}${json}${token}${SUFFIX}`;
}

/** The marker in a body, or null when there is none or it is not one we can read (edited by hand,
 * cut off): such a body is not planned against. */
export function parseMarker(body: string | null | undefined): Marker | null {
  if (!body) return null;
  const match = FOUND.exec(body);
  if (!match?.[1]) return null;
  try {
    const value: unknown = JSON.parse(match[1]);
    if (value === null || typeof value !== 'object') return null;
    const kind = (value as { kind?: unknown }).kind;
    return kind === 'drift-issue' || kind === 'dashboard' || kind === 'fix-pr' ? (value as Marker) : null;
  } catch {
    return null;
  }
}

/** A word GitHub search can match: `dwkey-` and 20 hex digits of the identity's hash. */
export function issueSearchToken(identity: IssueIdentity): string {
  return `dwkey-${createHash('sha256').update(`${identity.workspace}\n${identity.resource}`).digest('hex').slice(0, 20)}`;
}

/** The body without its marker (for comparing content). */
export function withoutMarker(body: string): string {
  return body.replace(FOUND, '').trimEnd();
}
