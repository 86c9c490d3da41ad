// Command-line values checked once, with errors that say what to write instead.
import { DriftwatchError } from '../errors.js';
import type { Severity } from '../drift/types.js';
import type { PatchDirection } from '../patch/types.js';

export type Format = 'text' | 'json' | 'markdown' | 'sarif';
export const FORMATS: readonly Format[] = ['text', 'json', 'markdown', 'sarif'];
export type FailOn = Severity | 'none';
export const FAIL_ON: readonly FailOn[] = ['critical', 'high', 'medium', 'low', 'none'];

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new DriftwatchError('usage', `${flag} ${value} is not one of: ${allowed.join(', ')}`);
}

export function patchDirection(value: string | undefined): PatchDirection | undefined {
  if (value === undefined) return undefined;
  return oneOf('--patch', value, ['restore', 'accept'] as const);
}

export function lookbackDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 90) {
    throw new DriftwatchError('usage', `--lookback-days ${value}: CloudTrail keeps 90 days of management events; give a whole number from 1 to 90`);
  }
  return days;
}
