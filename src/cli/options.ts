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

export const PATCH_DIRECTIONS: readonly PatchDirection[] = ['restore', 'accept'];

export function patchDirection(value: string | undefined): PatchDirection | undefined {
  if (value === undefined) return undefined;
  return oneOf('--patch', value, PATCH_DIRECTIONS);
}

export function lookbackDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 90) {
    throw new DriftwatchError('usage', `--lookback-days ${value}: CloudTrail keeps 90 days of management events; give a whole number from 1 to 90`);
  }
  return days;
}

export interface CombinedFlags {
  patch?: string;
  patchFile?: string;
  live?: string;
  region?: string[];
  lookbackDays?: string;
  attribution: boolean;
}

/** Flags that would be silently ignored in each other's company are refused, saying why: the
 * user asked for something the scan would not do. */
export function checkFlagCombinations(flags: CombinedFlags): void {
  if (flags.patchFile !== undefined && flags.patch === undefined) {
    throw new DriftwatchError('usage', `--patch-file writes the patch that --patch builds, and no --patch was given: add --patch restore (put the declared values back) or --patch accept (codify the live changes).`);
  }
  if (flags.live !== undefined && flags.region !== undefined) {
    throw new DriftwatchError(
      'usage',
      `--region picks the regions read from AWS, and --live reads none: the scan compares with the regions recorded in ${flags.live}. Drop --region, or record those regions with \`driftwatch inventory --region ${flags.region.join(' ')} --output <file>\`.`,
    );
  }
  if (flags.lookbackDays !== undefined && flags.live !== undefined) {
    throw new DriftwatchError('usage', '--lookback-days is the CloudTrail window for attribution, and a scan with --live looks nothing up in CloudTrail: drop --lookback-days, or scan live AWS without --live.');
  }
  if (flags.lookbackDays !== undefined && !flags.attribution) {
    throw new DriftwatchError('usage', '--lookback-days is the CloudTrail window for attribution, which --no-attribution turns off: drop one of the two.');
  }
}
