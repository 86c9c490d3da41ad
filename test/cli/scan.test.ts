import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SHOP } from './run-cli.js';

const LIVE = path.join(SHOP, 'live-inventory.json');
const base = ['scan', '--dir', SHOP, '--live', LIVE];
const PASSWORD = 'demo-Orders-pw-8d3f';

describe('driftwatch scan on the bundled example', () => {
  it('prints a readable report grouped by severity and exits 1 on drift', async () => {
    const { code, stdout, stderr } = await runCli(base);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toContain('Opened to the entire internet (0.0.0.0/0) on port 22');
    expect(stdout).toContain('aws_security_group.web');
    expect(stdout).toContain('network.tf:2');
    expect(stdout.indexOf('CRITICAL')).toBeLessThan(stdout.indexOf('HIGH'));
    expect(stdout.indexOf('HIGH')).toBeLessThan(stdout.indexOf('LOW'));
  });

  it.each([
    ['none', 0],
    ['critical', 1],
    ['low', 1],
  ])('--fail-on %s exits %i', async (failOn, expected) => {
    expect((await runCli([...base, '--fail-on', failOn])).code).toBe(expected);
  });

  it('exits 0 when nothing reaches --fail-on', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-'));
    const inventory = JSON.parse(readFileSync(LIVE, 'utf8'));
    // Keep only the low drifts: the resize and the tag edit.
    inventory.resources = inventory.resources.filter((r: { id: string }) => r.id !== 'i-0f7e6d5c4b3a29180');
    const web = inventory.resources.find((r: { id: string }) => r.id === 'sg-0a5f0c3e9b7d21f44');
    web.attributes.rules = web.attributes.rules.filter((r: { from_port: number | null }) => r.from_port !== 22);
    const bucket = inventory.resources.find((r: { type: string }) => r.type === 'aws_s3_bucket');
    bucket.attributes.public_access_block = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
    const role = inventory.resources.find((r: { id: string }) => r.id === 'shop-app');
    role.attributes.managed_policy_arns = ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'];
    const db = inventory.resources.find((r: { type: string }) => r.type === 'aws_db_instance');
    db.attributes.backup_retention_period = 7;
    writeFileSync(path.join(dir, 'live.json'), JSON.stringify(inventory));
    const { code, stdout } = await runCli(['scan', '--dir', SHOP, '--live', path.join(dir, 'live.json'), '--fail-on', 'medium', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary).toEqual({ critical: 0, high: 0, medium: 0, low: 2 });
  });

  it('--format json follows the version 1 contract', async () => {
    const { stdout } = await runCli([...base, '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['version', 'status', 'workspace', 'scannedAt', 'coverage', 'unknown', 'configErrors', 'summary', 'postureScore', 'drifts', 'notes']);
    expect(report).toMatchObject({ version: 1, status: 'complete', workspace: 'shop', summary: { critical: 2, high: 2, medium: 1, low: 2 } });
    expect(report.coverage).toEqual({ managed: 7, unmanaged: 1, percent: 87.5 });
    const ssh = report.drifts.find((d: { title: string }) => d.title.includes('port 22'));
    expect(ssh).toMatchObject({ kind: 'modified', address: 'aws_security_group.web', type: 'aws_security_group', severity: 'critical', location: { file: 'network.tf', line: 2 }, controls: { cis: ['5.2'] } });
    expect(ssh.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const unmanaged = report.drifts.find((d: { kind: string }) => d.kind === 'unmanaged');
    expect(unmanaged).toMatchObject({ address: null, type: 'aws_instance', id: 'i-0f7e6d5c4b3a29180', location: null });
    expect(unmanaged.costDeltaMonthly).toBeGreaterThan(0);
  });

  it('--format sarif puts each drift on the line that declares it', async () => {
    const { stdout } = await runCli([...base, '--format', 'sarif'], { cwd: path.dirname(SHOP) });
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(7);
    const ssh = results.find((r: { ruleId: string }) => r.ruleId === 'sg.world_open_admin_port');
    expect(ssh.level).toBe('error');
    expect(ssh.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'shop/network.tf' }, region: { startLine: 2 } });
    // Unmanaged resources have no block: they point at the provider block.
    const unmanaged = results.find((r: { ruleId: string }) => r.ruleId === 'ec2.unmanaged_public');
    expect(unmanaged.locations[0].physicalLocation.artifactLocation.uri).toBe('shop/providers.tf');
  });

  it('--format markdown renders the body GitHub surfaces use', async () => {
    const { stdout } = await runCli([...base, '--format', 'markdown']);
    // Parentheses are escaped so cloud text cannot form links.
    expect(stdout).toContain('#### Opened to the entire internet \\(0.0.0.0/0\\) on port 22');
    expect(stdout).toContain('| `managed_policy_arns` | _(absent)_ | `arn:aws:iam::aws:policy/AdministratorAccess` |');
  });

  it.each(['text', 'json', 'markdown', 'sarif'])('never prints the database password from the state (%s)', async (format) => {
    const { stdout, stderr } = await runCli([...base, '--format', format]);
    expect(stdout + stderr).not.toContain(PASSWORD);
  });

  it('writes to --output instead of standard output', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-'));
    const { stdout } = await runCli([...base, '--format', 'json', '--output', path.join(dir, 'report.json')]);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).version).toBe(1);
  });

  it('honours a .driftignore in the root module', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-'));
    cpSync(SHOP, dir, { recursive: true });
    writeFileSync(path.join(dir, '.driftignore'), '# the tag edit is expected\naws_s3_bucket.assets.tags.Owner\naws_instance.i-0f7e6d5c4b3a29180\n');
    const { stdout } = await runCli(['scan', '--dir', dir, '--live', path.join(dir, 'live-inventory.json'), '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(report.drifts.map((d: { title: string }) => d.title)).not.toContain('Tags changed: Owner');
    expect(report.drifts.some((d: { kind: string }) => d.kind === 'unmanaged')).toBe(false);
    expect(report.notes).toContain('2 drift(s) matched ignore rules and are not shown.');
  });
});

