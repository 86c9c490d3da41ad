// The repository's driftwatch configuration (.github/driftwatch.yml): which root modules to scan
// and how. One zod schema: defaults live here, and every error names the file and the field.
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { DriftwatchError } from '../errors.js';
import { describeIssues } from './zod-issues.js';

const SEVERITY = z.enum(['critical', 'high', 'medium', 'low']);
const REGION = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'expected an AWS region such as "us-east-1"');
const ROLE_ARN = z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'expected a role ARN such as "arn:aws:iam::123456789012:role/driftwatch-reader"');

const workspaceSchema = z
  .object({
    /** Name used in reports, issues and fingerprints. */
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, ".", "_" or "-"'),
    /** Root module directory, relative to the repository root. */
    dir: z.string().min(1).default('.'),
    /** Where the state is: a path in the repository or s3://bucket/key. Default: the root
     * module's backend block. */
    state: z.string().min(1).optional(),
    /** Terraform workspace (terraform workspace select …), for the state key. */
    terraform_workspace: z.string().min(1).default('default'),
    /** Regions to scan. Default: every region the root module's provider "aws" blocks name. */
    regions: z.array(REGION).min(1).optional(),
    /** Role to assume to read this account (must be in the server's allowlist). */
    role_arn: ROLE_ARN.optional(),
    /** Cron schedule (UTC) for scheduled scans. */
    schedule: z
      .string()
      .regex(/^(\S+\s+){4}\S+$/, 'expected a five-field cron expression such as "0 6 * * 1-5"')
      .optional(),
  })
  .strict();

export const repoConfigSchema = z
  .object({
    workspaces: z.array(workspaceSchema).min(1).default([{ name: 'default', dir: '.', terraform_workspace: 'default' }]),
    /** Ignore rules (gitignore-style patterns); a .driftignore file in the root module adds more. */
    ignore: z.array(z.string().min(1)).default([]),
    unmanaged: z
      .object({ report: z.boolean().default(true) })
      .strict()
      .default({ report: true }),
    attribution: z
      .object({ enabled: z.boolean().default(true), lookback_days: z.number().int().min(1).max(90).default(7) })
      .strict()
      .default({ enabled: true, lookback_days: 7 }),
    /** Severity at or above which a check run fails and the CLI exits 1. */
    fail_on: SEVERITY.default('low'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.workspaces.forEach((workspace, index) => {
      if (seen.has(workspace.name)) ctx.addIssue({ code: 'custom', path: ['workspaces', index, 'name'], message: `workspace "${workspace.name}" is listed twice; names must be unique` });
      seen.add(workspace.name);
    });
  });

export type RepoConfig = z.infer<typeof repoConfigSchema>;
export type WorkspaceConfig = RepoConfig['workspaces'][number];

/** Parses the YAML text of a repository config; an empty file means all defaults. */
export function parseRepoConfig(text: string, source: string): RepoConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? `:${error.linePos[0].line}` : '';
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DriftwatchError('config', `${source}${where} is not valid YAML: ${reason}`);
  }
  const parsed = repoConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new DriftwatchError('config', describeIssues(source, parsed.error));
  return parsed.data;
}
