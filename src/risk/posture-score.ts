// One number for "how far is this account from what Terraform says": 100 with no drift, lower
// with more and worse drift. The formula (also in docs/posture-score.md):
//
//   density  = 1 / (1 + W / max(resourceCount, 1))      W = Σ weight, weights c4 h3 m2 l1
//   severe   = 1 − 0.4·(1 − ½^C) − 0.2·(1 − ½^H)        C = #critical, H = #(high or critical)
//   score    = floor(100 · density · severe), at most 99 once there is any drift
//
// Why two factors: `density` scales with the size of the account, so a hundred tag edits in a
// thousand resources cost ~9 points, not the whole score; `severe` does not scale, so a single
// critical drift keeps the score below 70 (one high below 90) whatever the account size. Each factor
// only falls when a drift is added or made worse (H counts criticals too, so turning a high
// into a critical never gives points back), so the score is monotonic. The ½^n terms saturate:
// severe never goes below 0.4, and density takes over from there.
import type { Severity } from '../drift/types.js';

const WEIGHT: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1 };
const CRITICAL_PENALTY = 0.4;
const HIGH_PENALTY = 0.2;

export function postureScore(severities: Severity[], resourceCount: number): number {
  if (!Number.isFinite(resourceCount) || resourceCount < 0) {
    throw new RangeError(`postureScore needs a resource count >= 0, got ${resourceCount}`);
  }
  if (severities.length === 0) return 100;
  let weight = 0;
  let critical = 0;
  let highOrWorse = 0;
  for (const severity of severities) {
    weight += WEIGHT[severity];
    if (severity === 'critical') critical += 1;
    if (severity === 'critical' || severity === 'high') highOrWorse += 1;
  }
  const density = 1 / (1 + weight / Math.max(resourceCount, 1));
  const severe = 1 - CRITICAL_PENALTY * (1 - 0.5 ** critical) - HIGH_PENALTY * (1 - 0.5 ** highOrWorse);
  // Any drift at all shows: 99 at best, never a rounded-up 100.
  return Math.min(99, Math.floor(100 * density * severe));
}
