import { describe, expect, it } from 'vitest';
import { roleAllowed } from '../../src/aws/role-allowlist.js';

const patterns = ['arn:aws:iam::*:role/driftwatch-reader', 'arn:aws:iam::123456789012:role/teams/drift-*'];

describe('roleAllowed', () => {
  it.each([
    ['arn:aws:iam::111122223333:role/driftwatch-reader', true],
    ['arn:aws:iam::123456789012:role/driftwatch-reader', true],
    ['arn:aws:iam::123456789012:role/teams/drift-payments', true],
    // `*` stays inside one segment: no other account's path, no other name, no extra path level.
    ['arn:aws:iam::111122223333:role/driftwatch-reader-admin', false],
    ['arn:aws:iam::111122223333:role/admin/driftwatch-reader', false],
    ['arn:aws:iam::111122223333:role/teams/drift-payments', false],
    ['arn:aws:iam::123456789012:role/teams/drift-x/admin', false],
    ['arn:aws:iam::1:2:role/driftwatch-reader', false],
    ['arn:aws:iam::123456789012:role/OrganizationAccountAccessRole', false],
  ])('%s → %s', (arn, allowed) => {
    expect(roleAllowed(arn, patterns)).toBe(allowed);
  });

  it('allows nothing with an empty list', () => {
    expect(roleAllowed('arn:aws:iam::123456789012:role/driftwatch-reader', [])).toBe(false);
  });

  it('treats regular-expression characters in a pattern literally', () => {
    expect(roleAllowed('arn:aws:iam::123456789012:role/aXb', ['arn:aws:iam::123456789012:role/a.b'])).toBe(false);
    expect(roleAllowed('arn:aws:iam::123456789012:role/a.b', ['arn:aws:iam::123456789012:role/a.b'])).toBe(true);
  });
});
