// The repository's driftwatch configuration (.github/driftwatch.yml): which root modules to scan
// and how, what to do about drift, and who to tell. One zod schema for the CLI and the app:
// defaults live here, its descriptions feed docs/driftwatch.schema.json, and every error names the
// file, the line and the field.
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { DriftwatchError } from '../errors.js';
import { describeProblems, locateIssues } from './locate-issues.js';
import { cronSchema, timeZoneSchema } from './schedule-fields.js';
import { slackChannelKey, slackChannelSchema, slackWebhookVariable } from './slack-channel.js';
import { flattenIssues, type ConfigIssue } from './zod-issues.js';

export const CONFIG_PATH = '.github/driftwatch.yml';

const SEVERITY = z.enum(['critical', 'high', 'medium', 'low']);
const REGION = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'expected an AWS region such as "us-east-1"');
const ROLE_ARN = z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'expected a role ARN such as "arn:aws:iam::123456789012:role/driftwatch-reader"');
const AUTOFIX_MODE = z.enum(['off', 'restore', 'accept']).describe('off: never; restore: a pull request that makes the next apply put the declared values back; accept: a pull request that writes the live values into the code');
/** GitHub refuses longer label names. */
const LABEL_MAX = 50;
/** GitHub allows 100 labels on an issue; driftwatch sets two of its own. */
const LABELS_MAX = 98;

export const DEFAULT_SCHEDULE = '0 6 * * *';
export const DEFAULT_BRIEFING_SCHEDULE = '0 9 * * 1';

export const workspaceSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, ".", "_" or "-"').describe('Name used in reports, issues, branches and fingerprints.'),
    dir: z.string().min(1).default('.').describe('Root module directory (where you run `terraform plan`), relative to the repository root.'),
    state: z.string().min(1).optional().describe("Where the state is: a path in the repository or s3://bucket/key. Default: the root module's backend block."),
    terraform_workspace: z.string().min(1).default('default').describe('Terraform workspace (`terraform workspace select …`) whose state to read.'),
    regions: z.array(REGION).min(1).optional().describe('Regions to scan. Default: every region the root module\'s provider "aws" blocks name.'),
    role_arn: ROLE_ARN.optional().describe("Role to assume to read this account; it must be in the server's DRIFTWATCH_ASSUME_ROLE_ALLOWLIST."),
    enabled: z.boolean().default(true).describe('false: not scanned, and the dashboard says so.'),
    schedule: cronSchema().default(DEFAULT_SCHEDULE).describe('Five-field cron expression for scheduled scans, in `timezone`. Default: daily at 06:00.'),
    timezone: timeZoneSchema().default('UTC').describe('IANA time zone of `schedule` and of the Slack briefing, such as "Europe/Berlin".'),
  })
  .strict()
  .meta({ title: 'Workspace', description: 'One root module and the state it applies.' });

const autofixSchema = z
  .union(
    [
      AUTOFIX_MODE.transform((mode) => ({ mode, min_severity: 'low' as const })),
      z
        .object({
          mode: AUTOFIX_MODE,
          min_severity: SEVERITY.default('low').describe('Only drifts at or above this severity are fixed.'),
        })
        .strict(),
    ],
    { error: 'expected off, restore or accept, or { mode: restore, min_severity: high }' },
  )
  .default({ mode: 'off', min_severity: 'low' })
  .meta({ title: 'Autofix', description: 'Open (or update) a fix pull request on every scan, for drifts at or above min_severity. Write the mode alone (`autofix: restore`) or with a severity.' });

const labelSchema = z
  .string()
  .min(1, 'a label needs a name')
  .max(LABEL_MAX, `GitHub label names are at most ${LABEL_MAX} characters`)
  .refine((label) => label.trim() === label, 'remove the spaces around the label name')
  .refine((label) => label.toLowerCase() !== 'drift' && !label.toLowerCase().startsWith('severity:'), 'driftwatch sets "drift" and "severity:<level>" itself: list only extra labels');

const slackSchema = z
  .object({
    channel: slackChannelSchema().describe('A channel NAME the server maps to a webhook URL in its environment (DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>, upper case, other characters as "_"). Never a URL.'),
    min_severity: SEVERITY.default('low').describe('Alerts for new, changed and resolved drifts at or above this severity.'),
    briefing: z
      .object({
        enabled: z.boolean().default(false).describe('Send a weekly briefing per workspace.'),
        schedule: cronSchema().default(DEFAULT_BRIEFING_SCHEDULE).describe("Five-field cron expression in the workspace's time zone. Default: Mondays at 09:00."),
      })
      .strict()
      .prefault({})
      .meta({ title: 'Briefing', description: 'A weekly summary of what drifted and what was resolved; nothing is sent on a quiet week.' }),
  })
  .strict()
  .meta({ title: 'Slack', description: 'Alerts and the weekly briefing in a Slack channel.' });

