import { describe, expect, it } from 'vitest';
import { guaranteesVersion } from '../../src/patch/terraform-version.js';

describe('guaranteesVersion', () => {
  it.each([
    ['>= 1.7.0', '1.7.0', true],
    ['~> 1.9', '1.7.0', true],
    ['~> 1.6.2', '1.7.0', false],
    ['>= 1.5.0', '1.7.0', false],
    ['>= 0.13', '1.5.0', false],
    ['>= 1.7.0, < 2.0.0', '1.7.0', true],
    ['< 2.0.0', '1.7.0', false],
    ['1.8.4', '1.7.0', true],
    ['= 1.6.0', '1.7.0', false],
    ['> 1.7', '1.7.0', true],
    ['>= 1.10.0-beta1', '1.7.0', true],
    [null, '1.5.0', false],
    ['not a version', '1.5.0', false],
  ])('%s guarantees %s: %s', (constraint, minimum, expected) => {
    expect(guaranteesVersion(constraint, minimum)).toBe(expected);
  });
});
