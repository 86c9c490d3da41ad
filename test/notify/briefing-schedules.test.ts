import { describe, expect, it } from 'vitest';
import { SLACK_BRIEFING_JOB } from '../../src/notify/briefing-job.js';
import { briefingScheduleProvider, briefingSchedules, type BriefingScheduleInput } from '../../src/notify/briefing-schedules.js';

const infra: BriefingScheduleInput = {
  installationId: 4242,
  repo: 'acme/infra',
  slack: { channel: 'infra-alerts', min_severity: 'high', briefing: { enabled: true, schedule: '0 9 * * 1' } },
  workspaces: [
    { name: 'prod', timezone: 'Asia/Tokyo' },
    { name: 'staging' },
    { name: 'legacy', timezone: 'Europe/Berlin', enabled: false },
  ],
};

describe('briefingSchedules', () => {
  it('offers one briefing per enabled workspace, at the configured cron in the workspace time zone', () => {
    expect(briefingSchedules([infra])).toEqual([
      { name: 'briefing:acme/infra:prod', cron: '0 9 * * 1', timezone: 'Asia/Tokyo', job: SLACK_BRIEFING_JOB, data: { installationId: 4242, repo: 'acme/infra', workspace: 'prod' } },
      { name: 'briefing:acme/infra:staging', cron: '0 9 * * 1', timezone: 'UTC', job: SLACK_BRIEFING_JOB, data: { installationId: 4242, repo: 'acme/infra', workspace: 'staging' } },
    ]);
  });

  it('uses a custom schedule and keeps the data JSON-only', () => {
    const [job] = briefingSchedules([{ repo: 'acme/payments', slack: { channel: 'payments', min_severity: 'low', briefing: { enabled: true, schedule: '30 8 * * 5' } }, workspaces: [{ name: 'prod', timezone: 'America/New_York' }] }]);
    expect(job).toEqual({ name: 'briefing:acme/payments:prod', cron: '30 8 * * 5', timezone: 'America/New_York', job: 'slack-briefing', data: { repo: 'acme/payments', workspace: 'prod' } });
    expect(JSON.parse(JSON.stringify(job!.data))).toEqual(job!.data);
  });

  it('falls back to Monday 09:00 for an empty schedule', () => {
    const [job] = briefingSchedules([{ ...infra, slack: { ...infra.slack!, briefing: { enabled: true, schedule: '' } } }]);
    expect(job?.cron).toBe('0 9 * * 1');
  });

  it.each([
    ['the briefing is switched off', { ...infra, slack: { ...infra.slack!, briefing: { enabled: false, schedule: '0 9 * * 1' } } }],
    ['the repository has no notify.slack', { ...infra, slack: undefined }],
    ['notify.slack is null', { ...infra, slack: null }],
  ])('offers nothing when %s', (_name, input) => {
    expect(briefingSchedules([input])).toEqual([]);
  });

  it('is offered through a provider whose name prefixes its schedules', async () => {
    const provider = briefingScheduleProvider(async () => [infra]);
    const jobs = await provider.jobs();
    expect(provider.name).toBe('briefing');
    expect(jobs.every((job) => job.name.startsWith(`${provider.name}:`))).toBe(true);
  });
});
