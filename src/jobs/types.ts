// Jobs: work that runs after the webhook has been answered, and on schedules. Jobs are data (a
// name and a JSON payload), never closures, so the same job runs in-process (the embedded
// default) or on a BullMQ worker (REDIS_URL), and a scheduled job is found again by name after a
// restart.

export interface JobDefinition<T = unknown> {
  /** Unique, stable: stored with queued and scheduled jobs. */
  name: string;
  run(data: T, context: JobContext): Promise<void>;
  /**
   * How a request combines with one already waiting under the same job id (coalescing): e.g.
   * the union of the workspaces to scan. Default: the later request replaces the waiting one.
   */
  merge?(waiting: T, incoming: T): T;
}

export interface JobContext {
  /** 1 for the first attempt. */
  attempt: number;
  log: JobLogger;
}

export interface JobLogger {
  info(meta: Record<string, unknown>, message: string): void;
  warn(meta: Record<string, unknown>, message: string): void;
  error(meta: Record<string, unknown>, message: string): void;
}

export interface EnqueueOptions {
  /**
   * Idempotency and coalescing key. While a job with this id waits, another request with the id
   * is merged into it; while one runs, at most one rerun is queued behind it. Without an id,
   * every request runs.
   */
  id?: string;
  /**
   * What the request is of, with `id`: the commit of a push or a pull request's head. The BullMQ
   * queue drops a request whose id and revision it saw in the last idempotency window (a
   * redelivered webhook, the same event reaching two replicas); requests without a revision only
   * coalesce. The in-process queue coalesces by id alone and ignores it.
   */
  revision?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

export interface JobQueue {
  /** Accepts a job and resolves once it is queued, never after it runs: webhook handlers only
   * enqueue, so GitHub gets its answer at once. */
  enqueue(name: string, data: unknown, options?: EnqueueOptions): Promise<void>;
  /** Resolves when nothing waits or runs (tests, graceful shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** A job on a schedule, offered by a feature (scans, the weekly briefing, housekeeping). */
export interface ScheduledJob {
  /** Unique and stable across restarts: "scan:acme/infra:prod". */
  name: string;
  /** Five-field cron expression. */
  cron: string;
  /** IANA time zone the cron is read in. */
  timezone: string;
  /** The JobDefinition that runs it. */
  job: string;
  data: unknown;
}

/** A feature's offer of scheduled jobs; a feature that is switched off offers none. */
export interface ScheduleProvider {
  name: string;
  jobs(): Promise<ScheduledJob[]>;
}
