import { describe, expect, it } from 'vitest';
import { dashboardWorkspaceFromReport } from '../../src/surfaces/dashboard-workspace.js';
import { desiredDashboard } from '../../src/surfaces/desired-dashboard.js';
import { parseMarker } from '../../src/surfaces/marker.js';
import { planDashboard } from '../../src/surfaces/plan-dashboard.js';
import type { ActualDashboard, DashboardMarker, DesiredDashboard } from '../../src/surfaces/types.js';
import { resultWith, tagsOnly } from '../report/fixtures/scan-results.js';
import { kilnReport } from './fixtures/reports.js';

const WRITTEN = '2025-05-02T09:31:00Z';

function dashboardAt(now: string, finishedAt: string, result = resultWith([tagsOnly])): DesiredDashboard {
  const workspace = dashboardWorkspaceFromReport(kilnReport({ finishedAt }, result), { trigger: 'schedule', actor: null, detail: null });
  return desiredDashboard({ workspaces: [workspace], issueNumbers: new Map(), history: [], now });
}

/** What GitHub holds after the app wrote `desired`, possibly closed since. */
function held(desired: DesiredDashboard, state: 'open' | 'closed' = 'open'): ActualDashboard {
  return { number: 7, state, body: desired.body, marker: parseMarker(desired.body) as DashboardMarker | null, url: 'https://github.com/acme/infra/issues/7' };
}

const written = dashboardAt(WRITTEN, '2025-05-02T09:30:00Z');
const changed = dashboardAt('2025-05-02T12:00:00Z', '2025-05-02T11:59:00Z', resultWith([{ ...tagsOnly, severity: 'high' }]));

describe('planDashboard', () => {
  it.each<[string, DesiredDashboard, ActualDashboard | null, string, string | null]>([
    ['none yet: create it', written, null, WRITTEN, 'create-dashboard'],
    ['the same body: nothing', written, held(written), '2025-05-05T00:00:00Z', null],
    ['content changed: update it', changed, held(written), '2025-05-02T12:00:00Z', 'update-dashboard'],
    ['content changed and a person closed it: update and reopen it', changed, held(written, 'closed'), '2025-05-02T12:00:00Z', 'update-dashboard+reopen'],
    ['only the times changed, written an hour ago: nothing', dashboardAt('2025-05-02T10:31:00Z', '2025-05-02T10:30:00Z'), held(written), '2025-05-02T10:31:00Z', null],
    ['only the times changed, written 23h59m ago: nothing', dashboardAt('2025-05-03T09:30:00Z', '2025-05-03T09:29:00Z'), held(written), '2025-05-03T09:30:59Z', null],
    ['only the times changed, written a day ago: refresh them', dashboardAt('2025-05-03T09:31:00Z', '2025-05-03T09:30:00Z'), held(written), '2025-05-03T09:31:00Z', 'update-dashboard'],
    ['only the times changed on a closed one a day later: refresh, stay closed', dashboardAt('2025-05-03T09:31:00Z', '2025-05-03T09:30:00Z'), held(written, 'closed'), '2025-05-03T09:31:00Z', 'update-dashboard'],
    ['a person closed it and nothing changed: nothing', written, held(written, 'closed'), WRITTEN, null],
    ['its marker cannot be read: rewrite it', written, { ...held(written), marker: null, body: 'edited by hand' }, WRITTEN, 'update-dashboard'],
    ['written by an older template: rewrite it', written, { ...held(written), marker: { ...written.marker, v: 0 } }, WRITTEN, 'update-dashboard'],
  ])('%s', (_name, desired, actual, now, expected) => {
    const write = planDashboard({ desired, actual, now });
    const kind = write === null ? null : write.kind === 'update-dashboard' && write.reopen ? 'update-dashboard+reopen' : write.kind;
    expect(kind).toBe(expected);
    if (write !== null) expect(write.body).toBe(desired.body);
    if (write?.kind === 'update-dashboard') expect(write.number).toBe(7);
  });
});
