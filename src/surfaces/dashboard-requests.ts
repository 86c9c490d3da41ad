// The dashboard's checkboxes, as dependency dashboards have them: each box carries a hidden id
// (`- [ ] <!-- driftwatch-request:fix:restore:prod:aws_security_group.web --> …`), an `issues`
// edited event gives the body before and after, and the boxes ticked in between are requests.
// The parts of an id are percent-encoded, so no resource key can end the comment or the id.
import type { DashboardRequest } from './types.js';

const ID_PREFIX = 'driftwatch-request:';
// A task-list item at any depth whose box is followed by one of our ids. Cloud text never forms
// one: it is escaped, so `<` reaches the body as `&lt;`.
const CHECKBOX = /^(\s*[-*+] \[)([ xX])(\] <!-- driftwatch-request:([A-Za-z0-9%:._~!*'()-]+) -->)/gm;

/** The hidden id of a request. */
export function requestId(request: DashboardRequest): string {
  if (request.kind === 'rescan') return `rescan:${encode(request.workspace)}`;
  return `fix:${request.direction}:${encode(request.workspace)}:${request.resource === null ? '' : encode(request.resource)}`;
}

/** A task-list line `- [ ] <!-- id --> label` (label already escaped), indented by `indent`. */
export function requestCheckbox(request: DashboardRequest, label: string, indent = ''): string {
  return `${indent}- [ ] <!-- ${ID_PREFIX}${requestId(request)} --> ${label}`;
}

/** Requests whose boxes are ticked in `after` and were not in `before` (from the edited event's
 * `changes.body.from` and `issue.body`), in body order, each once. */
export function dashboardRequests(before: string | null | undefined, after: string | null | undefined): DashboardRequest[] {
  const was = checkboxStates(before ?? '');
  const out: DashboardRequest[] = [];
  const seen = new Set<string>();
  for (const [id, ticked] of checkboxStates(after ?? '')) {
    if (!ticked || was.get(id) === true || seen.has(id)) continue;
    const request = parseRequestId(id);
    if (request === null) continue;
    seen.add(id);
    out.push(request);
  }
  return out;
}

/** The body with the boxes of these requests unticked (once they are done). */
export function untick(body: string, requests: readonly DashboardRequest[]): string {
  const ids = new Set(requests.map(requestId));
  return body.replace(CHECKBOX, (line, start: string, _box: string, end: string, id: string) => (ids.has(id) ? `${start} ${end}` : line));
}

function checkboxStates(body: string): Map<string, boolean> {
  const states = new Map<string, boolean>();
  for (const match of body.matchAll(CHECKBOX)) {
    const id = match[4] ?? '';
    states.set(id, (states.get(id) ?? false) || match[2] !== ' ');
  }
  return states;
}

function parseRequestId(id: string): DashboardRequest | null {
  const parts = id.split(':');
  try {
    if (parts[0] === 'rescan' && parts.length === 2 && parts[1]) return { kind: 'rescan', workspace: decodeURIComponent(parts[1]) };
    if (parts[0] === 'fix' && parts.length === 4 && (parts[1] === 'restore' || parts[1] === 'accept') && parts[2]) {
      return { kind: 'fix', direction: parts[1], workspace: decodeURIComponent(parts[2]), resource: parts[3] ? decodeURIComponent(parts[3]) : null };
    }
  } catch {
    // A malformed escape: a hand-edited id, not a request.
  }
  return null;
}

/** encodeURIComponent, plus `:` (the separator) and `-` (no `--` inside an HTML comment). */
function encode(part: string): string {
  return encodeURIComponent(part).replace(/-/g, '%2D');
}
