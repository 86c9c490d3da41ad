import type { RetryErrorInfo, RetryToken } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { createRetryStrategy } from '../../src/aws/retry-strategy.js';

function sdkError(name: string, httpStatusCode?: number): RetryErrorInfo['error'] {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode } }) as RetryErrorInfo['error'];
}

const throttling: RetryErrorInfo = { errorType: 'THROTTLING', error: sdkError('ThrottlingException', 400) };
const transient: RetryErrorInfo = { errorType: 'TRANSIENT', error: sdkError('TimeoutError') };
const serverError: RetryErrorInfo = { errorType: 'SERVER_ERROR', error: sdkError('InternalError', 500) };
const clientError: RetryErrorInfo = { errorType: 'CLIENT_ERROR', error: sdkError('AccessDenied', 403) };

async function retries(strategy: ReturnType<typeof createRetryStrategy>, info: RetryErrorInfo, times: number): Promise<RetryToken[]> {
  const tokens: RetryToken[] = [];
  let token = await strategy.acquireInitialRetryToken('scope');
  for (let i = 0; i < times; i++) {
    token = await strategy.refreshRetryTokenForRetry(token, info);
    tokens.push(token);
  }
  return tokens;
}

describe('createRetryStrategy', () => {
  it('waits a full-jitter exponential delay: random × min(cap, base × 2^retry)', async () => {
    const strategy = createRetryStrategy({ maxAttempts: 6, throttlingBaseDelayMs: 500, baseDelayMs: 100, maxDelayMs: 5000, random: () => 0.5 });
    const delays = (await retries(strategy, throttling, 5)).map((t) => t.getRetryDelay());
    expect(delays).toEqual([250, 500, 1000, 2000, 2500]);
  });

  it('backs off less for transient and server errors than for throttling', async () => {
    const strategy = createRetryStrategy({ maxAttempts: 4, baseDelayMs: 100, random: () => 0.999 });
    expect((await retries(strategy, transient, 3)).map((t) => t.getRetryDelay())).toEqual([99, 199, 399]);
    expect((await retries(strategy, serverError, 1)).map((t) => t.getRetryDelay())).toEqual([99]);
  });

  it('can wait anywhere from zero to the ceiling', async () => {
    const low = createRetryStrategy({ maxAttempts: 2, random: () => 0 });
    expect((await retries(low, throttling, 1))[0]?.getRetryDelay()).toBe(0);
  });

  it('stops after maxAttempts attempts in all', async () => {
    const strategy = createRetryStrategy({ maxAttempts: 3, random: () => 0 });
    const tokens = await retries(strategy, throttling, 2);
    expect(tokens.map((t) => t.getRetryCount())).toEqual([1, 2]);
    await expect(strategy.refreshRetryTokenForRetry(tokens[1] as RetryToken, throttling)).rejects.toThrow();
  });

  it('can retry throttling only, leaving server errors and transient faults alone', async () => {
    const strategy = createRetryStrategy({ maxAttempts: 5, throttlingOnly: true, random: () => 0 });
    await expect(retries(strategy, serverError, 1)).rejects.toThrow();
    await expect(retries(strategy, transient, 1)).rejects.toThrow();
    expect(await retries(strategy, throttling, 2)).toHaveLength(2);
  });

  it('retries a 200 whose body could not be read (cut short) like a transient fault', async () => {
    const cutOff = Object.assign(new Error('@aws-sdk XML parse error: unexpected end of input.'), { $metadata: { httpStatusCode: 200 } });
    Object.defineProperty(cutOff, '$response', { value: { statusCode: 200, headers: {} } });
    const strategy = createRetryStrategy({ maxAttempts: 3, baseDelayMs: 100, random: () => 0.999 });
    const tokens = await retries(strategy, { errorType: 'CLIENT_ERROR', error: cutOff as RetryErrorInfo['error'] }, 2);
    expect(tokens.map((t) => t.getRetryDelay())).toEqual([99, 199]);
  });

  it('never retries a client error such as AccessDenied', async () => {
    const strategy = createRetryStrategy({ maxAttempts: 5 });
    await expect(retries(strategy, clientError, 1)).rejects.toThrow();
  });

  it('honours a Retry-After hint longer than its own delay, up to the cap', async () => {
    const strategy = createRetryStrategy({ maxAttempts: 3, maxDelayMs: 3000, random: () => 0 });
    const token = await strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(''), {
      ...throttling,
      retryAfterHint: new Date(Date.now() + 60_000),
    });
    expect(token.getRetryDelay()).toBe(3000);
  });

  it('stops retrying when its budget is spent, and successes refill it', async () => {
    const strategy = createRetryStrategy({ maxAttempts: 2, random: () => 0 });
    // 500 tokens, 5 per retry: 100 calls may each retry once, the 101st fails at once.
    const first: RetryToken[] = [];
    for (let i = 0; i < 100; i++) first.push(...(await retries(strategy, throttling, 1)));
    await expect(retries(strategy, throttling, 1)).rejects.toThrow(/budget/);
    strategy.recordSuccess(first[0] as RetryToken);
    await expect(retries(strategy, throttling, 1)).resolves.toHaveLength(1);
  });
});
