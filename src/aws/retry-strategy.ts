// The retry strategy every driftwatch client uses. The SDK's retry middleware classifies each
// failure (THROTTLING, TRANSIENT, SERVER_ERROR, CLIENT_ERROR) and asks this strategy whether and
// when to try again; this strategy owns the numbers: how many attempts, which backoff, and a retry
// budget so an outage does not turn into a storm of retries.
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { isCutOffResponse } from './sdk-failure.js';

export interface RetryTuning {
  /** Backoff base for throttling errors; AWS asks clients to back off harder for those. */
  throttlingBaseDelayMs?: number;
  /** Backoff base for transient and 5xx errors. */
  baseDelayMs?: number;
  /** Longest single wait. */
  maxDelayMs?: number;
  /** Uniform [0, 1); injectable so tests can check the jitter. */
  random?: () => number;
}

export interface RetryStrategyOptions extends RetryTuning {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Retry throttling only, never a 5xx or a network fault (the SDK calls 500-504 and resets
   * transient). For a best-effort caller that gives up on its first other failure anyway: those
   * retries would only make the scan wait. */
  throttlingOnly?: boolean;
}

const DEFAULTS: Record<'throttlingBaseDelayMs' | 'baseDelayMs' | 'maxDelayMs', number> = {
  throttlingBaseDelayMs: 500,
  baseDelayMs: 100,
  maxDelayMs: 20_000,
};

// The budget follows the SDK's standard mode: a retry spends tokens, a success after a retry gives
// them back, and when the bucket is empty calls fail fast instead of piling on.
const BUDGET = 500;
const RETRY_COST = 5;
const TIMEOUT_RETRY_COST = 10;

interface Token extends RetryToken {
  getRetryCost(): number;
}

export function createRetryStrategy(options: RetryStrategyOptions): RetryStrategyV2 {
  const tuning = { ...DEFAULTS, ...definedOnly(options) };
  const random = options.random ?? Math.random;
  let budget = BUDGET;

  function token(retryCount: number, delay: number, cost: number): Token {
    return { getRetryCount: () => retryCount, getRetryDelay: () => delay, getRetryCost: () => cost };
  }

  return {
    async acquireInitialRetryToken(): Promise<RetryToken> {
      return token(0, 0, 0);
    },

    async refreshRetryTokenForRetry(previous: RetryToken, reported: RetryErrorInfo): Promise<RetryToken> {
      // The SDK calls a 200 whose body ended early a client error: it is a network fault that
      // happened to arrive after the status line, and is retried like one.
      const info: RetryErrorInfo = reported.errorType === 'CLIENT_ERROR' && isCutOffResponse(reported.error) ? { ...reported, errorType: 'TRANSIENT' } : reported;
      const retryCount = previous.getRetryCount();
      if (!retryable(info, options.throttlingOnly ?? false) || retryCount + 1 >= options.maxAttempts) throw new Error('no retry');
      const cost = info.errorType === 'TRANSIENT' && isTimeout(info) ? TIMEOUT_RETRY_COST : RETRY_COST;
      if (budget < cost) throw new Error('retry budget spent');
      budget -= cost;
      const base = info.errorType === 'THROTTLING' ? tuning.throttlingBaseDelayMs : tuning.baseDelayMs;
      // Full jitter: anywhere between 0 and the exponential ceiling, so clients that were
      // throttled together do not come back together.
      const ceiling = Math.min(tuning.maxDelayMs, base * 2 ** retryCount);
      let delay = Math.floor(random() * ceiling);
      if (info.retryAfterHint instanceof Date) {
        const hinted = info.retryAfterHint.getTime() - Date.now();
        delay = Math.min(tuning.maxDelayMs, Math.max(delay, hinted));
      }
      return token(retryCount + 1, delay, cost);
    },

    recordSuccess(last: RetryToken): void {
      const cost = (last as Partial<Token>).getRetryCost?.() ?? 0;
      budget = Math.min(BUDGET, budget + (cost > 0 ? cost : 1));
    },
  };
}

function retryable(info: RetryErrorInfo, throttlingOnly: boolean): boolean {
  if (info.errorType === 'THROTTLING') return true;
  return !throttlingOnly && (info.errorType === 'TRANSIENT' || info.errorType === 'SERVER_ERROR');
}

function isTimeout(info: RetryErrorInfo): boolean {
  const error = info.error as { name?: string; code?: string } | undefined;
  return error?.name === 'TimeoutError' || error?.code === 'ETIMEDOUT';
}

function definedOnly(tuning: RetryTuning): Partial<typeof DEFAULTS> {
  const out: Partial<Record<keyof typeof DEFAULTS, number>> = {};
  for (const key of ['throttlingBaseDelayMs', 'baseDelayMs', 'maxDelayMs'] as const) {
    const value = tuning[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