describe('a scan whose configuration could not be fully read', () => {
  // The shop with two mistakes in one file: its blocks are skipped, so the web instances lose
  // their location and patch. The scan says so where a reader looks first.
  function brokenShop(): string {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'driftwatch-broken-')), 'shop');
    cpSync(SHOP, dir, { recursive: true });
    const compute = path.join(dir, 'compute.tf');
    writeFileSync(compute, readFileSync(compute, 'utf8').replace('count = 2', 'count = 2 +').replace('subnet_id              = "subnet-0f1e2d3c4b5a69788"', 'subnet_id              = aws_subnet.'));
    return dir;
  }

  it.each([
    ['text', (out: string) => expect(out.split('\n')[0]).toBe('driftwatch · shop · partial scan: configuration not fully read (2 errors in compute.tf)')],
    ['json', (out: string) => expect(JSON.parse(out)).toMatchObject({ status: 'partial', unknown: [], configErrors: [{ file: 'compute.tf', line: 2 }, { file: 'compute.tf', line: 6 }] })],
    ['markdown', (out: string) => expect(out).toContain('> **Partial scan.** The configuration could not be fully read (2 errors in `compute.tf`)')],
  ])('says so in the status of the %s report, with every error', async (format, check) => {
    const dir = brokenShop();
    const { code, stdout } = await runCli(['scan', '--dir', dir, '--live', path.join(dir, 'live-inventory.json'), '--format', format]);
    check(stdout);
    expect(stdout).toMatch(/compute\.tf:2:\d+|compute\.tf` line 2|"line": 2/);
    expect(code).toBe(1);
  });
});

describe('driftwatch scan errors: one clear message, exit 2', () => {
  it.each([
    ['a root module that does not exist', ['scan', '--dir', '/nonexistent/infra', '--live', LIVE], /\/nonexistent\/infra/],
    ['an unknown format', [...base, '--format', 'yaml'], /yaml/],
    ['a bad --fail-on', [...base, '--fail-on', 'severe'], /severe/],
    ['a bad --patch', [...base, '--patch', 'fix'], /argument 'fix' is invalid. Allowed choices are restore, accept/],
    ['a bad --lookback-days', [...base, '--lookback-days', '120'], /1 to 90/],
    ['a missing inventory', ['scan', '--dir', SHOP, '--live', '/nonexistent/live.json'], /cannot read .*live.json: no such file/],
  ])('%s', async (_name, args, message) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a malformed state', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-'));
    cpSync(SHOP, dir, { recursive: true });
    writeFileSync(path.join(dir, 'terraform.tfstate'), readFileSync(path.join(SHOP, 'terraform.tfstate'), 'utf8').slice(0, 4000));
    const { code, stderr } = await runCli(['scan', '--dir', dir, '--live', LIVE]);
    expect(code).toBe(2);
    expect(stderr).toContain('terraform.tfstate');
    expect(stderr).not.toContain(PASSWORD);
  });

  it('an inventory with a wrong field names the field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-'));
    writeFileSync(path.join(dir, 'live.json'), JSON.stringify({ version: 1, collectedAt: 'x', regions: ['us-east-1'], resources: [{ type: 'aws_lambda_function', id: 'f', region: 'us-east-1', attributes: {} }] }));
    const { code, stderr } = await runCli(['scan', '--dir', SHOP, '--live', path.join(dir, 'live.json')]);
    expect(code).toBe(2);
    expect(stderr).toContain('resources[0].type');
  });
});
