import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRepoConfig } from '../../src/config/repo-config.js';
import { loadWorkspace } from '../../src/cli/load-workspace.js';
import { DriftwatchError } from '../../src/errors.js';
import { runCli, SHOP } from '../cli/run-cli.js';

describe('.github/driftwatch.yml', () => {
  it('an empty file is all defaults', () => {
    expect(parseRepoConfig('', '.github/driftwatch.yml')).toEqual({
      workspaces: [{ name: 'default', dir: '.', terraform_workspace: 'default' }],
      ignore: [],
      unmanaged: { report: true },
      attribution: { enabled: true, lookback_days: 7 },
      fail_on: 'low',
    });
  });

  it('reads workspaces with their own regions, state and role', () => {
    const config = parseRepoConfig(
      `workspaces:
  - name: prod
    dir: infra/prod
    regions: [us-east-1, eu-west-1]
    role_arn: arn:aws:iam::123456789012:role/driftwatch-reader
    schedule: "0 6 * * 1-5"
  - name: staging
    dir: infra/staging
    state: s3://acme-tfstate/staging.tfstate
ignore:
  - aws_instance.*.tags.LastPatched
fail_on: high
`,
      '.github/driftwatch.yml',
    );
    expect(config.workspaces[0]).toEqual({ name: 'prod', dir: 'infra/prod', regions: ['us-east-1', 'eu-west-1'], role_arn: 'arn:aws:iam::123456789012:role/driftwatch-reader', schedule: '0 6 * * 1-5', terraform_workspace: 'default' });
    expect(config.workspaces[1]!.state).toBe('s3://acme-tfstate/staging.tfstate');
    expect(config.fail_on).toBe('high');
  });

  it.each([
    ['a misspelled key', 'workspace:\n  - name: x\n', /\(top level\): Unrecognized key: "workspace"/],
    ['a bad region', 'workspaces:\n  - name: x\n    regions: [us-east]\n', /workspaces\[0\]\.regions\[0\]: expected an AWS region/],
    ['a bad role ARN', 'workspaces:\n  - name: x\n    role_arn: driftwatch\n', /workspaces\[0\]\.role_arn: expected a role ARN/],
    ['a lookback over 90 days', 'attribution:\n  lookback_days: 120\n', /attribution\.lookback_days/],
    ['duplicate names', 'workspaces:\n  - name: x\n  - name: x\n    dir: other\n', /workspaces\[1\]\.name: workspace "x" is listed twice/],
    ['a bad severity', 'fail_on: severe\n', /fail_on/],
    ['invalid YAML', 'workspaces: [\n', /\.github\/driftwatch\.yml:\d+ is not valid YAML/],
  ])('%s is an error naming the file and field', (_name, text, message) => {
    expect(() => parseRepoConfig(text, '.github/driftwatch.yml')).toThrow(DriftwatchError);
    expect(() => parseRepoConfig(text, '.github/driftwatch.yml')).toThrow(message);
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
