// The one dashboard write a scan may need, or none. Pure.
import type { ActualDashboard, DashboardWrite, DesiredDashboard } from './types.js';
import { withoutMarker } from './marker.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * - no dashboard → create it;
 * - its content changed (contentHash, render version, or a marker it cannot read) → update it,
 *   and reopen it if a person closed it;
 * - only the times changed → update it when they were last written a day ago or more, without
 *   reopening;
 * - else nothing.
 */
export function planDashboard(input: { desired: DesiredDashboard; actual: ActualDashboard | null; now: string }): DashboardWrite | null {
  const { desired, actual } = input;
  if (actual === null) return { kind: 'create-dashboard', title: desired.title, body: desired.body };
  const update = (reopen: boolean): DashboardWrite => ({ kind: 'update-dashboard', number: actual.number, title: desired.title, body: desired.body, reopen });
  const marker = actual.marker;
  if (marker === null || marker.contentHash !== desired.marker.contentHash || marker.v !== desired.marker.v) return update(actual.state === 'closed');
  if (withoutMarker(actual.body) === withoutMarker(desired.body)) return null;
  const refreshed = Date.parse(marker.refreshedAt);
  const now = Date.parse(input.now);
  if (Number.isNaN(refreshed) || Number.isNaN(now) || now - refreshed >= DAY_MS) return update(false);
  return null;
}
