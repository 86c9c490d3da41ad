// The fewest issue writes that make GitHub hold the desired drift issues. Pure: desired, actual
// (found by marker) and what this scan may resolve in; IssueWrite[] out. A rescan of an unchanged
// account plans nothing.
import { escapeMarkdown } from '../report/escape-markdown.js';
import { fitMarkdown } from './fit-markdown.js';
import { formatTime } from './format-time.js';
import { BODY_LIMIT } from './limits.js';
import { formatMarker, withoutMarker } from './marker.js';
import { identityKey } from './resource-key.js';
import type { ActualIssue, DesiredIssue, DriftIssueMarker, IssueWrite, ResolutionScope } from './types.js';

/**
 * Per identity (workspace and resource):
 * - no issue → create;
 * - open, same fingerprint and render version, marked drifted → nothing;
 * - open, otherwise → update;
 * - closed by the app (marker resolved) → reopen, "drifted again", saying when it was resolved;
 * - closed by a person (marker still drifted), same fingerprint → nothing, ever;
 * - closed by a person, fingerprint changed → reopen, saying what changed;
 * - open with no desired issue → close ("no longer drifted"), marker resolved, only when the scope
 *   read its workspace and its type's family (unknown is not resolved).
 * Issues without a readable marker are not ours to plan. Of two issues with one identity (a
 * duplicate from an earlier bug), the lowest number is planned and the other left alone.
 */
export function planIssues(input: { desired: DesiredIssue[]; actual: ActualIssue[]; scope: ResolutionScope }): IssueWrite[] {
  const actual = canonicalIssues(input.actual);
  const writes: IssueWrite[] = [];
  const wanted = new Set<string>();
  for (const desired of input.desired) {
    const key = identityKey(desired);
    wanted.add(key);
    const write = planOne(desired, actual.get(key));
    if (write !== null) writes.push(write);
  }
  const closing = [...actual.entries()].filter(([key]) => !wanted.has(key)).map(([, issue]) => issue).sort((a, b) => a.number - b.number);
  for (const issue of closing) {
    const write = planClose(issue, input.scope);
    if (write !== null) writes.push(write);
  }
  return writes;
}

type MarkedIssue = ActualIssue & { marker: DriftIssueMarker };

/** Issues with a readable marker, the lowest number per identity. */
function canonicalIssues(issues: readonly ActualIssue[]): Map<string, MarkedIssue> {
  const out = new Map<string, MarkedIssue>();
  for (const issue of issues) {
    if (issue.marker === null) continue;
    const key = identityKey(issue.marker);
    const kept = out.get(key);
    if (kept === undefined || issue.number < kept.number) out.set(key, issue as MarkedIssue);
  }
  return out;
}

function planOne(desired: DesiredIssue, actual: MarkedIssue | undefined): IssueWrite | null {
  const identity = { workspace: desired.workspace, resource: desired.resource };
  const content = { identity, title: desired.title, body: desired.body, labels: desired.labels };
  if (actual === undefined) return { kind: 'create-issue', ...content };
  const { marker } = actual;
  const sameDrift = marker.fingerprint === desired.marker.fingerprint;
  if (actual.state === 'open') {
    if (sameDrift && marker.v === desired.marker.v && marker.state === 'drifted') return null;
    return { kind: 'update-issue', number: actual.number, ...content };
  }
  if (marker.state === 'resolved') {
    return { kind: 'reopen-issue', number: actual.number, ...content, comment: driftedAgainComment(desired, desired.lastResolvedAt ?? marker.resolvedAt) };
  }
  // Closed by a person: their call stands while the drift is the same one.
  if (sameDrift) return null;
  return { kind: 'reopen-issue', number: actual.number, ...content, comment: changedComment(desired) };
}

function planClose(issue: MarkedIssue, scope: ResolutionScope): IssueWrite | null {
  // Closed ones stay closed; an open one a person reopened after the app resolved it is theirs.
  if (issue.state !== 'open' || issue.marker.state !== 'drifted') return null;
  if (!resolvableIn(issue.marker, scope)) return null;
  const marker: DriftIssueMarker = { ...issue.marker, state: 'resolved', resolvedAt: scope.at };
  const resolved = `✅ No longer drifted at ${commitText(scope.commitSha)} (${escapeMarkdown(formatTime(scope.at))}).`;
  const banner = `> [!NOTE]\n> ${resolved} The last report of this drift follows.`;
  const tail = `\n\n${formatMarker(marker)}\n`;
  const room = BODY_LIMIT - banner.length - 2 - tail.length;
  const previous = fitMarkdown(withoutMarker(issue.body), room, '_(The rest of the last report was cut.)_');
  return {
    kind: 'close-issue',
    number: issue.number,
    identity: { workspace: issue.marker.workspace, resource: issue.marker.resource },
    body: `${banner}\n\n${previous}${tail}`,
    comment: resolved,
  };
}

/** The scan read the issue's workspace and the family of its type (in its region): its absence
 * from the desired issues means it is gone. A type no family covers was not read at all. */
export function resolvableIn(marker: Pick<DriftIssueMarker, 'workspace' | 'type' | 'region'>, scope: ResolutionScope): boolean {
  if (!scope.workspaces.includes(marker.workspace)) return false;
  const liveType = scope.liveTypeOf(marker.type);
  if (liveType === undefined) return false;
  return !scope.unknown.some((unknown) => unknown.workspace === marker.workspace && unknown.liveType === liveType && (unknown.region === undefined || unknown.region === marker.region));
}

function driftedAgainComment(desired: DesiredIssue, resolvedAt: string | null): string {
  const when = resolvedAt === null ? 'It was resolved earlier' : `It was last resolved on ${escapeMarkdown(formatTime(resolvedAt))}`;
  return `**Drifted again.** ${when} and is back: ${desired.whatChanged}`;
}

function changedComment(desired: DesiredIssue): string {
  return `**The drift changed** since this issue was closed, so it is open again. Now: ${desired.whatChanged}`;
}

/** A full commit sha GitHub links by itself; anything else as inert text. */
function commitText(sha: string): string {
  return /^[0-9a-f]{7,40}$/.test(sha) ? sha : escapeMarkdown(sha);
}
