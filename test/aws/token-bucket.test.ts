import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCloudTrailLimiter, createTokenBucket } from '../../src/aws/token-bucket.js';
import { createFakeClock } from './fixtures/fake-clock.js';

/** Most requests of one key inside any window [t, t + 1000). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    const first = sorted[start] ?? 0;
    const inWindow = sorted.filter((t) => t >= first && t < first + 1000).length;
    most = Math.max(most, inWindow);
  }
  return most;
}

describe('createTokenBucket', () => {
  it('spaces concurrent takes of one key at the refill rate', async () => {
    const clock = createFakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 2, burst: 1, now: clock.now, sleep: clock.sleep });
    const times: number[] = [];

    await clock.run(
      Promise.all(
        Array.from({ length: 6 }, async () => {
          await bucket.take('us-east-1');
          times.push(clock.now());
        }),
      ),
    );

    expect(times).toEqual([0, 500, 1000, 1500, 2000, 2500]);
  });

  it('keeps one bucket per key: regions do not wait for each other', async () => {
    const clock = createFakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 2, burst: 1, now: clock.now, sleep: clock.sleep });
    const times: Record<string, number[]> = { 'us-east-1': [], 'eu-west-1': [] };

    await clock.run(
      Promise.all(
        ['us-east-1', 'eu-west-1', 'us-east-1', 'eu-west-1', 'us-east-1', 'eu-west-1'].map(async (region) => {
          await bucket.take(region);
          times[region]?.push(clock.now());
        }),
      ),
    );

    expect(times).toEqual({ 'us-east-1': [0, 500, 1000], 'eu-west-1': [0, 500, 1000] });
  });

  it('lets a burst through after a pause, but no more than the burst', async () => {
    const clock = createFakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 2, burst: 2, now: clock.now, sleep: clock.sleep });
    const times: number[] = [];
    const takeAndRecord = async (): Promise<void> => {
      await bucket.take('eu-west-1');
      times.push(clock.now());
    };

    await clock.run(Promise.all([takeAndRecord(), takeAndRecord(), takeAndRecord()]));
    await clock.run(clock.sleep(10_000));
    await clock.run(Promise.all([takeAndRecord(), takeAndRecord(), takeAndRecord()]));

    expect(times).toEqual([0, 0, 500, 10_500, 10_500, 11_000]);
  });

  it.each([
    [{ ratePerSecond: 0, burst: 1 }, 'rate'],
    [{ ratePerSecond: Number.NaN, burst: 1 }, 'rate'],
    [{ ratePerSecond: 2, burst: 0 }, 'burst'],
  ])('rejects %o', (options, what) => {
    expect(() => createTokenBucket(options)).toThrow(what);
  });
});

describe('createCloudTrailLimiter', () => {
  it('never lets more than 2 requests per second through for a region, whatever the arrivals', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 5000 }), region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-south-1') }), {
          minLength: 1,
          maxLength: 30,
        }),
        async (arrivals) => {
          const clock = createFakeClock();
          const limiter = createCloudTrailLimiter({ now: clock.now, sleep: clock.sleep });
          const sent: Record<string, number[]> = {};

          await clock.run(
            Promise.all(
              arrivals.map(async ({ at, region }) => {
                await clock.sleep(at);
                await limiter.take(region);
                (sent[region] ??= []).push(clock.now());
              }),
            ),
          );

          for (const times of Object.values(sent)) expect(busiestSecond(times)).toBeLessThanOrEqual(2);
          expect(Object.values(sent).flat()).toHaveLength(arrivals.length);
        },
      ),
      { numRuns: 100 },
    );
  });
});
