// Reads the live inventory of one account: every family in every scan region at once (IAM and S3
// once per scan), each through its collector and pure normalizer. One family failing never stops
// the others: a family (or one region of it) that cannot be read becomes `unknown` with the
// reason, so nothing of it is reported deleted or unmanaged and the scan is partial.
import { DriftwatchError, isDriftwatchError } from '../errors.js';
import { collectorsFor, type Collector } from '../resources/collectors.js';
import type { LiveInventory, LiveResource, LiveType, UnknownFamily } from '../resources/live-types.js';
import type { BucketSetting } from '../resources/raw-types.js';
import type { CallCounter } from './call-stats.js';
import type { AwsClients } from './clients.js';
import { failureReason, isMissingCredentials } from './sdk-failure.js';

export const ALL_LIVE_TYPES: readonly LiveType[] = [
  'aws_instance',
  'aws_security_group',
  'aws_s3_bucket',
  'aws_db_instance',
  'aws_iam_role',
  'aws_iam_policy',
];

export interface CollectProgress {
  /** Collector family, e.g. "ec2-instances". */
  family: string;
  /** Region, or "global" for a family read once per scan (IAM, S3). */
  region: string;
  /** Live objects found; known once the unit is done. */
  resources: number;
  /** HTTP attempts so far, retries included. */
  calls: number;
  throttles: number;
  done: boolean;
  /** Why the unit could not be collected, on the last event of a failed unit. */
  failure?: string;
}

export interface CollectInventoryOptions {
  regions: string[];
  clients: AwsClients;
  /** Buckets this workspace's state manages, with the settings to read of each. */
  bucketSettings: ReadonlyMap<string, ReadonlySet<BucketSetting>>;
  /** Live types to collect; all by default. */
  types?: LiveType[];
  account?: string | null;
  onProgress?: (progress: CollectProgress) => void;
  now?: () => Date;
}

interface Unit {
  collector: Collector;
  /** Region for the collector's calls. */
  region: string;
  /** Region for progress and unknown entries; undefined for account-wide units. */
  scopeRegion: string | undefined;
}

type UnitResult = { ok: true; resources: LiveResource[] } | { ok: false; unit: Unit; reason: string; fatal?: DriftwatchError };

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export async function collectInventory(options: CollectInventoryOptions): Promise<LiveInventory> {
  const regions = [...new Set(options.regions)];
  if (regions.length === 0) {
    throw new DriftwatchError('config', 'no region to collect: set the workspace region in .github/driftwatch.yml or pass --region');
  }
  for (const region of regions) {
    if (!REGION.test(region)) {
      throw new DriftwatchError('config', `"${region.slice(0, 60)}" is not an AWS region name: write it like us-east-1 or eu-west-2`);
    }
  }
  const types = options.types ?? [...ALL_LIVE_TYPES];
  const wanted = new Set<string>(types);
  const now = options.now ?? (() => new Date());
  const home = regions[0] as string;

  const units: Unit[] = collectorsFor(types).flatMap((collector): Unit[] =>
    collector.scope === 'account'
      ? [{ collector, region: home, scopeRegion: undefined }]
      : regions.map((region) => ({ collector, region, scopeRegion: region })),
  );

  const results = await Promise.all(units.map((unit) => runUnit(unit, options, regions)));

  const fatal = results.find((result) => !result.ok && result.fatal);
  if (fatal && !fatal.ok && fatal.fatal) throw fatal.fatal;

  const resources: LiveResource[] = [];
  const unknown: UnknownFamily[] = [];
  for (const result of results) {
    if (result.ok) {
      resources.push(...result.resources.filter((resource) => wanted.has(resource.type)));
      continue;
    }
    for (const type of result.unit.collector.liveTypes) {
      if (!wanted.has(type)) continue;
      unknown.push({ type, ...(result.unit.scopeRegion !== undefined ? { region: result.unit.scopeRegion } : {}), reason: result.reason });
    }
  }
  resources.sort((a, b) => compare(a.type, b.type) || compare(a.region, b.region) || compare(a.id, b.id));
  unknown.sort((a, b) => compare(a.type, b.type) || compare(a.region ?? '', b.region ?? ''));

  return {
    version: 1,
    account: options.account ?? null,
    collectedAt: now().toISOString(),
    regions,
    resources,
    unknown,
  };
}

async function runUnit(unit: Unit, options: CollectInventoryOptions, regions: string[]): Promise<UnitResult> {
  const progress = (counter: CallCounter, resources: number, done: boolean, failure?: string): void => {
    options.onProgress?.({
      family: unit.collector.family,
      region: unit.scopeRegion ?? 'global',
      resources,
      calls: counter.calls,
      throttles: counter.throttles,
      done,
      ...(failure !== undefined ? { failure } : {}),
    });
  };
  const counter: CallCounter = { calls: 0, throttles: 0 };
  counter.onChange = () => progress(counter, 0, false);
  try {
    const resources = await unit.collector.collect({
      clients: options.clients.counting(counter),
      region: unit.region,
      regions,
      bucketSettings: options.bucketSettings,
    });
    progress(counter, resources.length, true);
    return { ok: true, resources };
  } catch (error) {
    const reason = isDriftwatchError(error) ? error.message : failureReason(error);
    progress(counter, 0, true, reason);
    return { ok: false, unit, reason, ...fatalError(error) };
  }
}

/** Errors no family can get past: the scan stops with them instead of being all unknown. */
function fatalError(error: unknown): { fatal?: DriftwatchError } {
  if (isDriftwatchError(error)) return { fatal: error };
  if (isMissingCredentials(error)) {
    return {
      fatal: new DriftwatchError(
        'aws',
        'no AWS credentials found: set AWS_PROFILE (or run `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or task role is available',
        { cause: error },
      ),
    };
  }
  return {};
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
