// A least-recently-used cache bounded by weight (bytes for blobs, entries for trees), so a
// long-running app keeps the hot part of its repositories in memory without growing without end.
// A Map keeps insertion order: re-inserting on every hit makes its first key the least recent.

export interface LruCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  /** Total weight held. */
  readonly weight: number;
  readonly size: number;
}

export function lruCache<K, V>(options: { maxWeight: number; weigh: (value: V) => number }): LruCache<K, V> {
  const entries = new Map<K, { value: V; weight: number }>();
  let total = 0;
  return {
    get(key) {
      const found = entries.get(key);
      if (!found) return undefined;
      entries.delete(key);
      entries.set(key, found);
      return found.value;
    },
    set(key, value) {
      const weight = options.weigh(value);
      const previous = entries.get(key);
      if (previous) {
        entries.delete(key);
        total -= previous.weight;
      }
      // One value heavier than the whole cache would evict everything and still not fit.
      if (weight > options.maxWeight) return;
      entries.set(key, { value, weight });
      total += weight;
      for (const [oldest, entry] of entries) {
        if (total <= options.maxWeight) break;
        entries.delete(oldest);
        total -= entry.weight;
      }
    },
    get weight() {
      return total;
    },
    get size() {
      return entries.size;
    },
  };
}
