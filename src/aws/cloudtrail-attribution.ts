// Who made each drift: the most recent mutating CloudTrail management event on the drift's
// resource whose name can explain the change. Best effort by design: any failure leaves that drift
// unattributed and is reported once through onError; it never fails the scan.
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, Event } from '@aws-sdk/client-cloudtrail';
import type { Attribution, Drift } from '../drift/types.js';
import { DriftwatchError } from '../errors.js';
import { eventNamesForDrift } from './cloudtrail-event-names.js';
import { parseCloudTrailEvent } from './cloudtrail-event.js';
import { IAM_EVENTS_REGION, cloudTrailRegion, cloudTrailResourceName } from './cloudtrail-resource-name.js';
import { createCloudTrailLimiter } from './token-bucket.js';
import type { TokenBucket } from './token-bucket.js';

export interface AttributeDriftsOptions {
  /** A CloudTrail client for a region (the client factory's `cloudtrail(region)`). */
  lookup: (region: string) => CloudTrailClient;
  now: Date;
  /** Days of history searched, 7 by default; CloudTrail keeps 90. */
  lookbackDays?: number;
  /** Shared by every scan of one account: LookupEvents allows 2 requests/second per region. */
  limiter?: TokenBucket;
  /** Told once per distinct kind of failure, with a DriftwatchError('aws') whose cause is the
   * original error. */
  onError?: (error: unknown) => void;
  /** Pages (50 events each) read per resource before giving up; 5 by default. */
  maxPages?: number;
  /** Where IAM's global events are recorded: us-east-1, or the home region of another partition. */
  iamRegion?: string;
}

export const DEFAULT_LOOKBACK_DAYS = 7;
export const MAX_LOOKBACK_DAYS = 90;
const DEFAULT_MAX_PAGES = 5;
const PAGE_SIZE = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

const ACCESS_ERRORS = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'CredentialsProviderError',
]);
const THROTTLING_ERRORS = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

interface Page {
  events: Event[];
  nextToken: string | undefined;
}

