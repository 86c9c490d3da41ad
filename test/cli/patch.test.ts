// `driftwatch scan --patch`: the JSON report carries each drift's patch and remediation, and the
// --patch-file diff applies to the repository with git apply.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SHOP } from './run-cli.js';

const LIVE = path.join(SHOP, 'live-inventory.json');

function copyOfShop(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-patch-'));
  cpSync(SHOP, dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

describe('driftwatch scan --patch', () => {
  it('restore: every drift says what to do; nothing to edit where apply reverts it', async () => {
    const { stdout } = await runCli(['scan', '--dir', SHOP, '--live', LIVE, '--format', 'json', '--patch', 'restore']);
    const drifts = JSON.parse(stdout).drifts as { address: string | null; title: string; patch: { direction: string; status: string; note: string; diff: string }; remediation: string | null }[];
    expect(drifts.every((d) => d.patch?.direction === 'restore' && d.patch.note.length > 0)).toBe(true);
    const ssh = drifts.find((d) => d.address === 'aws_security_group.web')!;
    // Inline rules: Terraform owns every rule of the group, so apply removes the extra one.
    expect(ssh.patch).toMatchObject({ status: 'none', diff: '' });
    const admin = drifts.find((d) => d.address === 'aws_iam_role.app')!;
    expect(admin.remediation).toBe('aws iam detach-role-policy --role-name shop-app --policy-arn arn:aws:iam::aws:policy/AdministratorAccess');
    const unmanaged = drifts.find((d) => d.address === null)!;
    expect(unmanaged.remediation).toBe('aws ec2 terminate-instances --region us-east-1 --instance-ids i-0f7e6d5c4b3a29180');
  });

  it('accept: the diff applies with git apply and codifies the live changes', async () => {
    const dir = copyOfShop();
    const diffFile = path.join(dir, 'accept.diff');
    const { code } = await runCli(['scan', '--dir', dir, '--live', path.join(dir, 'live-inventory.json'), '--patch', 'accept', '--patch-file', diffFile, '--fail-on', 'none', '--quiet']);
    expect(code).toBe(0);
    const diff = readFileSync(diffFile, 'utf8');
    expect(diff).toContain('+  backup_retention_period = 1');
    execFileSync('git', ['apply', '--check', diffFile], { cwd: dir });
    execFileSync('git', ['apply', diffFile], { cwd: dir });
    const imports = readFileSync(path.join(dir, 'driftwatch_imports.tf'), 'utf8');
    expect(imports).toContain('to = aws_instance.debug_jdoe');
    expect(imports).toContain('id = "i-0f7e6d5c4b3a29180"');
    expect(readFileSync(path.join(dir, 'storage.tf'), 'utf8')).toContain('removed {');

    // Lines outside the edit are untouched: network.tf up to the inserted ingress block is byte
    // for byte what it was.
    const before = readFileSync(path.join(SHOP, 'network.tf'), 'utf8').split('\n');
    const after = readFileSync(path.join(dir, 'network.tf'), 'utf8').split('\n');
    expect(after.slice(0, 20)).toEqual(before.slice(0, 20));
  });

  it('never writes the state password into a patch', async () => {
    const { stdout } = await runCli(['scan', '--dir', SHOP, '--live', LIVE, '--patch', 'accept', '--fail-on', 'none']);
    expect(stdout).not.toContain('demo-Orders-pw-8d3f');
  });
});
