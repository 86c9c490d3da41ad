// At most one holder per key at a time in this process: one scan per repository and workspace,
// whatever asked for it (a pull request's check and a push can name the same workspace).
export interface KeyedLock {
  /** Runs `work` once no other holder of `key` runs, and releases the key when it settles. */
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async withLock(key, work) {
      const previous = tails.get(key) ?? Promise.resolve();
      const current = previous.catch(() => undefined).then(work);
      const tail = current.catch(() => undefined);
      tails.set(key, tail);
      try {
        return await current;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
