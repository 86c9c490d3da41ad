// On Linux a nice value belongs to each thread, and a thread starts with its creator's. A scan
// thread lowers its own (scan-thread.ts), and the threads it starts inherit it (hcl2-parser's).
// But the threads that collect their garbage and compile their hot code are V8's helper threads,
// started with the process at the main thread's priority: on a busy machine they took more CPU
// than the scans themselves and kept the thread answering webhooks waiting (bench/webhooks.ts).
// This lowers every thread of the process that exists now except the main one: V8's helpers,
// libuv's pool if it has started, and Node's own. Threads the main thread starts later keep its
// priority.
import { readdirSync } from 'node:fs';
import os from 'node:os';

/** The nice value of scan work (Linux). Below the main thread's, not the lowest: at 19 a busy
 * machine could starve scans, and bench/webhooks.ts measured no better webhook latency. */
export const SCAN_NICE = os.constants.priority.PRIORITY_BELOW_NORMAL;

/** Threads lowered (0 where the platform keeps one priority per process, or when not allowed). */
export function lowerHelperThreads(): number {
  if (process.platform !== 'linux') return 0;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const tid of tids) {
    if (Number(tid) === process.pid) continue;
    try {
      if (os.getPriority(Number(tid)) < SCAN_NICE) {
        os.setPriority(Number(tid), SCAN_NICE);
        lowered += 1;
      }
    } catch {
      // Gone already, or not allowed (a sandbox): it keeps its priority.
    }
  }
  return lowered;
}
