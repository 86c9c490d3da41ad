// Grades a drift from the risk signals its family found: the worst signal sets the severity and
// the title; every signal contributes its CIS and MITRE controls.
import type { Severity } from '../drift/types.js';
import type { Signal } from './types.js';
import { catalogRule } from './catalog.js';
import { compareSeverity } from './severity.js';
import { signalTitle } from './signal-title.js';

export { SEVERITIES, compareSeverity, severityRank } from './severity.js';

export interface RiskAssessment {
  severity: Severity;
  title: string;
  controls: { cis: string[]; mitre: string[] };
  /** The input signals, most severe first (stable); the first is the drift's SARIF rule. */
  signals: Signal[];
}

const NO_SIGNAL_TITLE = 'Changed outside Terraform';

/** Numeric order for dotted CIS ids, so 5.10 sorts after 5.2. */
function compareControlIds(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const difference = (left[i] ?? -1) - (right[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function assessRisk(signals: Signal[]): RiskAssessment {
  if (signals.length === 0) {
    return { severity: 'low', title: NO_SIGNAL_TITLE, controls: { cis: [], mitre: [] }, signals: [] };
  }
  const graded = signals.map((signal) => {
    const rule = catalogRule(signal.id);
    if (rule === undefined) throw new Error(`Unknown risk signal id "${signal.id}": add it to src/risk/catalog.json`);
    // Render every title, not only the winner's, so a family that forgets a param fails in
    // its own tests whatever else the drift carries.
    signalTitle(signal);
    return { signal, rule };
  });
  // Array.prototype.sort is stable, so among equally severe signals the first in input order wins.
  const ordered = [...graded].sort((a, b) => compareSeverity(a.rule.severity, b.rule.severity));
  const worst = ordered[0]!;
  const cis = new Set(graded.flatMap(({ rule }) => rule.cis));
  const mitre = new Set(graded.flatMap(({ rule }) => rule.mitre));
  return {
    severity: worst.rule.severity,
    title: signalTitle(worst.signal),
    controls: { cis: [...cis].sort(compareControlIds), mitre: [...mitre].sort() },
    signals: ordered.map(({ signal }) => signal),
  };
}
