import { describe, expect, it } from 'vitest';
import { formatMarker, issueSearchToken, parseMarker, withoutMarker } from '../../src/surfaces/marker.js';
import type { DriftIssueMarker } from '../../src/surfaces/types.js';

const issue: DriftIssueMarker = {
  kind: 'drift-issue',
  v: 1,
  workspace: 'prod',
  resource: 'aws_security_group.web["a-->b"]',
  type: 'aws_security_group',
  region: 'us-east-1',
  fingerprint: 'f'.repeat(64),
  state: 'drifted',
  resolvedAt: null,
};

describe('markers', () => {
  it('round-trips through a body, whatever the resource key holds', () => {
    const body = `## Drift\n\nsomething\n\n${formatMarker(issue)}\n`;
    expect(parseMarker(body)).toEqual(issue);
    expect(withoutMarker(body)).toBe('## Drift\n\nsomething');
  });

  it('never ends the HTML comment early', () => {
    const text = formatMarker({ ...issue, resource: 'x --> <script>' });
    expect(text.indexOf('-->')).toBe(text.length - 3);
    expect(text).not.toContain('<script>');
  });

  it('carries a search token that depends on workspace and resource only', () => {
    const token = issueSearchToken(issue);
    expect(token).toMatch(/^dwkey-[0-9a-f]{20}$/);
    expect(formatMarker({ ...issue, fingerprint: 'a'.repeat(64) })).toContain(token);
    expect(issueSearchToken({ workspace: 'staging', resource: issue.resource })).not.toBe(token);
  });

  it.each([
    ['no marker', 'plain body'],
    ['a marker edited into invalid JSON', '<!-- driftwatch:{"kind":"drift-issue",} -->'],
    ['an unknown kind', '<!-- driftwatch:{"kind":"other"} -->'],
    ['an empty body', ''],
  ])('reads %s as no marker', (_name, body) => {
    expect(parseMarker(body)).toBeNull();
  });
});
