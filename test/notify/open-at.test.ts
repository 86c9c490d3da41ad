import { describe, expect, it } from 'vitest';
import { openAt } from '../../src/notify/collect-briefing.js';
import { securityGroupFinding } from './findings.js';

// A week ago is Monday 2024-05-06 09:00 UTC; scans run daily at 06:00.
const WEEK_AGO = Date.parse('2024-05-06T09:00:00.000Z');
const DAILY = ['2024-05-07', '2024-05-08', '2024-05-09', '2024-05-10', '2024-05-11', '2024-05-12', '2024-05-13'].map((day) => Date.parse(`${day}T06:00:00.000Z`));

describe('openAt (open a week ago, from what the store records)', () => {
  it.each([
    ['opened before and still open', { firstSeenAt: '2024-05-01T06:00:00.000Z' }, true],
    ['opened before, resolved during the week', { firstSeenAt: '2024-05-01T06:00:00.000Z', status: 'resolved', resolvedAt: '2024-05-09T06:00:00.000Z' }, true],
    ['opened before, resolved before', { firstSeenAt: '2024-05-01T06:00:00.000Z', status: 'resolved', resolvedAt: '2024-05-03T06:00:00.000Z' }, false],
    ['opened during the week', { firstSeenAt: '2024-05-08T06:00:00.000Z' }, false],
    ['opened exactly a week ago', { firstSeenAt: '2024-05-06T09:00:00.000Z' }, true],
    ['back this week after an episode that ended before the week', { firstSeenAt: '2024-05-10T06:00:00.000Z', episode: 2, lastResolvedAt: '2024-05-02T06:00:00.000Z' }, false],
    ['back this week after an episode closed by the first scan of the week', { firstSeenAt: '2024-05-10T06:00:00.000Z', episode: 2, lastResolvedAt: '2024-05-07T06:00:00.000Z' }, true],
    ['back this week after an episode closed later in the week (its start is not stored)', { firstSeenAt: '2024-05-12T06:00:00.000Z', episode: 2, lastResolvedAt: '2024-05-10T06:00:00.000Z' }, false],
  ] as const)('%s: %s', (_name, overrides, expected) => {
    expect(openAt(securityGroupFinding(overrides), WEEK_AGO, DAILY)).toBe(expected);
  });

  it('knows an earlier episode covered a week ago when no scan read the workspace until it closed', () => {
    const finding = securityGroupFinding({ firstSeenAt: '2024-05-12T06:00:00.000Z', episode: 2, lastResolvedAt: '2024-05-10T06:00:00.000Z' });
    // The scans of the 7th to the 9th failed (not reading scans): the episode was opened by the 6th's or earlier.
    expect(openAt(finding, WEEK_AGO, DAILY.filter((at) => at >= Date.parse('2024-05-10T06:00:00.000Z')))).toBe(true);
  });
});
