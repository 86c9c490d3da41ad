#!/usr/bin/env node
// `driftwatch`: the scan engine on a laptop or in CI. `main` takes its streams and environment
// as arguments and returns the exit code: 0 nothing at or above --fail-on, 1 drift at or above
// it, 2 an error (printed as one message that says what to do, never a stack trace).
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { collectInventory } from './aws/collect-inventory.js';
import { createAwsClients } from './aws/clients.js';
import { getAccountId } from './aws/get-account-id.js';
import { createProgressRenderer } from './aws/progress.js';
import { checkFlagCombinations, FAIL_ON, FORMATS, lookbackDays, oneOf, PATCH_DIRECTIONS, patchDirection, type FailOn, type Format } from './cli/options.js';
import { loadWorkspace } from './cli/load-workspace.js';
import { checkOutputFile, writeOutputFile } from './cli/output-file.js';
import { pathPrefix, patchFileText } from './cli/patch-file-text.js';
import { settingsFromEnv } from './config/settings.js';
import { scrubSecrets } from './drift/redact.js';
import { isDriftwatchError } from './errors.js';
import { renderJson } from './report/render-json.js';
import { renderMarkdown } from './report/render-markdown.js';
import { renderSarif } from './report/render-sarif.js';
import { renderText } from './report/render-text.js';
import type { ScanResult } from './report/types.js';
import { SEVERITIES } from './risk/assess-risk.js';
import { scan, type ScanOutcome } from './scan.js';
import { buildHclModel } from './terraform/hcl-model.js';
import { loadModuleFiles } from './terraform/load-module.js';
import { providerRegions } from './terraform/provider-regions.js';
import { parseState } from './terraform/state.js';
import { loadTerraformParser } from './terraform/tree-sitter.js';
import { bucketSettingsToRead } from './scan/bucket-settings-to-read.js';
import { readWorkspaceState } from './scan/read-state.js';
import { VERSION } from './version.js';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
  now?: () => Date;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('driftwatch')
    .description('Finds where live AWS drifted from Terraform state: what changed, how bad, who did it, what it costs, and the fix.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  program
    .command('scan')
    .description('compare a workspace\'s state with live AWS and report every drift')
    .option('--dir <dir>', 'root module directory (default: the workspace in .github/driftwatch.yml, or .)')
    .option('--state <file|s3://bucket/key>', 'state to compare (default: the backend block, or terraform.tfstate)')
    .option('--live <inventory.json>', 'compare against a recorded inventory (driftwatch inventory) instead of live AWS')
    .addOption(new Option('--format <format>', 'report format').choices([...FORMATS]).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a drift is at or above this severity').choices([...FAIL_ON]))
    .addOption(new Option('--patch <direction>', 'build HCL patches: restore the declared values, or accept the live ones').choices([...PATCH_DIRECTIONS]))
    .option('--patch-file <file>', 'also write the patch as one unified diff (for git apply)')
    .option('--workspace <name>', 'workspace from .github/driftwatch.yml')
    .option('--config <file>', 'repository config (default: .github/driftwatch.yml when present)')
    .option('--region <region...>', 'regions to scan (default: every region the provider "aws" blocks name)')
    .option('--ignore-file <file>', 'more ignore rules (.driftignore syntax)')
    .option('--no-unmanaged', 'do not report resources that no state manages')
    .option('--no-attribution', 'do not look up who made each change in CloudTrail')
    .option('--lookback-days <days>', 'CloudTrail window for attribution, 1–90 (default 7)')
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option('--no-color', 'no colour in text output')
    .option('--quiet', 'no progress on standard error')
    .action(async (flags: ScanFlags) => {
      exitCode = await runScan(flags, io);
    });

  program
    .command('inventory')
    .description('write the live inventory (docs/inventory.md) for offline scans and bug reports')
    .option('--dir <dir>', 'root module directory, for its regions and the buckets its state manages', '.')
    .option('--state <file|s3://bucket/key>', 'state whose buckets get their settings read')
    .option('--region <region...>', 'regions to read (default: the provider "aws" blocks)')
    .option('--output <file>', 'write to a file instead of standard output')
    .option('--quiet', 'no progress on standard error')
    .action(async (flags: InventoryFlags) => {
      exitCode = await runInventory(flags, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isDriftwatchError(error)) {
      io.stderr.write(`driftwatch: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`driftwatch: unexpected error: ${error instanceof Error ? error.message : String(error)}\nThis is a bug; please report it with the command you ran.\n`);
    return 2;
  }
}

interface ScanFlags {
  dir?: string;
  state?: string;
  live?: string;
  format: string;
  failOn?: string;
  patch?: string;
  patchFile?: string;
  workspace?: string;
  config?: string;
  region?: string[];
  ignoreFile?: string;
  unmanaged: boolean;
  attribution: boolean;
  lookbackDays?: string;
  output?: string;
  color: boolean;
  quiet?: boolean;
}

async function runScan(flags: ScanFlags, io: CliIo): Promise<number> {
  const format = oneOf('--format', flags.format, FORMATS);
  const patch = patchDirection(flags.patch);
  const days = lookbackDays(flags.lookbackDays);
  checkFlagCombinations(flags);
  const settings = settingsFromEnv(io.env);
  if (flags.output) checkOutputFile('--output', flags.output, io.cwd);
  if (flags.patchFile) checkOutputFile('--patch-file', flags.patchFile, io.cwd);
  const selected = await loadWorkspace({ cwd: io.cwd, config: flags.config, workspace: flags.workspace, dir: flags.dir, ignoreFile: flags.ignoreFile });
  const failOn: FailOn = flags.failOn ? oneOf('--fail-on', flags.failOn, FAIL_ON) : selected.config.fail_on;
  const { workspace, config } = selected;

  const outcome = await scan(
    {
      workspace: workspace.name,
      dir: workspace.dir,
      state: flags.state ?? (workspace.state?.startsWith('s3://') ? workspace.state : workspace.state && path.resolve(selected.root, workspace.state)),
      terraformWorkspace: workspace.terraform_workspace,
      live: flags.live && path.resolve(io.cwd, flags.live),
      regions: flags.region ?? workspace.regions,
      ignore: selected.ignore,
      reportUnmanaged: flags.unmanaged && config.unmanaged.report,
      attribution: { enabled: flags.attribution && config.attribution.enabled, lookbackDays: days ?? config.attribution.lookback_days },
      patch,
      otherWorkspaces: selected.others,
      roleArn: workspace.role_arn,
      externalId: settings.externalId ?? undefined,
    },
    {
      now: io.now ?? (() => new Date()),
      awsSettings: settings.aws,
      defaultRegion: settings.defaultRegion,
      onProgress: flags.quiet ? undefined : createProgressRenderer({ write: (line) => io.stderr.write(line) }),
    },
  );

  const color = format === 'text' && flags.color && !settings.noColor && io.stdout.isTTY === true && !flags.output;
  let report = render(outcome, format, { color, uriPrefix: pathPrefix(io.cwd, workspace.dir) });
  if (format === 'text' && outcome.patchSet && outcome.patchSet.files.length > 0) {
    report += `\nPatch (${outcome.patchSet.direction}):\n\n${outcome.patchSet.files.map((file) => file.diff).join('')}`;
  }
  await emit(scrubSecrets(report, outcome.secrets), flags.output, io);
  if (flags.patchFile && outcome.patchSet) {
    const text = patchFileText(outcome.patchSet.files, pathPrefix(io.cwd, workspace.dir));
    await writeOutputFile('--patch-file', flags.patchFile, scrubSecrets(text, outcome.secrets), io.cwd);
  }
  return failing(outcome.result, failOn) ? 1 : 0;
}

function render(outcome: ScanOutcome, format: Format, options: { color: boolean; uriPrefix: string }): string {
  switch (format) {
    case 'json':
      return renderJson(outcome.result);
    case 'markdown':
      return renderMarkdown(outcome.result);
    case 'sarif': {
      const provider = outcome.model.providers[0];
      return renderSarif(outcome.result, {
        uriPrefix: options.uriPrefix,
        toolVersion: VERSION,
        fallbackLocation: provider ? { file: provider.file, line: provider.startLine } : undefined,
      });
    }
    default:
      return renderText(outcome.result, { color: options.color });
  }
}

function failing(result: ScanResult, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const threshold = SEVERITIES.indexOf(failOn);
  return result.drifts.some((drift) => SEVERITIES.indexOf(drift.severity) <= threshold);
}

interface InventoryFlags {
  dir: string;
  state?: string;
  region?: string[];
  output?: string;
  quiet?: boolean;
}

async function runInventory(flags: InventoryFlags, io: CliIo): Promise<number> {
  const settings = settingsFromEnv(io.env);
  if (flags.output) checkOutputFile('--output', flags.output, io.cwd);
  const dir = path.resolve(io.cwd, flags.dir);
  const model = buildHclModel(await loadModuleFiles(dir), await loadTerraformParser());
  const regions = providerRegions(model, settings.defaultRegion);
  const clients = createAwsClients({ settings: settings.aws });
  try {
    const state = await readWorkspaceState({ dir, model, state: flags.state, terraformWorkspace: 'default', defaultRegion: regions.defaultRegion, s3: () => clients.s3 })
      .then((read) => parseState(read.text, read.source))
      .catch((error: unknown) => {
        if (!isDriftwatchError(error)) throw error;
        io.stderr.write(`driftwatch: no state read (${error.message}); bucket settings are only read for buckets in a state.\n`);
        return null;
      });
    const scanRegions = flags.region ?? (regions.regions.length > 0 ? regions.regions : [regions.defaultRegion]);
    const inventory = await collectInventory({
      regions: scanRegions,
      clients,
      account: await getAccountId(clients, scanRegions[0]),
      bucketSettings: bucketSettingsToRead(state, { defaultRegion: regions.defaultRegion, regionByAlias: regions.regionByAlias }),
      onProgress: flags.quiet ? undefined : createProgressRenderer({ write: (line) => io.stderr.write(line) }),
      now: io.now,
    });
    await emit(`${JSON.stringify(inventory, null, 2)}\n`, flags.output, io);
    return 0;
  } finally {
    clients.destroy();
  }
}

async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output) await writeOutputFile('--output', output, text, io.cwd);
  else io.stdout.write(text);
}

// Run when executed directly, also through the npm bin symlink.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  // The AWS SDK warns on stderr that its 2027 releases will need Node 22. driftwatch pins its SDK
  // version, so the notice is noise in a report; a user who wants it can set the variable.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
  process.exitCode = code;
}
