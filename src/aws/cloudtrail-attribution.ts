// Who made each drift: the most recent mutating CloudTrail management event on the drift's
// resource whose name can explain the change. Best effort by design: a failure leaves drifts
// unattributed and is told once through onError; it never fails the scan.
//
// Bounded: each drifted resource is read once (its pages shared by all its drifts, under each
// name CloudTrail may index it by), one request at a time per region, and a region that fails for
// any reason but throttling is not asked again in this run (the SDK client already backed off
// from throttling; a denial, an unknown operation or a server error would only repeat).
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, Event } from '@aws-sdk/client-cloudtrail';
import type { Attribution, Drift } from '../drift/types.js';
import { DriftwatchError } from '../errors.js';
import { eventNamesForDrift } from './cloudtrail-event-names.js';
import { parseCloudTrailEvent } from './cloudtrail-event.js';
import { IAM_EVENTS_REGION, cloudTrailRegion, cloudTrailResourceNames } from './cloudtrail-resource-name.js';
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
  /** Told once per region and kind of failure, with a DriftwatchError('aws') whose cause is the
   * original error and whose message says what fixes it. */
  onError?: (error: unknown) => void;
  /** Pages (50 events each) read per resource name before giving up; 5 by default. */
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
// What an endpoint without CloudTrail (an emulator, a proxy) answers for LookupEvents.
const UNKNOWN_OPERATION_ERRORS = new Set(['UnknownOperationException', 'UnknownOperation', 'InvalidAction', 'NotImplemented', 'NotImplementedException']);

/** One drifted resource in one region: the names it is indexed under, and its drifts. */
interface ResourceLookup {
  region: string;
  names: string[];
  drifts: (Drift & { fingerprint: string })[];
}

/** A drift's newest matching event under one name: who, or a record that cannot say. */
type Found = { time: number; attribution: Attribution | null };

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
  const reported = new Set<string>();

  function report(key: string, error: DriftwatchError): void {
    if (reported.has(key)) return;
    reported.add(key);
    try {
      options.onError?.(error);
    } catch {
      // A failing error callback must not turn best-effort attribution into a failed scan.
    }
  }

  const attributions = new Map<string, Attribution | null>();
  for (const drift of drifts) attributions.set(drift.fingerprint, null);

  // Drifts on the same resource (the rules and tags of one group, the settings of one bucket)
  // share one lookup.
  const byRegion = new Map<string, Map<string, ResourceLookup>>();
  for (const drift of drifts) {
    const names = cloudTrailResourceNames(drift);
    const region = cloudTrailRegion(drift, iamRegion);
    if (names.length === 0 || !region) continue;
    const resources = byRegion.get(region) ?? new Map<string, ResourceLookup>();
    byRegion.set(region, resources);
    const key = names.join('\u0000');
    const resource = resources.get(key) ?? { region, names, drifts: [] };
    resources.set(key, resource);
    resource.drifts.push(drift);
  }

  async function page(region: string, name: string, nextToken: string | undefined): Promise<{ events: Event[]; nextToken: string | undefined }> {
    await limiter.take(region);
    const output = await options.lookup(region).send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: name }],
        StartTime: startTime,
        EndTime: endTime,
        MaxResults: PAGE_SIZE,
        NextToken: nextToken,
      }),
    );
    return { events: output.Events ?? [], nextToken: output.NextToken || undefined };
  }

  /** Reads the resource's pages under each name until each of its drifts has its newest match. */
  async function lookUp(resource: ResourceLookup): Promise<void> {
    // Worked out here, not up front: a region that fails never needs them.
    const wanted = resource.drifts
      .map((drift) => ({ fingerprint: drift.fingerprint, eventNames: eventNamesForDrift(drift) }))
      .filter((drift) => drift.eventNames.size > 0);
    if (wanted.length === 0) return;
    const best = new Map<string, Found>();
    for (const name of resource.names) {
      const pending = new Set(wanted);
      let nextToken: string | undefined;
      for (let index = 0; index < maxPages && pending.size > 0; index += 1) {
        const current = await page(resource.region, name, nextToken);
        for (const drift of [...pending]) {
          const found = newestMatch(current.events, drift.eventNames, () => report(`${resource.region}|MalformedEvent`, malformedEventError(resource.region)));
          if (!found) continue;
          pending.delete(drift);
          const previous = best.get(drift.fingerprint);
          if (!previous || found.time > previous.time) best.set(drift.fingerprint, found);
        }
        nextToken = current.nextToken;
        if (!nextToken) break;
      }
    }
    for (const [fingerprint, found] of best) attributions.set(fingerprint, found.attribution);
  }

  await Promise.all(
    [...byRegion].map(async ([region, resources]) => {
      // One request at a time per region (regions run in parallel): the rate limit allows little
      // more, and a failure is known before the next request is sent.
      for (const resource of resources.values()) {
        try {
          await lookUp(resource);
        } catch (error) {
          const name = errorName(error);
          if (THROTTLING_ERRORS.has(name)) {
            report(`${region}|throttling`, lookupError(error, name, region));
            continue;
          }
          report(`${region}|failed`, lookupError(error, name, region));
          return;
        }
      }
    }),
  );
  return attributions;
}

