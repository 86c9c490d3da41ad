// On Linux, every thread of the process but the main one yields the CPU to it: V8's helpers do
// the scan threads' garbage collection and compilation.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lowerHelperThreads, SCAN_NICE } from '../../src/scan/lower-helper-threads.js';

const priorities = () => new Map(readdirSync('/proc/self/task').map((tid) => [Number(tid), os.getPriority(Number(tid))]));

describe.runIf(process.platform === 'linux')('lowerHelperThreads', () => {
  it('lowers every thread but the main one, and leaves the main one alone', async () => {
    const mainBefore = os.getPriority(process.pid);
    // One more thread that exists when it runs (a worker's own thread, started from this one).
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    try {
      const before = priorities();
      expect([...before].filter(([tid, nice]) => tid !== process.pid && nice === 0).length).toBeGreaterThan(0);

      lowerHelperThreads();

      const after = priorities();
      expect(after.get(process.pid)).toBe(mainBefore);
      for (const [tid, nice] of after) if (tid !== process.pid && before.has(tid)) expect(nice).toBe(SCAN_NICE);
    } finally {
      await worker.terminate();
    }
  });
});
