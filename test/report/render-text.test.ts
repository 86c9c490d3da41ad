import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/render-text.js';
import type { ReportDrift } from '../../src/report/types.js';
import { bucketDeleted, drifted, hostileDrift, imdsReenabled, misread, partial, quiet, resultWith, sshWorldOpen, tagsOnly, unmanagedInstance } from './fixtures/scan-results.js';

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- the SGR sequences renderText itself writes
const OUR_SGR = /\u001b\[(?:0|1|2|32|31|33|36|1;31)m/g;

function lineOf(text: string, start: string): string | undefined {
  return text.split('\n').map((line) => line.trim()).find((line) => line.startsWith(start));
}

describe('renderText', () => {
  it.each([
    ['drifted', drifted],
    ['partial', partial],
    ['misread', misread],
    ['quiet', quiet],
  ])('renders the %s scan', async (name, result) => {
    await expect(renderText(result)).toMatchFileSnapshot(`__snapshots__/${name}.txt`);
  });

  it('says plainly that nothing drifted, under the header', () => {
    const lines = renderText(quiet).trimEnd().split('\n');
    expect(lines[0]).toBe('driftwatch · kiln-production · complete scan');
    expect(lines[1]).toContain('posture 100/100');
    expect(lines[2]).toBe('No drift: live AWS matches the Terraform state.');
    expect(lines).toHaveLength(3);
  });

  it('does not claim a partial scan with no drift is clean everywhere', () => {
    const text = renderText({ ...quiet, status: 'partial', unknown: partial.unknown });
    expect(text).not.toContain('live AWS matches the Terraform state');
    expect(text).toContain('No drift in the resource types that could be read');
    expect(text).toContain('aws_db_instance: AccessDenied');
  });

  it('says in its status line why a scan is partial', () => {
    expect(renderText(partial).split('\n')[0]).toBe('driftwatch · kiln-production · partial scan: 1 resource type not read');
    expect(renderText(misread).split('\n')[0]).toBe('driftwatch · kiln-production · partial scan: configuration not fully read (3 errors in dns.tf.json, security.tf)');
    const both = renderText({ ...misread, unknown: [...partial.unknown, { type: 'aws_iam_role', reason: 'AccessDenied' }] });
    expect(both.split('\n')[0]).toBe('driftwatch · kiln-production · partial scan: 2 resource types not read; configuration not fully read (3 errors in dns.tf.json, security.tf)');
  });

  it('lists every configuration error, and what was skipped because of them', () => {
    const text = renderText(misread);
    expect(text).toContain(
      [
        'Configuration not fully read: resources written in what these errors cover have no location or patch, and a provider or backend written there is unknown. Fix them and scan again.',
        '  dns.tf.json:5:32: JSON syntax error: trailing comma (JSON allows none before `}` or `]`)',
        '  security.tf:9:3: syntax error: missing `]` to close the list that starts on line 8',
        '  security.tf:21:15: syntax error: unexpected `+`',
      ].join('\n'),
    );
    expect(text.indexOf('Configuration not fully read')).toBeGreaterThan(text.indexOf('LOW'));
  });

  it('names at most three files in the status line', () => {
    const configErrors = ['a.tf', 'b.tf', 'c.tf', 'd.tf'].map((file) => ({ file, line: 1, column: 1, message: 'syntax error: unexpected `}`' }));
    expect(renderText({ ...misread, configErrors }).split('\n')[0]).toBe('driftwatch · kiln-production · partial scan: configuration not fully read (4 errors in 4 files)');
  });

  it('lists drifts most severe first', () => {
    const labels = renderText(drifted).split('\n').map((line) => /^(CRITICAL|HIGH|MEDIUM|LOW) /.exec(line)?.[1]).filter(Boolean);
    expect(labels).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'LOW']);
  });

  it('counts drifts by severity in the header', () => {
    expect(renderText(drifted).split('\n')[2]).toBe('5 drifts: 1 critical, 2 high, 1 medium, 1 low');
  });

  it('names the resource by address and file:line, or by type and id when unmanaged', () => {
    const text = renderText(resultWith([sshWorldOpen, unmanagedInstance]));
    expect(text).toContain('aws_vpc_security_group_ingress_rule.worker_ssh (sgr-0c1d2e3f4a5b6c7d8) · modified · security.tf:64');
    expect(text).toContain('aws_instance i-0f3a9c2b7d1e4a5b6 · unmanaged\n');
  });

  it.each<[string, unknown, unknown, string]>([
    ['strings as they are', 'required', 'optional', 'p: required → optional'],
    ['null as absent', null, '@kiln/platform', 'p: (absent) → @kiln/platform'],
    ['objects as JSON', null, { from_port: 22, cidr_blocks: ['0.0.0.0/0'] }, 'p: (absent) → {"from_port":22,"cidr_blocks":["0.0.0.0/0"]}'],
    ['booleans and numbers', false, 3, 'p: false → 3'],
    ['an empty string visibly', '', 'x', 'p: "" → x'],
  ])('writes %s', (_name, declared, live, expected) => {
    const text = renderText(resultWith([{ ...tagsOnly, changes: [{ path: 'p', declared, live }] }]));
    expect(lineOf(text, 'p: ')).toBe(expected);
  });

  it.each<[string, number | null, string | undefined]>([
    ['an increase', 12.34, 'cost: +$12.34/month'],
    ['a decrease', -3, 'cost: -$3.00/month'],
    ['thousands', 1234.5, 'cost: +$1,234.50/month'],
    ['no line for no change', 0, undefined],
    ['no line for a change under a cent', 0.001, undefined],
    ['an unknown cost', null, 'cost: unknown cost'],
  ])('writes %s in the cost line', (_name, costDeltaMonthly, expected) => {
    expect(lineOf(renderText(resultWith([{ ...sshWorldOpen, costDeltaMonthly }])), 'cost: ')).toBe(expected);
  });

  it('writes who made the change', () => {
    const attribution = { ...sshWorldOpen.attribution!, eventName: 'AuthorizeSecurityGroupIngress' };
    expect(lineOf(renderText(resultWith([{ ...sshWorldOpen, attribution }])), 'by ')).toBe(
      'by alice via AuthorizeSecurityGroupIngress at 2025-05-02T08:41:17Z from 198.51.100.23 (console)',
    );
    expect(lineOf(renderText(resultWith([bucketDeleted])), 'by ')).toBe(
      'by deploy-bot as arn:aws:iam::123456789012:role/kiln-ci-deploy via DeleteBucket at 2025-04-30T22:13:09Z',
    );
  });

  it('writes the controls on one line', () => {
    expect(lineOf(renderText(resultWith([sshWorldOpen])), 'CIS')).toBe('CIS 5.2 · MITRE T1133, T1562.007');
    expect(lineOf(renderText(resultWith([tagsOnly])), 'CIS')).toBeUndefined();
  });

  it.each<[string, ReportDrift, string[]]>([
    ['an edit', imdsReenabled, ['fix (restore): edits compute.tf — metadata_options is written in compute.tf']],
    ['no edit needed', bucketDeleted, ['fix (restore): no edit needed — terraform apply creates the bucket again']],
    ['a command', unmanagedInstance, ['run: aws ec2 terminate-instances --region us-east-1 --instance-ids i-0f3a9c2b7d1e4a5b6']],
    ['an explanation', { ...sshWorldOpen, patch: { ...sshWorldOpen.patch!, direction: 'accept', status: 'explain', note: 'cidr_ipv4 comes from var.ssh_cidr: change the variable.' } }, ['fix (accept): cidr_ipv4 comes from var.ssh_cidr: change the variable.']],
    ['a dropped patch', { ...imdsReenabled, patch: { ...imdsReenabled.patch!, status: 'dropped', files: [], note: 'the patched file did not parse' } }, ['fix (restore): no patch — the patched file did not parse']],
  ])('hints at the fix for %s', (_name, drift, expected) => {
    const text = renderText(resultWith([drift]));
    for (const line of expected) expect(text).toContain(line);
  });

  it('shows at most 20 changes of a drift', () => {
    const changes = Array.from({ length: 25 }, (_, index) => ({ path: `tags.k${index}`, declared: null, live: `v${index}` }));
    const text = renderText(resultWith([{ ...tagsOnly, changes }]));
    expect(text).toContain('tags.k19: (absent) → v19');
    expect(text).not.toContain('tags.k20:');
    expect(text).toContain('… and 5 more changes');
  });

  it('masks values under secret-like attribute names', () => {
    const text = renderText(resultWith([{ ...sshWorldOpen, changes: [{ path: 'password', declared: 'FIXTURE-not-a-secret', live: 'FIXTURE-rotated' }] }]));
    expect(text).toContain('password: (sensitive) → (sensitive)');
    expect(text).not.toContain('FIXTURE');
  });

  it('writes no colour unless asked', () => {
    expect(renderText(drifted)).not.toContain('\u001b');
    expect(renderText(drifted, { color: false })).not.toContain('\u001b');
  });

  it('with colour, adds only SGR codes around the same text', () => {
    const coloured = renderText(drifted, { color: true });
    expect(coloured).toMatch(OUR_SGR);
    expect(coloured.replace(OUR_SGR, '')).toBe(renderText(drifted));
  });

  it.each([
    ['clear screen', '\u001b[2J\u001b[H'],
    ['an OSC window title', '\u001b]0;owned\u0007'],
    ['an OSC 8 hyperlink', '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\'],
    ['an 8-bit CSI', '\u009b31m'],
    ['a carriage return that overwrites the line', 'fine\rCRITICAL  fake'],
    ['a backspace', 'ab\b\b'],
    ['a bidi override', 'abc\u202edcba'],
    ['a NUL and DEL', 'a\u0000b\u007f'],
  ])('strips %s from cloud data', (_name, payload) => {
    const drift = hostileDrift(payload, {
      attribution: { ...sshWorldOpen.attribution!, actor: payload, eventName: payload },
      location: { file: payload, line: 1 },
    });
    const result = resultWith([drift], { workspace: payload, notes: [payload], unknown: [{ type: 'aws_db_instance', reason: payload }] });
    const plain = renderText(result);
    expect(plain).not.toMatch(CONTROL);
    expect(renderText(result, { color: true }).replace(OUR_SGR, '')).not.toMatch(CONTROL);
  });

  it('keeps a line break in cloud data from forging a line of its own', () => {
    const text = renderText(resultWith([hostileDrift('x\nCRITICAL  Forged drift')]));
    expect(text.split('\n').filter((line) => line.startsWith('CRITICAL') || line.startsWith('LOW'))).toHaveLength(1);
  });

  it('lists unknown types and notes after the drifts', () => {
    const text = renderText(partial);
    expect(text.indexOf('Not scanned')).toBeGreaterThan(text.indexOf('MEDIUM'));
    expect(text).toContain('\nNotes:\n  - aws_s3_bucket.replica is in us-west-2, which this workspace does not scan.\n');
  });
});
