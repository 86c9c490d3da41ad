// Severity order, in one place, so sorting and grading agree everywhere.
import type { Severity } from '../drift/types.js';

/** Every severity, most severe first. */
export const SEVERITIES: readonly Severity[] = Object.freeze(['critical', 'high', 'medium', 'low']);

const RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Higher is worse: critical 4, high 3, medium 2, low 1. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** Comparator that sorts the most severe first (use with a stable sort). */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[b] - RANK[a];
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}
