import { describe, expect, it } from 'vitest';
import { lruCache } from '../../src/github/lru-cache.js';

describe('lruCache', () => {
  const cache = () => lruCache<string, string>({ maxWeight: 10, weigh: (value) => value.length });

  it('evicts the least recently used entries once over its weight', () => {
    const lru = cache();
    lru.set('a', 'aaaa');
    lru.set('b', 'bbbb');
    expect(lru.get('a')).toBe('aaaa');
    lru.set('c', 'cccc');
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual(['aaaa', undefined, 'cccc']);
    expect(lru.weight).toBe(8);
  });

  it('replaces a key without counting it twice', () => {
    const lru = cache();
    lru.set('a', 'aaaa');
    lru.set('a', 'aaaaaa');
    expect(lru.weight).toBe(6);
    expect(lru.size).toBe(1);
  });

  it('does not hold a value heavier than the whole cache, and drops what it replaced', () => {
    const lru = cache();
    lru.set('a', 'aa');
    lru.set('a', 'x'.repeat(11));
    expect(lru.get('a')).toBeUndefined();
    expect(lru.weight).toBe(0);
  });
});
