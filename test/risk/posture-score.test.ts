import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postureScore } from '../../src/risk/posture-score.js';
import { SEVERITIES, severityRank } from '../../src/risk/severity.js';
import type { Severity } from '../../src/drift/types.js';

const severity = fc.constantFrom<Severity>(...SEVERITIES);
const severities = fc.array(severity, { maxLength: 300 });
const resourceCount = fc.integer({ min: 0, max: 100_000 });

function many(count: number, value: Severity): Severity[] {
  return Array.from({ length: count }, () => value);
}

describe('postureScore', () => {
  it('is 100 with no drift, whatever the account size', () => {
    fc.assert(fc.property(resourceCount, (count) => postureScore([], count) === 100));
  });

  it('is an integer from 0 to 99 once there is any drift', () => {
    fc.assert(
      fc.property(fc.array(severity, { minLength: 1, maxLength: 300 }), resourceCount, (list, count) => {
        const score = postureScore(list, count);
        return Number.isInteger(score) && score >= 0 && score <= 99;
      }),
    );
  });

  it('never rises when a drift is added', () => {
    fc.assert(
      fc.property(severities, severity, resourceCount, (list, extra, count) => {
        return postureScore([...list, extra], count) <= postureScore(list, count);
      }),
    );
  });

  it('never rises when a drift gets worse', () => {
    fc.assert(
      fc.property(fc.array(severity, { minLength: 1, maxLength: 300 }), fc.nat(), severity, resourceCount, (list, index, worse, count) => {
        const at = index % list.length;
        fc.pre(severityRank(worse) > severityRank(list[at]!));
        const worsened = list.map((value, i) => (i === at ? worse : value));
        return postureScore(worsened, count) <= postureScore(list, count);
      }),
    );
  });

  it('does not depend on the order of the drifts', () => {
    fc.assert(
      fc.property(severities, resourceCount, (list, count) => postureScore([...list].reverse(), count) === postureScore(list, count)),
    );
  });

  it.each([1, 10, 100, 1_000, 100_000, 10_000_000])('pulls one critical drift down to 75 or less in %i resources', (count) => {
    expect(postureScore(['critical'], count)).toBeLessThanOrEqual(75);
  });

  it('keeps many low drifts in a big account well off the bottom', () => {
    expect(postureScore(many(100, 'low'), 1_000)).toBeGreaterThanOrEqual(85);
    expect(postureScore(many(1_000, 'low'), 10_000)).toBeGreaterThanOrEqual(85);
  });

  // The examples table in docs/posture-score.md.
  it.each<[string, Severity[], number, number]>([
    ['1 low', ['low'], 100, 99],
    ['1 medium', ['medium'], 100, 98],
    ['1 high', ['high'], 100, 87],
    ['1 critical', ['critical'], 100, 67],
    ['1 critical, big account', ['critical'], 10_000, 69],
    ['1 critical, small account', ['critical'], 10, 50],
    ['2 critical', ['critical', 'critical'], 100, 50],
    ['100 low', many(100, 'low'), 1_000, 90],
    ['1,000 low', many(1_000, 'low'), 1_000, 50],
    ['mixed', [...many(1, 'critical'), ...many(3, 'high'), ...many(10, 'medium'), ...many(30, 'low')], 500, 54],
  ])('scores %s in %i resources as documented', (_label, list, count, expected) => {
    expect(postureScore(list, count)).toBe(expected);
  });

  it('treats an empty scope like one resource', () => {
    expect(postureScore(['low'], 0)).toBe(postureScore(['low'], 1));
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects a resource count of %d', (count) => {
    expect(() => postureScore(['low'], count)).toThrow(RangeError);
  });
});
