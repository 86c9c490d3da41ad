// At most `limit` tasks at a time, the rest queued in order: blob reads go out in parallel
// without opening hundreds of requests against GitHub's secondary rate limits at once.

export type Limited = <T>(task: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(limit: number): Limited {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so a newcomer arriving in
    // between cannot take it as well.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
