// The embedded job queue: jobs run in this process after the webhook has been answered. Per job
// id, at most one waits and one runs: a request while one waits is merged into it, a request
// while one runs queues a single rerun behind it — so three deliveries of one event, or ten
// pushes during a scan, cost one more scan, not ten. Failed jobs are retried with exponential
// backoff, then logged with their reason.
import type { EnqueueOptions, JobDefinition, JobLogger, JobQueue } from './types.js';

export interface InProcessQueueOptions {
  definitions: JobDefinition<unknown>[];
  log: JobLogger;
  /** Jobs running at once (scans are CPU-bound: about one per core). */
  concurrency?: number;
  /** Attempts per job, the first included. */
  attempts?: number;
  /** First retry delay; doubles each attempt. */
  backoffMs?: number;
}

interface Entry {
  name: string;
  id: string | null;
  data: unknown;
  attempt: number;
  /** Not before this time (delayed jobs and retries). */
  notBefore: number;
}

export function createInProcessQueue(options: InProcessQueueOptions): JobQueue {
  const definitions = new Map<string, JobDefinition<unknown>>();
  for (const definition of options.definitions) definitions.set(definition.name, definition);
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoffMs = options.backoffMs ?? 5_000;

  const waiting: Entry[] = [];
  const running = new Set<string>();
  let active = 0;
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();
  let idleWaiters: (() => void)[] = [];

  function definitionOf(name: string): JobDefinition<unknown> {
    const definition = definitions.get(name);
    if (!definition) throw new Error(`No job named "${name}" is registered: register its JobDefinition with the queue.`);
    return definition;
  }

  function runnable(entry: Entry, now: number): boolean {
    return entry.notBefore <= now && (entry.id === null || !running.has(entry.id));
  }

  function pump(): void {
    const now = Date.now();
    while (active < concurrency) {
      const index = waiting.findIndex((entry) => runnable(entry, now));
      if (index < 0) break;
      const [entry] = waiting.splice(index, 1);
      void start(entry!);
    }
    scheduleWake(now);
    if (active === 0 && waiting.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Wakes the pump when the earliest delayed job becomes due. */
  function scheduleWake(now: number): void {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    const delayed = waiting.filter((entry) => entry.notBefore > now).map((entry) => entry.notBefore);
    if (delayed.length === 0 || closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      pump();
    }, Math.min(...delayed) - now);
    timers.add(timer);
  }

  async function start(entry: Entry): Promise<void> {
    active += 1;
    if (entry.id !== null) running.add(entry.id);
    const definition = definitionOf(entry.name);
    try {
      await definition.run(entry.data, { attempt: entry.attempt, log: options.log });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (entry.attempt < attempts && !closed) {
        const delay = backoffMs * 2 ** (entry.attempt - 1);
        options.log.warn({ job: entry.name, id: entry.id, attempt: entry.attempt, retryInMs: delay, reason }, 'job failed; retrying');
        // A retry goes behind a rerun already waiting under its id: that one has newer data.
        const rerun = entry.id === null ? undefined : waiting.find((other) => other.id === entry.id);
        if (rerun) rerun.data = mergeData(definition, entry.data, rerun.data);
        else waiting.push({ ...entry, attempt: entry.attempt + 1, notBefore: Date.now() + delay });
      } else {
        options.log.error({ job: entry.name, id: entry.id, attempts: entry.attempt, reason }, 'job failed; giving up');
      }
    } finally {
      active -= 1;
      if (entry.id !== null) running.delete(entry.id);
      pump();
    }
  }

  return {
    async enqueue(name: string, data: unknown, enqueueOptions: EnqueueOptions = {}) {
      if (closed) throw new Error('The job queue is closed: the process is shutting down.');
      const definition = definitionOf(name);
      const id = enqueueOptions.id ?? null;
      const notBefore = Date.now() + Math.max(0, enqueueOptions.delayMs ?? 0);
      const existing = id === null ? undefined : waiting.find((entry) => entry.id === id);
      if (existing) {
        existing.data = mergeData(definition, existing.data, data);
        existing.notBefore = Math.min(existing.notBefore, notBefore);
        existing.attempt = 1;
      } else {
        waiting.push({ name, id, data, attempt: 1, notBefore });
      }
      // Run after the caller's turn: a webhook handler returns before any job starts.
      setImmediate(pump);
    },
    idle() {
      if (active === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      waiting.splice(0);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (active > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

function mergeData(definition: JobDefinition<unknown>, waiting: unknown, incoming: unknown): unknown {
  return definition.merge ? definition.merge(waiting, incoming) : incoming;
}
