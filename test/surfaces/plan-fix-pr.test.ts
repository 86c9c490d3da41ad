import { beforeAll, describe, expect, it } from 'vitest';
import { desiredFixPr } from '../../src/surfaces/desired-fix-pr.js';
import { formatMarker, parseMarker } from '../../src/surfaces/marker.js';
import { planFixPr } from '../../src/surfaces/plan-fix-pr.js';
import type { ActualFixPr, DesiredFixPr, FixPrMarker, FixPrWrite } from '../../src/surfaces/types.js';
import { shopReport } from './fixtures/shop-report.js';

let desired: DesiredFixPr;
beforeAll(async () => {
  const plan = desiredFixPr({ report: await shopReport(), direction: 'accept', selection: { kind: 'all' } });
  if (plan.desired === null) throw new Error(plan.reply);
  desired = plan.desired;
});

/** The pull request GitHub holds after the app wrote `desired`, then what happened to it. */
function actual(overrides: Partial<ActualFixPr> = {}, marker: Partial<FixPrMarker> = {}): ActualFixPr {
  const full = { ...desired.marker, ...marker };
  return {
    number: 31,
    state: 'open',
    merged: false,
    branch: desired.branch,
    body: `${desired.body.slice(0, desired.body.lastIndexOf('<!--'))}${formatMarker(full)}\n`,
    marker: full,
    url: 'https://github.com/acme/infra/pull/31',
    ...overrides,
  };
}

function kind(write: FixPrWrite | null): string | null {
  if (write === null) return null;
  if (write.kind === 'update-fix-pr') return write.reopen ? 'update+reopen' : 'update';
  return write.kind;
}

const OTHER_FILES = { patchHash: '0'.repeat(64) };
const OTHER_DRIFTS = { fingerprints: ['f'.repeat(64)] };

describe('planFixPr', () => {
  it.each<[string, () => [DesiredFixPr | null, ActualFixPr | null], string | null]>([
    ['none, and one is wanted: create it', () => [desired, null], 'create-fix-pr'],
    ['none, and none is wanted: nothing', () => [null, null], null],
    ['open with the same files: nothing', () => [desired, actual()], null],
    ['open, the files changed: update (force-push) it', () => [desired, actual({}, OTHER_FILES)], 'update'],
    ['open, written by an older template: update it', () => [desired, actual({}, { v: 0 })], 'update'],
    ['open, its drifts are gone: close it', () => [null, actual()], 'close-fix-pr'],
    ['closed by a person, same drifts: nothing', () => [desired, actual({ state: 'closed' })], null],
    ['closed by a person, same drifts, other files: nothing', () => [desired, actual({ state: 'closed' }, OTHER_FILES)], null],
    ['closed by a person, its drifts changed: update and reopen it', () => [desired, actual({ state: 'closed' }, OTHER_DRIFTS)], 'update+reopen'],
    ['closed by a person and the drifts are gone: nothing', () => [null, actual({ state: 'closed' })], null],
    ['merged, same drifts: nothing', () => [desired, actual({ state: 'closed', merged: true })], null],
    ['merged, its drifts changed: a new one (a merged pull request cannot reopen)', () => [desired, actual({ state: 'closed', merged: true }, OTHER_DRIFTS)], 'create-fix-pr'],
    ['closed by the app, wanted again: update and reopen it', () => [desired, actual({ state: 'closed' }, { state: 'resolved' })], 'update+reopen'],
    ['closed by the app, still not wanted: nothing', () => [null, actual({ state: 'closed' }, { state: 'resolved' })], null],
    ['open without a readable marker, wanted: rewrite it', () => [desired, { ...actual(), marker: null }], 'update'],
    ['open without a readable marker, not wanted: leave it', () => [null, { ...actual(), marker: null }], null],
    ['closed without a readable marker: leave it', () => [desired, { ...actual({ state: 'closed' }), marker: null }], null],
  ])('%s', (_name, make, expected) => {
    const [want, have] = make();
    const write = planFixPr({ desired: want, actual: have });
    expect(kind(write)).toBe(expected);
    if (write !== null && write.kind !== 'close-fix-pr') expect(write.desired).toBe(want);
    if (write !== null && write.kind !== 'create-fix-pr') expect(write.number).toBe(31);
  });

  it('compares fingerprints as a set', () => {
    const reordered = actual({ state: 'closed' }, { fingerprints: [...desired.marker.fingerprints].reverse() });
    expect(planFixPr({ desired, actual: reordered })).toBeNull();
  });

  it('closes with a comment, keeps the description and marks it resolved', () => {
    const write = planFixPr({ desired: null, actual: actual() });
    expect(write?.kind).toBe('close-fix-pr');
    if (write?.kind !== 'close-fix-pr') return;
    expect(write.branch).toBe('driftwatch/shop/accept');
    expect(write.comment).toContain('none of the drifts this pull request fixes needs it any more in `shop`');
    expect(parseMarker(write.body)).toEqual({ ...desired.marker, state: 'resolved' });
    expect(write.body).toContain('### Fixed here');
    expect(write.body.match(/<!-- driftwatch:/g)).toHaveLength(1);
  });
});