export const repoConfigSchema = z
  .object({
    _extends: z.string().optional().describe('The GitHub App reads this file of another repository first and merges this one over it: "repo" (same owner), "owner/repo" or "owner/repo:path.yml". Lists are concatenated. The CLI reads only the local file.'),
    workspaces: z
      .array(workspaceSchema)
      .min(1)
      .prefault([{ name: 'default' }])
      .describe('Root modules to scan. Without this key the app scans every root module with a backend block, each named after its directory (the CLI scans the repository root).'),
    ignore: z.array(z.string().min(1)).default([]).describe('Ignore rules (gitignore-style patterns); a .driftignore file in the repository root or the root module adds more.'),
    unmanaged: z
      .object({ report: z.boolean().default(true).describe('false: count unmanaged resources for coverage, do not report them.') })
      .strict()
      .prefault({})
      .meta({ title: 'Unmanaged resources', description: 'Live resources no state of the repository manages.' }),
    attribution: z
      .object({
        enabled: z.boolean().default(true).describe('Look up who made each change in CloudTrail.'),
        lookback_days: z.number().int().min(1).max(90).default(7).describe('1–90: CloudTrail keeps 90 days of management events.'),
      })
      .strict()
      .prefault({})
      .meta({ title: 'Attribution', description: 'Who made each change, and through which API call (CloudTrail).' }),
    fail_on: SEVERITY.default('low').describe('Severity at or above which a check run fails and the CLI exits 1.'),
    autofix: autofixSchema,
    labels: z.array(labelSchema).max(LABELS_MAX, `GitHub allows 100 labels on an issue: at most ${LABELS_MAX} besides driftwatch's own`).default([]).describe('Extra labels for drift issues, besides "drift" and "severity:<level>"; created if missing.'),
    notify: z
      .object({ slack: slackSchema.optional() })
      .strict()
      .prefault({})
      .meta({ title: 'Notifications', description: 'Where drift is announced besides GitHub.' }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.workspaces.forEach((workspace, index) => {
      if (seen.has(workspace.name)) ctx.addIssue({ code: 'custom', path: ['workspaces', index, 'name'], message: `workspace "${workspace.name}" is listed twice; names must be unique` });
      seen.add(workspace.name);
    });
    const labels = new Set<string>();
    config.labels.forEach((label, index) => {
      // GitHub label names are case-insensitive.
      if (labels.has(label.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['labels', index], message: `label "${label}" is listed twice` });
      labels.add(label.toLowerCase());
    });
  })
  .meta({ title: 'driftwatch configuration', description: 'Which Terraform root modules driftwatch scans, what it does about drift, and who it tells. Read from .github/driftwatch.yml.' });

export type RepoConfig = z.infer<typeof repoConfigSchema>;
export type WorkspaceConfig = RepoConfig['workspaces'][number];
export type AutofixConfig = RepoConfig['autofix'];
export type SlackConfig = NonNullable<RepoConfig['notify']['slack']>;

export interface RepoConfigOptions {
  /** Channels the server has a webhook for (the keys of its DRIFTWATCH_SLACK_WEBHOOK_* variables,
   * as `slackWebhooksFromEnv` lists them). Given, a `notify.slack.channel` outside them is an
   * error; absent (the CLI, which sends nothing to Slack), channels are not checked. */
  slackChannels?: readonly string[];
}

export type RepoConfigValidation = { ok: true; config: RepoConfig } | { ok: false; issues: ConfigIssue[] };

/** Validates a parsed configuration (already merged, for the app). */
export function validateRepoConfig(raw: unknown, options: RepoConfigOptions = {}): RepoConfigValidation {
  const parsed = repoConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, issues: flattenIssues(parsed.error.issues) };
  const slack = parsed.data.notify.slack;
  if (slack && options.slackChannels && !options.slackChannels.includes(slackChannelKey(slack.channel))) {
    const known = options.slackChannels.length > 0 ? `it has webhooks for ${options.slackChannels.map((key) => `"${key.toLowerCase()}"`).join(', ')}` : 'it has none';
    return {
      ok: false,
      issues: [{ path: ['notify', 'slack', 'channel'], message: `the server has no webhook for channel "${slack.channel}" (${known}): ask its operator to set ${slackWebhookVariable(slack.channel)}, or name another channel` }],
    };
  }
  return { ok: true, config: parsed.data };
}

/** Workspace settings with every default filled in (for workspaces found without a config). */
export function workspaceWithDefaults(workspace: z.input<typeof workspaceSchema>): WorkspaceConfig {
  return workspaceSchema.parse(workspace);
}

/** Parses the YAML text of a repository config; an empty file means all defaults. Errors name
 * the file, the line and the field. */
export function parseRepoConfig(text: string, source: string, options: RepoConfigOptions = {}): RepoConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0].line ?? lines.linePos(yamlError.pos[0]).line;
    throw new DriftwatchError('config', `${source}:${line} is not valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // Aliases beyond yaml's limit (an "exponential entity expansion" file) fail here.
    throw new DriftwatchError('config', `${source} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const validation = validateRepoConfig(raw, options);
  if (validation.ok) return validation.config;
  const problems = locateIssues([{ file: source, text }], validation.issues);
  throw new DriftwatchError('config', `${source} is not valid:\n${describeProblems(problems).replace(/^/gm, '  ')}`);
}
