// The built CLI in its own process, for every command and mode: each run must end by itself (a
// worker thread, socket or timer left open would hold it) with the documented exit code — 0
// nothing at or above --fail-on, 1 drift at or above it, 2 an error that says what to fix.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { FakeAccount } from '../aws/fake-aws/account.js';
import { fixtureAccount } from '../aws/fake-aws/fixtures.js';
import { serveFakeAws, type FakeAwsServer } from '../aws/fake-aws/server.js';
import { buildCli, EXIT_TIMEOUT_MS, runBuiltCli, type ProcessResult } from './run-built-cli.js';
import { SHOP } from './run-cli.js';

const LIVE = path.join(SHOP, 'live-inventory.json');
const LEGACY = path.resolve(import.meta.dirname, '../fixtures/real-provider/legacy-inline');
const shop = ['scan', '--dir', SHOP, '--live', LIVE, '--quiet'];
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDDRIFTWATCHTEST', AWS_SECRET_ACCESS_KEY: 'not-a-secret' };

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'driftwatch-built-'));
}

/** A copy of examples/shop with git, so a patch can be checked with git apply. */
function copyOfShop(): string {
  const dir = tempDir();
  cpSync(SHOP, dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

/** The legacy-inline root module without its recorded live data: AWS is the fake server. */
function legacyModule(): string {
  const dir = tempDir();
  cpSync(LEGACY, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}live`) });
  return dir;
}

/** An error exit: code 2, one message on stderr that is not a crash, nothing on stdout. */
function expectUserError(result: ProcessResult, message: string | RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toContain('This is a bug');
  expect(result.stdout).toBe('');
  expect(result.code).toBe(2);
}

let server: FakeAwsServer;
let fake: FakeAccount;
let aws: Record<string, string>;

beforeAll(async () => {
  buildCli();
  const data = fixtureAccount('legacy-inline');
  fake = new FakeAccount(data);
  server = await serveFakeAws(fake, {
    // CloudTrail is not part of the fake account: it finds no event, as for a change older than
    // the lookback window.
    answer: ({ target }) => (target === 'CloudTrail_20131101.LookupEvents' ? { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{"Events":[]}' } : undefined),
  });
  aws = { ...CREDENTIALS, AWS_ENDPOINT_URL: server.url };
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe.concurrent('the built CLI ends by itself with the right exit code', { timeout: EXIT_TIMEOUT_MS + 10_000 }, () => {
  describe('scan', () => {
    it.each([
      ['text', (out: string) => expect(out).toContain('CRITICAL')],
      ['json', (out: string) => expect(JSON.parse(out)).toMatchObject({ version: 1, status: 'complete' })],
      ['markdown', (out: string) => expect(out).toContain('## driftwatch: 7 drifts in shop')],
      ['sarif', (out: string) => expect(JSON.parse(out)).toMatchObject({ version: '2.1.0' })],
    ])('--format %s: the report, exit 1 on drift', async (format, check) => {
      const result = await runBuiltCli([...shop, '--format', format]);
      expect(result.stderr).toBe('');
      check(result.stdout);
      expect(result.code).toBe(1);
    });

    it('--fail-on none: exit 0 on drift', async () => {
      const result = await runBuiltCli([...shop, '--fail-on', 'none']);
      expect(result.stdout).toContain('CRITICAL');
      expect(result.code).toBe(0);
    });

    it('--output: the report in the file, nothing on stdout', async () => {
      const output = path.join(tempDir(), 'report.json');
      const result = await runBuiltCli([...shop, '--format', 'json', '--output', output]);
      expect(result.stdout).toBe('');
      expect(JSON.parse(readFileSync(output, 'utf8')).version).toBe(1);
      expect(result.code).toBe(1);
    });

    it('live AWS: collects, attributes, and exits 1 on the drift it finds', async () => {
      const data = fixtureAccount('legacy-inline');
      const web = data.regions['us-east-1']!.securityGroups.find((g) => g.GroupId === 'sg-7488d1103fb704de7')!;
      web.IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
      const drifted = await serveFakeAws(new FakeAccount(data), {
        answer: ({ target }) => (target?.endsWith('LookupEvents') ? { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{"Events":[]}' } : undefined),
      });
      try {
        const dir = legacyModule();
        const result = await runBuiltCli(['scan', '--dir', dir, '--format', 'json'], { env: { ...CREDENTIALS, AWS_ENDPOINT_URL: drifted.url } });
        const report = JSON.parse(result.stdout);
        expect(report.drifts.map((d: { address: string }) => d.address)).toEqual(['aws_security_group.web']);
        expect(report.drifts[0].attribution).toBeNull();
        // Progress on stderr, one line per family.
        expect(result.stderr).toMatch(/ec2 us-east-1/);
        expect(result.code).toBe(1);
      } finally {
        await drifted.close();
      }
    });
  });

  describe('scan --patch', () => {
    it('restore, nothing to edit: exit 0 and an empty patch file', async () => {
      const patchFile = path.join(tempDir(), 'fix.diff');
      const result = await runBuiltCli([...shop, '--patch', 'restore', '--patch-file', patchFile, '--fail-on', 'none']);
      expect(result.stdout).toContain('fix (restore): no edit needed');
      expect(readFileSync(patchFile, 'utf8')).toBe('');
      expect(result.code).toBe(0);
    });

    it('restore with an edit: a patch file that git apply takes where the scan was run', async () => {
      // The README's example: from the repository root, --dir names the root module below it.
      const repo = copyOfShop();
      const dir = path.join(repo, 'infra', 'prod');
      cpSync(SHOP, dir, { recursive: true });
      const inventory = JSON.parse(readFileSync(path.join(dir, 'live-inventory.json'), 'utf8'));
      inventory.resources.find((r: { type: string }) => r.type === 'aws_db_instance').attributes.copy_tags_to_snapshot = true;
      writeFileSync(path.join(dir, 'live-inventory.json'), JSON.stringify(inventory));
      const result = await runBuiltCli(['scan', '--dir', 'infra/prod', '--live', 'infra/prod/live-inventory.json', '--patch', 'restore', '--patch-file', 'fix.diff', '--fail-on', 'none'], { cwd: repo });
      expect(result.code).toBe(0);
      const diff = readFileSync(path.join(repo, 'fix.diff'), 'utf8');
      expect(diff).toContain('+++ b/infra/prod/database.tf');
      expect(diff).toContain('+  copy_tags_to_snapshot = false');
      execFileSync('git', ['apply', '--allow-empty', 'fix.diff'], { cwd: repo });
      expect(readFileSync(path.join(dir, 'database.tf'), 'utf8')).toContain('copy_tags_to_snapshot = false');
      // The report shows the diff as the JSON report carries it: from the root module.
      expect(result.stdout).toContain('+++ b/database.tf');
    });

    it('accept with edits: the diff in the report and in the patch file', async () => {
      const dir = copyOfShop();
      const result = await runBuiltCli(['scan', '--dir', dir, '--live', path.join(dir, 'live-inventory.json'), '--patch', 'accept', '--patch-file', 'fix.diff', '--fail-on', 'none'], { cwd: dir });
      expect(result.stdout).toContain('Patch (accept):');
      execFileSync('git', ['apply', '--check', 'fix.diff'], { cwd: dir });
      expect(result.code).toBe(0);
    });

    it('accept with nothing to edit (no drift): exit 0', async () => {
      const patchFile = path.join(tempDir(), 'fix.diff');
      const result = await runBuiltCli(['scan', '--dir', legacyModule(), '--patch', 'accept', '--patch-file', patchFile, '--format', 'json', '--quiet'], { env: aws });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({ status: 'complete', drifts: [] });
      expect(readFileSync(patchFile, 'utf8')).toBe('');
      expect(result.code).toBe(0);
    });
  });

  describe('inventory', () => {
    it('writes the live inventory to stdout', async () => {
      const result = await runBuiltCli(['inventory', '--dir', legacyModule(), '--quiet'], { env: aws });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({ version: 1, account: '123456789012', unknown: [] });
      expect(result.code).toBe(0);
    });

    it('--output: to a file', async () => {
      const output = path.join(tempDir(), 'live.json');
      const result = await runBuiltCli(['inventory', '--dir', legacyModule(), '--output', output, '--quiet'], { env: aws });
      expect(result.stdout).toBe('');
      expect(JSON.parse(readFileSync(output, 'utf8')).version).toBe(1);
      expect(result.code).toBe(0);
    });
  });

  describe('help and version', () => {
    it.each([[['--help']], [['scan', '--help']], [['inventory', '--help']], [['help', 'scan']]])('%j: exit 0', async (args) => {
      const result = await runBuiltCli(args);
      expect(result.stdout).toMatch(/^Usage: driftwatch/);
      expect(result.code).toBe(0);
    });

    it('scan --help lists the choices of every option that has them', async () => {
      // Lines wrap at the terminal's width.
      const help = (await runBuiltCli(['scan', '--help'])).stdout.replace(/\s+/g, ' ');
      expect(help).toContain('--patch <direction> build HCL patches: restore the declared values, or accept the live ones (choices: "restore", "accept")');
      expect(help).toContain('(choices: "text", "json", "markdown", "sarif"');
      expect(help).toContain('(choices: "critical", "high", "medium", "low", "none")');
    });

    it('--version: exit 0', async () => {
      const result = await runBuiltCli(['--version']);
      expect(result.stdout.trim()).toBe(VERSION);
      expect(result.code).toBe(0);
    });
  });

  describe('every error exits 2 with what to fix', () => {
    it('no command: the usage on stderr', async () => {
      const result = await runBuiltCli([]);
      expect(result.stderr).toMatch(/^Usage: driftwatch/);
      expect(result.code).toBe(2);
    });

    it.each([
      ['an unknown command', ['scna'], /unknown command 'scna'[\s\S]*Did you mean scan/],
      ['an unknown option', ['scan', '--formt', 'json'], /unknown option '--formt'/],
      ['--format not one of the formats', [...shop, '--format', 'xml'], /Allowed choices are text, json, markdown, sarif/],
      ['--fail-on not a severity', [...shop, '--fail-on', 'severe'], /Allowed choices are critical, high, medium, low, none/],
      ['--patch not a direction', [...shop, '--patch', 'sideways'], /argument 'sideways' is invalid. Allowed choices are restore, accept/],
      ['--lookback-days beyond CloudTrail', [...shop, '--lookback-days', '365'], /give a whole number from 1 to 90/],
      ['a missing root module', ['scan', '--dir', '/nonexistent/infra', '--live', LIVE], /is not a directory[\s\S]*--dir <root module>/],
      ['a missing state file', [...shop, '--state', '/nonexistent/terraform.tfstate'], /no state file at \/nonexistent\/terraform.tfstate/],
      ['--workspace without a config', ['scan', '--live', LIVE, '--workspace', 'prod'], /--workspace prod needs a .github\/driftwatch.yml/],
      ['inventory of a missing root module', ['inventory', '--dir', '/nonexistent/infra'], /is not a directory/],
      ['--patch-file without --patch', [...shop, '--patch-file', 'fix.diff'], /--patch-file writes the patch that --patch builds[\s\S]*--patch restore/],
      ['--region with --live', [...shop, '--region', 'eu-west-1'], /--region picks the regions read from AWS[\s\S]*driftwatch inventory --region/],
      ['--lookback-days with --live', [...shop, '--lookback-days', '30'], /--lookback-days is the CloudTrail window[\s\S]*--live/],
      ['--lookback-days with --no-attribution', ['scan', '--dir', SHOP, '--no-attribution', '--lookback-days', '30'], /--lookback-days is the CloudTrail window[\s\S]*--no-attribution/],
      ['--output into a missing directory', [...shop, '--output', '/nonexistent/reports/drift.txt'], /--output \/nonexistent\/reports\/drift.txt: the directory \/nonexistent\/reports does not exist[\s\S]*mkdir -p/],
      ['--patch-file into a missing directory', [...shop, '--patch', 'accept', '--patch-file', '/nonexistent/fix.diff'], /--patch-file \/nonexistent\/fix.diff: the directory \/nonexistent does not exist/],
      ['--output that is a directory', [...shop, '--output', tmpdir()], /--output .*is a directory/],
      ['inventory --output into a missing directory', ['inventory', '--dir', SHOP, '--output', '/nonexistent/live.json'], /--output \/nonexistent\/live.json: the directory \/nonexistent does not exist/],
    ])('%s', async (_, args, message) => {
      expectUserError(await runBuiltCli(args), message);
    });

    it('a state that is not JSON', async () => {
      const state = path.join(tempDir(), 'terraform.tfstate');
      writeFileSync(state, '{"version": 4, "resources": [');
      expectUserError(await runBuiltCli([...shop, '--state', state]), /is cut short[\s\S]*terraform state pull/);
    });

    it('a state whose resource lost its attributes', async () => {
      const state = JSON.parse(readFileSync(path.join(SHOP, 'terraform.tfstate'), 'utf8'));
      state.resources.find((r: { type: string }) => r.type === 'aws_db_instance').instances[0].attributes = null;
      const file = path.join(tempDir(), 'terraform.tfstate');
      writeFileSync(file, JSON.stringify(state));
      expectUserError(await runBuiltCli([...shop, '--state', file]), /resource entry \d+ \(aws_db_instance.orders\), instance 1, has no attributes/);
    });

    it('a repository config that is not valid', async () => {
      const config = path.join(tempDir(), 'driftwatch.yml');
      writeFileSync(config, 'workspaces: 3\n');
      expectUserError(await runBuiltCli([...shop, '--config', config]), /driftwatch.yml is not valid:\n {2}\S*driftwatch.yml:1 workspaces:/);
    });

    it('a recorded inventory that is not JSON', async () => {
      const inventory = path.join(tempDir(), 'live.json');
      writeFileSync(inventory, 'not json');
      expectUserError(await runBuiltCli(['scan', '--dir', SHOP, '--live', inventory]), /is not valid JSON[\s\S]*driftwatch inventory --output/);
    });

    it('a bad setting in the environment', async () => {
      expectUserError(await runBuiltCli(shop, { env: { DRIFTWATCH_AWS_MAX_ATTEMPTS: 'many' } }), /DRIFTWATCH_AWS_MAX_ATTEMPTS must be a whole number/);
    });

    it('no AWS credentials', async () => {
      const result = await runBuiltCli(['scan', '--dir', legacyModule(), '--quiet'], { env: { AWS_ENDPOINT_URL: server.url } });
      expectUserError(result, /credentials/i);
    });

    it('credentials AWS refuses', async () => {
      const data = fixtureAccount('legacy-inline');
      const refusing = new FakeAccount(data).fail({ service: 'sts', times: Infinity, error: { code: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' } });
      const refused = await serveFakeAws(refusing);
      try {
        const result = await runBuiltCli(['scan', '--dir', legacyModule(), '--quiet'], { env: { ...CREDENTIALS, AWS_ENDPOINT_URL: refused.url } });
        expectUserError(result, /InvalidClientTokenId|security token/);
      } finally {
        await refused.close();
      }
    });
  });
});
