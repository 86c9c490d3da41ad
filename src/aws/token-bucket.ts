// A token bucket per key (one per region for CloudTrail), shared by every caller that talks to the
// same account, so concurrent lookups together stay under the service's request rate.

export interface TokenBucket {
  /** Resolves when one request for `key` may be sent. */
  take(key: string): Promise<void>;
}

export interface TokenBucketOptions {
  /** Tokens added per second, per key. */
  ratePerSecond: number;
  /** Most tokens a key can hold: how many requests may go out back to back after a pause. */
  burst: number;
  /** Milliseconds clock; injectable so tests run on a fake clock. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const { ratePerSecond, burst } = options;
  if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
    throw new RangeError(`token bucket rate must be a positive number, got ${ratePerSecond}`);
  }
  if (!(Number.isFinite(burst) && burst >= 1)) {
    throw new RangeError(`token bucket burst must be at least 1, got ${burst}`);
  }
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  // Whole milliseconds between requests: with fractional token counts, rounding can put two
  // requests a hair closer than the rate allows, and a one-second window would hold one too many.
  const interval = Math.ceil(1000 / ratePerSecond);
  const tolerance = (Math.floor(burst) - 1) * interval;
  /** Per key, the time the next request would be due if requests came at exactly the rate
   * (GCRA's theoretical arrival time). */
  const due = new Map<string, number>();

  async function take(key: string): Promise<void> {
    const at = now();
    const theoretical = Math.max(due.get(key) ?? at, at);
    // Reserved synchronously, so concurrent callers queue in call order without a lock.
    const sendAt = Math.max(at, theoretical - tolerance);
    due.set(key, theoretical + interval);
    if (sendAt > at) await sleep(sendAt - at);
  }

  return { take };
}

/** CloudTrail LookupEvents allows 2 requests per second per account and region. A burst of 1
 * spaces requests 500 ms apart, so no one-second window ever holds more than 2. */
export function createCloudTrailLimiter(options: Pick<TokenBucketOptions, 'now' | 'sleep'> = {}): TokenBucket {
  return createTokenBucket({ ratePerSecond: 2, burst: 1, ...options });
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
