// The weekly briefing's schedules, offered to the scheduler: one per workspace of each repository
// whose config enables it (`notify.slack.briefing.enabled`), at `briefing.schedule` (default
// Monday 09:00) in the workspace's time zone (default UTC). A switched-off briefing, a repository
// without `notify.slack` or a disabled workspace offers nothing, so the scheduler drops it.
import type { ScheduledJob, ScheduleProvider } from '../jobs/types.js';
import { SLACK_BRIEFING_JOB, type BriefingJobData } from './briefing-job.js';
import { DEFAULT_BRIEFING_SCHEDULE, type SlackConfig } from '../config/repo-config.js';

/** The provider's name, and the prefix of its schedules' names (the scheduler keeps a failing
 * provider's schedules by this prefix). */
export const BRIEFING_PROVIDER = 'briefing';

export interface BriefingScheduleInput {
  installationId?: number;
  /** owner/name */
  repo: string;
  /** `notify.slack` of the repository config. */
  slack: SlackConfig | null | undefined;
  workspaces: { name: string; timezone?: string | null; enabled?: boolean }[];
}

export function briefingSchedules(inputs: readonly BriefingScheduleInput[]): ScheduledJob[] {
  const jobs: ScheduledJob[] = [];
  for (const input of inputs) {
    if (input.slack == null || !input.slack.briefing.enabled) continue;
    const cron = input.slack.briefing.schedule.trim() === '' ? DEFAULT_BRIEFING_SCHEDULE : input.slack.briefing.schedule;
    for (const workspace of input.workspaces) {
      if (workspace.enabled === false) continue;
      const data: BriefingJobData = { repo: input.repo, workspace: workspace.name };
      if (input.installationId !== undefined) data.installationId = input.installationId;
      jobs.push({ name: `${BRIEFING_PROVIDER}:${input.repo}:${workspace.name}`, cron, timezone: workspace.timezone || 'UTC', job: SLACK_BRIEFING_JOB, data });
    }
  }
  return jobs;
}

/** `list` reads every installation's repositories and configs (the lead's config reader). */
export function briefingScheduleProvider(list: () => Promise<BriefingScheduleInput[]>): ScheduleProvider {
  return { name: BRIEFING_PROVIDER, jobs: async () => briefingSchedules(await list()) };
}