/** Attributions keyed by drift fingerprint; null where no event explains the drift. */
export async function attributeDrifts(
  drifts: (Drift & { fingerprint: string })[],
  options: AttributeDriftsOptions,
): Promise<Map<string, Attribution | null>> {
  const lookbackDays = checkLookback(options.lookbackDays);
  const maxPages = Math.max(1, Math.floor(options.maxPages ?? DEFAULT_MAX_PAGES));
  const iamRegion = options.iamRegion ?? IAM_EVENTS_REGION;
  const limiter = options.limiter ?? createCloudTrailLimiter();
  const endTime = options.now;
  const startTime = new Date(endTime.getTime() - lookbackDays * DAY_MS);

  // Drifts on the same resource (rules of one group, settings of one bucket) share its pages.
  const pagesByResource = new Map<string, Promise<Page | null>[]>();
  // After an access error a region is not asked again: every lookup there would fail the same way.
  const deniedRegions = new Map<string, unknown>();
  // One request at a time per region (regions run in parallel): the rate limit allows little more,
  // and a denial is known before the next request, so the rest of the region fails fast.
  const regionTails = new Map<string, Promise<unknown>>();
  const reportedKinds = new Set<string>();

  function report(kind: string, error: DriftwatchError): void {
    if (reportedKinds.has(kind)) return;
    reportedKinds.add(kind);
    try {
      options.onError?.(error);
    } catch {
      // A failing error callback must not turn best-effort attribution into a failed scan.
    }
  }

  function page(region: string, resourceName: string, index: number): Promise<Page | null> {
    const key = `${region}\u0000${resourceName}`;
    const pages = pagesByResource.get(key) ?? [];
    pagesByResource.set(key, pages);
    const cached = pages[index];
    if (cached) return cached;
    const previous = index === 0 ? Promise.resolve(null) : page(region, resourceName, index - 1);
    const next = previous.then(async (before): Promise<Page | null> => {
      if (index > 0 && !before?.nextToken) return null;
      return inRegionQueue(region, async () => {
        const denied = deniedRegions.get(region);
        if (denied) throw denied;
        await limiter.take(region);
        try {
          const output = await options.lookup(region).send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: resourceName }],
              StartTime: startTime,
              EndTime: endTime,
              MaxResults: PAGE_SIZE,
              NextToken: before?.nextToken,
            }),
          );
          return { events: output.Events ?? [], nextToken: output.NextToken || undefined };
        } catch (error) {
          if (ACCESS_ERRORS.has(errorName(error))) deniedRegions.set(region, error);
          throw error;
        }
      });
    });
    pages[index] = next;
    return next;
  }

  function inRegionQueue<T>(region: string, task: () => Promise<T>): Promise<T> {
    const previous = regionTails.get(region) ?? Promise.resolve();
    const result = previous.then(task);
    regionTails.set(region, result.catch(() => undefined));
    return result;
  }

  async function attributeOne(drift: Drift): Promise<Attribution | null> {
    const names = eventNamesForDrift(drift);
    const resourceName = cloudTrailResourceName(drift);
    const region = cloudTrailRegion(drift, iamRegion);
    if (names.size === 0 || !resourceName || !region) return null;
    try {
      for (let index = 0; index < maxPages; index += 1) {
        const current = await page(region, resourceName, index);
        if (!current) return null;
        // LookupEvents cannot filter on ResourceName and ReadOnly together: filter here.
        const candidates = current.events
          .filter((event) => event.ReadOnly !== 'true' && event.EventName !== undefined && names.has(event.EventName))
          .sort((a, b) => timeOf(b) - timeOf(a));
        for (const candidate of candidates) {
          const parsed = parseCloudTrailEvent(candidate);
          if (parsed.kind === 'attribution') return parsed.attribution;
          if (parsed.kind === 'malformed') {
            // An older event would name the wrong person: leave the drift unattributed instead.
            report('MalformedEvent', malformedEventError(region));
            return null;
          }
        }
      }
      return null;
    } catch (error) {
      const name = errorName(error);
      report(name, lookupError(error, name, region));
      return null;
    }
  }

  const attributions = new Map<string, Attribution | null>();
  for (const drift of drifts) attributions.set(drift.fingerprint, null);
  await Promise.all(
    drifts.map(async (drift) => {
      attributions.set(drift.fingerprint, await attributeOne(drift));
    }),
  );
  return attributions;
}

function checkLookback(days: number | undefined): number {
  if (days === undefined) return DEFAULT_LOOKBACK_DAYS;
  if (!Number.isFinite(days) || days <= 0 || days > MAX_LOOKBACK_DAYS) {
    throw new DriftwatchError(
      'config',
      `attribution lookback of ${days} days is not allowed: CloudTrail event history keeps ${MAX_LOOKBACK_DAYS} days, so set a lookback between 1 and ${MAX_LOOKBACK_DAYS} days`,
    );
  }
  return days;
}

function timeOf(event: Event): number {
  const time = event.EventTime?.getTime();
  return time === undefined || Number.isNaN(time) ? 0 : time;
}

function errorName(error: unknown): string {
  if (error instanceof Error && error.name) return error.name;
  return 'UnknownError';
}

function lookupError(error: unknown, name: string, region: string): DriftwatchError {
  if (ACCESS_ERRORS.has(name)) {
    return new DriftwatchError(
      'aws',
      `CloudTrail attribution skipped in ${region} (${name}): allow cloudtrail:LookupEvents to the credentials driftwatch uses. Drifts are still reported, without who made them.`,
      { cause: error },
    );
  }
  if (THROTTLING_ERRORS.has(name)) {
    return new DriftwatchError(
      'aws',
      `CloudTrail throttled LookupEvents in ${region} after retries: some drifts are reported without who made them. Scan again later, or scan fewer workspaces of this account at once.`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new DriftwatchError(
    'aws',
    `CloudTrail attribution failed in ${region} (${name}: ${detail}): drifts are still reported, without who made them.`,
    { cause: error },
  );
}

function malformedEventError(region: string): DriftwatchError {
  return new DriftwatchError(
    'aws',
    `CloudTrail in ${region} returned an event whose CloudTrailEvent is not a JSON object: the drift it would explain is reported without who made it.`,
  );
}