/**
 * The newest event of a page that can explain a drift: its attribution, or null attribution for
 * a record that is not a JSON object (an older event would name the wrong person).
 */
function newestMatch(events: Event[], eventNames: Set<string>, onMalformed: () => void): Found | null {
  // LookupEvents cannot filter on ResourceName and ReadOnly together: filter here.
  const candidates = events
    .filter((event) => event.ReadOnly !== 'true' && event.EventName !== undefined && eventNames.has(event.EventName))
    .sort((a, b) => timeOf(b) - timeOf(a));
  for (const candidate of candidates) {
    const parsed = parseCloudTrailEvent(candidate);
    if (parsed.kind === 'attribution') return { time: timeOf(candidate), attribution: parsed.attribution };
    if (parsed.kind === 'malformed') {
      onMalformed();
      return { time: timeOf(candidate), attribution: null };
    }
  }
  return null;
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

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

const STILL_REPORTED = 'Drifts are still reported, without who made them.';

function lookupError(error: unknown, name: string, region: string): DriftwatchError {
  const status = httpStatus(error);
  let message: string;
  if (ACCESS_ERRORS.has(name)) {
    message = `CloudTrail attribution skipped in ${region} (${name}): allow cloudtrail:LookupEvents to the credentials driftwatch uses. ${STILL_REPORTED}`;
  } else if (THROTTLING_ERRORS.has(name)) {
    message = `CloudTrail throttled LookupEvents in ${region} after retries: some drifts are reported without who made them. Scan again later, or scan fewer workspaces of this account at once.`;
  } else if (UNKNOWN_OPERATION_ERRORS.has(name) || status === 404 || status === 501) {
    message =
      `CloudTrail attribution skipped in ${region} (${name}): the CloudTrail endpoint does not answer LookupEvents. ` +
      `If AWS_ENDPOINT_URL points at an emulator without CloudTrail, point AWS_ENDPOINT_URL_CLOUDTRAIL at one that has it, or scan with --no-attribution. ${STILL_REPORTED}`;
  } else if (status !== undefined && status >= 500) {
    message = `CloudTrail attribution skipped in ${region} (${name}, HTTP ${status}): CloudTrail failed and is not asked again in this scan. Scan again later, or scan with --no-attribution. ${STILL_REPORTED}`;
  } else {
    const detail = error instanceof Error ? error.message : String(error);
    message = `CloudTrail attribution skipped in ${region} (${name}: ${detail}): CloudTrail is not asked again in this scan. ${STILL_REPORTED}`;
  }
  return new DriftwatchError('aws', message, { cause: error });
}

function malformedEventError(region: string): DriftwatchError {
  return new DriftwatchError(
    'aws',
    `CloudTrail in ${region} returned an event whose CloudTrailEvent is not a JSON object: the drift it would explain is reported without who made it.`,
  );
}
