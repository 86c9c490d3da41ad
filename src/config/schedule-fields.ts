// Schedule fields of the repository config: a five-field cron expression that croner really
// parses (the scheduler runs it with croner) and fires at least once, and an IANA time zone.
import { Cron } from 'croner';
import { z } from 'zod';

const FIVE_FIELDS = /^\s*\S+(\s+\S+){4}\s*$/;

/** A five-field cron expression (minute hour day-of-month month day-of-week). */
export function cronSchema(): z.ZodString {
  return z
    .string()
    .regex(FIVE_FIELDS, 'expected a five-field cron expression (minute hour day month weekday) such as "0 6 * * 1-5"')
    .superRefine((expression, ctx) => {
      if (!FIVE_FIELDS.test(expression)) return;
      const problem = cronProblem(expression);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** An IANA time zone name such as "Europe/Berlin" (as Intl and croner know them). */
export function timeZoneSchema(): z.ZodString {
  return z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as "UTC", "Europe/Berlin" or "America/New_York"' });
}

function cronProblem(expression: string): string | null {
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    return `"${expression}" is not a valid cron expression (${reason}); write minute hour day month weekday, such as "0 6 * * 1-5"`;
  }
  try {
    // "0 6 31 2 *" parses but never comes: a schedule that never runs is a mistake.
    if (cron.nextRun() === null) return `"${expression}" never fires (no such date); check the day and month fields`;
    return null;
  } finally {
    cron.stop();
  }
}

function isTimeZone(name: string): boolean {
  // Offsets ("+02:00") are not zones: they ignore daylight saving time.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
