// What the schedule providers offer, for both schedulers (in process and on Redis).
import type { JobLogger, ScheduledJob, ScheduleProvider } from './types.js';

export interface OfferedJobs {
  /** The jobs offered now, by name. */
  offered: Map<string, ScheduledJob>;
  /** Names of schedules whose provider could not answer: kept as they are, never dropped. */
  kept: Set<string>;
}

/** Asks every provider for its jobs. A provider that cannot answer keeps what it offered before
 * (the `current` names under `<provider>:`): an outage of GitHub must not drop every schedule. */
export async function offeredJobs(providers: ScheduleProvider[], current: Iterable<string>, log: JobLogger): Promise<OfferedJobs> {
  const offered = new Map<string, ScheduledJob>();
  const kept = new Set<string>();
  const names = [...current];
  for (const provider of providers) {
    let jobs: ScheduledJob[];
    try {
      jobs = await provider.jobs();
    } catch (error) {
      log.warn({ provider: provider.name, reason: error instanceof Error ? error.message : String(error) }, 'schedule provider failed; keeping its schedules');
      for (const name of names) if (name.startsWith(`${provider.name}:`)) kept.add(name);
      continue;
    }
    for (const job of jobs) offered.set(job.name, job);
  }
  return { offered, kept };
}
