import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRepoConfig } from '../../src/config/repo-config.js';
import { loadWorkspace } from '../../src/cli/load-workspace.js';
import { DriftwatchError } from '../../src/errors.js';
import { runCli, SHOP } from '../cli/run-cli.js';

const FILE = '.github/driftwatch.yml';

function errorOf(text: string, options?: Parameters<typeof parseRepoConfig>[2]): string {
  try {
    parseRepoConfig(text, FILE, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DriftwatchError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('.github/driftwatch.yml', () => {
  it('an empty file is all defaults', () => {
    expect(parseRepoConfig('', FILE)).toEqual({
      workspaces: [{ name: 'default', dir: '.', terraform_workspace: 'default', enabled: true, schedule: '0 6 * * *', timezone: 'UTC' }],
      ignore: [],
      unmanaged: { report: true },
      attribution: { enabled: true, lookback_days: 7 },
      fail_on: 'low',
      autofix: { mode: 'off', min_severity: 'low' },
      labels: [],
      notify: {},
    });
  });

  it('reads workspaces with their own regions, state, role, schedule and time zone', () => {
    const config = parseRepoConfig(
      `workspaces:
  - name: prod
    dir: infra/prod
    regions: [us-east-1, eu-west-1]
    role_arn: arn:aws:iam::123456789012:role/driftwatch-reader
    schedule: "0 6 * * 1-5"
    timezone: Europe/Berlin
  - name: staging
    dir: infra/staging
    state: s3://acme-tfstate/staging.tfstate
    enabled: false
ignore:
  - aws_instance.*.tags.LastPatched
fail_on: high
`,
      FILE,
    );
    expect(config.workspaces[0]).toEqual({
      name: 'prod',
      dir: 'infra/prod',
      regions: ['us-east-1', 'eu-west-1'],
      role_arn: 'arn:aws:iam::123456789012:role/driftwatch-reader',
      schedule: '0 6 * * 1-5',
      timezone: 'Europe/Berlin',
      enabled: true,
      terraform_workspace: 'default',
    });
    expect(config.workspaces[1]).toMatchObject({ state: 's3://acme-tfstate/staging.tfstate', enabled: false, schedule: '0 6 * * *', timezone: 'UTC' });
    expect(config.fail_on).toBe('high');
  });

  it.each([
    ['autofix: restore\n', { mode: 'restore', min_severity: 'low' }],
    ['autofix: "off"\n', { mode: 'off', min_severity: 'low' }],
    ['autofix:\n  mode: accept\n  min_severity: high\n', { mode: 'accept', min_severity: 'high' }],
    ['autofix:\n  mode: restore\n', { mode: 'restore', min_severity: 'low' }],
  ])('autofix %j', (text, autofix) => {
    expect(parseRepoConfig(text, FILE).autofix).toEqual(autofix);
  });

  it('reads labels and Slack notifications with their defaults', () => {
    const config = parseRepoConfig('labels: [infra, "team: platform"]\nnotify:\n  slack:\n    channel: platform-alerts\n', FILE);
    expect(config.labels).toEqual(['infra', 'team: platform']);
    expect(config.notify.slack).toEqual({ channel: 'platform-alerts', min_severity: 'low', briefing: { enabled: false, schedule: '0 9 * * 1' } });
  });

  it('accepts a channel the server has a webhook for, with or without "#" and in any case', () => {
    for (const channel of ['platform-alerts', '"#Platform-Alerts"', 'platform_alerts']) {
      const config = parseRepoConfig(`notify:\n  slack:\n    channel: ${channel}\n    briefing:\n      enabled: true\n      schedule: "30 8 * * 1-5"\n`, FILE, { slackChannels: ['PLATFORM_ALERTS'] });
      expect(config.notify.slack?.briefing).toEqual({ enabled: true, schedule: '30 8 * * 1-5' });
    }
  });

  it.each([
    ['a misspelled key', 'workspace:\n  - name: x\n', ':1 workspace: unknown key'],
    ['a misspelled nested key', 'workspaces:\n  - name: x\n    region: [us-east-1]\n', ':3 workspaces[0].region: unknown key'],
    ['a bad region', 'workspaces:\n  - name: x\n    regions: [us-east]\n', ':3 workspaces[0].regions[0]: expected an AWS region'],
    ['a bad role ARN', 'workspaces:\n  - name: x\n    role_arn: driftwatch\n', ':3 workspaces[0].role_arn: expected a role ARN'],
    ['a missing workspace name', 'workspaces:\n  - dir: infra\n', ':2 workspaces[0].name: required: add name (string)'],
    ['a lookback over 90 days', 'attribution:\n  lookback_days: 120\n', ':2 attribution.lookback_days: Too big'],
    ['duplicate names', 'workspaces:\n  - name: x\n  - name: x\n    dir: other\n', ':3 workspaces[1].name: workspace "x" is listed twice'],
    ['a bad severity', 'fail_on: severe\n', ':1 fail_on: Invalid option'],
    ['a cron with a bad minute', 'workspaces:\n  - name: x\n    schedule: "61 6 * * *"\n', ':3 workspaces[0].schedule: "61 6 * * *" is not a valid cron expression (Invalid value for minute: 61)'],
    ['a six-field cron', 'workspaces:\n  - name: x\n    schedule: "0 0 6 * * *"\n', ':3 workspaces[0].schedule: expected a five-field cron expression'],
    ['a cron that never fires', 'workspaces:\n  - name: x\n    schedule: "0 6 31 2 *"\n', ':3 workspaces[0].schedule: "0 6 31 2 *" never fires'],
    ['an unknown time zone', 'workspaces:\n  - name: x\n    timezone: Mars/Olympus\n', ':3 workspaces[0].timezone: expected an IANA time zone'],
    ['an offset for a time zone', 'workspaces:\n  - name: x\n    timezone: "+02:00"\n', ':3 workspaces[0].timezone: expected an IANA time zone'],
    ['an autofix mode that does not exist', 'autofix: always\n', ':1 autofix: Invalid option: expected one of "off"|"restore"|"accept"'],
    ['an autofix severity that does not exist', 'autofix:\n  mode: restore\n  min_severity: urgent\n', ':3 autofix.min_severity: Invalid option'],
    ['autofix of the wrong type', 'autofix: 3\n', ':1 autofix: Invalid option'],
    ['a label over 50 characters', `labels:\n  - ok\n  - ${'x'.repeat(51)}\n`, ':3 labels[1]: GitHub label names are at most 50 characters'],
    ['a label driftwatch sets itself', 'labels: [drift]\n', ':1 labels[0]: driftwatch sets "drift" and "severity:<level>" itself'],
    ['a label listed twice', 'labels:\n  - Infra\n  - infra\n', ':3 labels[1]: label "infra" is listed twice'],
    ['a webhook URL as the channel', 'notify:\n  slack:\n    channel: https://hooks.slack.com/services/T000/B000/XXXX\n', ':3 notify.slack.channel: a webhook URL does not belong in the repository: put it in the server environment as DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>'],
    ['a channel with spaces', 'notify:\n  slack:\n    channel: platform alerts\n', ':3 notify.slack.channel: expected a channel name'],
    ['a Slack block without a channel', 'notify:\n  slack:\n    min_severity: high\n', ':2 notify.slack.channel: required: add channel (string)'],
    ['a briefing schedule that is not cron', 'notify:\n  slack:\n    channel: ops\n    briefing:\n      schedule: weekly\n', ':5 notify.slack.briefing.schedule: expected a five-field cron expression'],
  ])('%s is an error naming the file, the line and the field', (_name, text, message) => {
    expect(errorOf(text)).toContain(`${FILE}${message}`);
  });

  it('refuses more labels than GitHub puts on an issue', () => {
    const labels = Array.from({ length: 99 }, (_, index) => `  - team-${index}`).join('\n');
    expect(errorOf(`labels:\n${labels}\n`)).toContain(`${FILE}:1 labels: GitHub allows 100 labels on an issue`);
  });

  it('names the variable to set for a channel the server has no webhook for', () => {
    const text = 'fail_on: high\nnotify:\n  slack:\n    channel: "#Platform-Alerts"\n';
    expect(errorOf(text, { slackChannels: ['OPS', 'SECURITY'] })).toContain(
      `${FILE}:4 notify.slack.channel: the server has no webhook for channel "#Platform-Alerts" (it has webhooks for "ops", "security"): ask its operator to set DRIFTWATCH_SLACK_WEBHOOK_PLATFORM_ALERTS, or name another channel`,
    );
    expect(errorOf(text, { slackChannels: [] })).toContain('(it has none)');
  });

  it('invalid YAML names the file and the line', () => {
    expect(errorOf('fail_on: high\nworkspaces: [\n')).toMatch(/^\.github\/driftwatch\.yml:3 is not valid YAML: /);
    expect(errorOf('fail_on: high\nfail_on: low\n')).toMatch(/^\.github\/driftwatch\.yml:2 is not valid YAML: Map keys must be unique/);
  });
});

describe('choosing the workspace to scan', () => {
  function repo(config: string): string {
    const root = mkdtempSync(path.join(tmpdir(), 'driftwatch-repo-'));
    mkdirSync(path.join(root, '.github'));
    writeFileSync(path.join(root, '.github/driftwatch.yml'), config);
    return root;
  }

  it('picks by name, resolves dirs from the repository root, and lists the others', async () => {
    const root = repo('workspaces:\n  - name: prod\n    dir: infra/prod\n  - name: staging\n    dir: infra/staging\n');
    const selected = await loadWorkspace({ cwd: root, workspace: 'staging' });
    expect(selected.workspace.dir).toBe(path.join(root, 'infra/staging'));
    expect(selected.others).toEqual([{ dir: path.join(root, 'infra/prod'), state: undefined, terraformWorkspace: 'default' }]);
  });

  it('asks for --workspace when there are several', async () => {
    const root = repo('workspaces:\n  - name: prod\n    dir: infra/prod\n  - name: staging\n    dir: infra/staging\n');
    await expect(loadWorkspace({ cwd: root })).rejects.toThrow('pick one with --workspace <name>');
    await expect(loadWorkspace({ cwd: root, workspace: 'qa' })).rejects.toThrow('no workspace "qa" in .github/driftwatch.yml; it has: prod, staging');
  });

  it('resources another workspace manages are not unmanaged in this one', async () => {
    // Two workspaces of one repository over the same account. Seen from "tools", which manages
    // nothing, everything "shop" manages is managed next door; only the debug box nobody manages
    // is unmanaged.
    const root = mkdtempSync(path.join(tmpdir(), 'driftwatch-repo-'));
    cpSync(SHOP, path.join(root, 'shop'), { recursive: true });
    mkdirSync(path.join(root, 'tools'));
    writeFileSync(path.join(root, 'tools/main.tf'), 'provider "aws" {\n  region = "us-east-1"\n}\n');
    writeFileSync(path.join(root, 'tools/terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'f0e1d2c3-b4a5-4687-9a8b-7c6d5e4f3a2b', outputs: {}, resources: [], check_results: null }));
    mkdirSync(path.join(root, '.github'));
    writeFileSync(path.join(root, '.github/driftwatch.yml'), 'workspaces:\n  - name: shop\n    dir: shop\n  - name: tools\n    dir: tools\n');
    const { stdout } = await runCli(['scan', '--workspace', 'tools', '--live', path.join(SHOP, 'live-inventory.json'), '--format', 'json'], { cwd: root });
    const report = JSON.parse(stdout);
    expect(report.drifts.map((d: { kind: string; id: string }) => [d.kind, d.id])).toEqual([['unmanaged', 'i-0f7e6d5c4b3a29180']]);
  });
});
