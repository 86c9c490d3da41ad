import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/render-json.js';
import type { ScanResult } from '../../src/report/types.js';
import { bucketDeleted, drifted, imdsReenabled, misread, partial, quiet, resultWith, sshWorldOpen, unmanagedInstance } from './fixtures/scan-results.js';

const TOP_KEYS = ['version', 'status', 'workspace', 'scannedAt', 'coverage', 'unknown', 'configErrors', 'summary', 'postureScore', 'drifts', 'notes'];
const DRIFT_KEYS = ['fingerprint', 'kind', 'address', 'type', 'id', 'severity', 'title', 'changes', 'controls', 'costDeltaMonthly', 'attribution', 'location', 'patch', 'remediation'];

function parse(text: string) {
  return JSON.parse(text) as {
    status: string; coverage: object; summary: object; unknown: object[]; configErrors: object[];
    drifts: (Record<string, unknown> & { changes: object[]; controls: object; patch: Record<string, unknown> | null; attribution: object | null; location: object | null })[];
  };
}

describe('renderJson', () => {
  it('renders the drifted scan', async () => {
    await expect(renderJson(drifted)).toMatchFileSnapshot('__snapshots__/drifted.json');
  });

  it('has exactly the contract keys, in the contract order', () => {
    const report = parse(renderJson(drifted));
    expect(Object.keys(report)).toEqual(TOP_KEYS);
    expect(Object.keys(report.coverage)).toEqual(['managed', 'unmanaged', 'percent']);
    expect(Object.keys(report.summary)).toEqual(['critical', 'high', 'medium', 'low']);
    for (const drift of report.drifts) {
      expect(Object.keys(drift)).toEqual(DRIFT_KEYS);
      expect(Object.keys(drift.controls)).toEqual(['cis', 'mitre']);
      for (const change of drift.changes) expect(Object.keys(change)).toEqual(['path', 'declared', 'live']);
      if (drift.patch !== null) expect(Object.keys(drift.patch)).toEqual(['direction', 'status', 'note', 'diff']);
      if (drift.location !== null) expect(Object.keys(drift.location)).toEqual(['file', 'line']);
      if (drift.attribution !== null) {
        expect(Object.keys(drift.attribution)).toEqual(['actor', 'actorType', 'role', 'sessionName', 'eventName', 'eventTime', 'sourceIp', 'console', 'eventId']);
      }
    }
    expect(Object.keys(parse(renderJson(partial)).unknown[0] ?? {})).toEqual(['type', 'reason']);
  });

  it('keeps the key order when the input objects list their keys differently', () => {
    const shuffled: ScanResult = {
      notes: [],
      drifts: [],
      postureScore: 100,
      summary: { low: 0, medium: 0, high: 0, critical: 0 },
      configErrors: [{ message: 'syntax error: unexpected `}`', column: 1, line: 8, file: 'network.tf' }],
      unknown: [],
      coverage: { percent: 100, unmanaged: 0, managed: 3 },
      scannedAt: quiet.scannedAt,
      workspace: 'w',
      status: 'complete',
      version: 1,
    };
    const report = parse(renderJson(shuffled));
    expect(Object.keys(report)).toEqual(TOP_KEYS);
    expect(Object.keys(report.coverage)).toEqual(['managed', 'unmanaged', 'percent']);
    expect(Object.keys(report.summary)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(Object.keys(report.configErrors[0] ?? {})).toEqual(['file', 'line', 'column', 'message']);
  });

  it('lists every configuration error of a scan that could not read all of it, as partial', () => {
    const report = parse(renderJson(misread));
    expect(report.status).toBe('partial');
    expect(report.unknown).toEqual([]);
    expect(report.configErrors).toEqual(misread.configErrors);
  });

  it('leaves out region, signals, the live object and the declared state', () => {
    const drift = { ...imdsReenabled, declared: { user_data: 'export DB_PASSWORD=FIXTURE-not-a-secret' } };
    const json = renderJson(resultWith([drift]));
    expect(Object.keys(parse(json).drifts[0] ?? {})).toEqual(DRIFT_KEYS);
    expect(json).not.toContain('us-east-1');
    expect(json).not.toContain('FIXTURE-not-a-secret');
    expect(json).not.toContain('ec2.imdsv1_enabled');
  });

  it('is pretty-printed with two spaces and ends with one newline', () => {
    const json = renderJson(quiet);
    expect(json.startsWith('{\n  "version": 1,\n  "status": "complete",\n')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.endsWith('\n\n')).toBe(false);
  });

  it('emits null address and location for an unmanaged drift', () => {
    const [drift] = parse(renderJson(resultWith([unmanagedInstance]))).drifts;
    expect(drift?.address).toBeNull();
    expect(drift?.location).toBeNull();
    expect(drift?.remediation).toBe('aws ec2 terminate-instances --region us-east-1 --instance-ids i-0f3a9c2b7d1e4a5b6');
  });

  it('concatenates the file diffs of a patch, each ending with a newline', () => {
    const patch = {
      ...imdsReenabled.patch!,
      files: [
        { path: 'a.tf', before: '', after: '', diff: 'diff --git a/a.tf b/a.tf\n+x' },
        { path: 'b.tf', before: '', after: '', diff: 'diff --git a/b.tf b/b.tf\n+y\n' },
      ],
    };
    const [drift] = parse(renderJson(resultWith([{ ...imdsReenabled, patch }]))).drifts;
    expect(drift?.patch?.diff).toBe('diff --git a/a.tf b/a.tf\n+x\ndiff --git a/b.tf b/b.tf\n+y\n');
  });

  it('gives an empty diff when the patch edits nothing', () => {
    const [drift] = parse(renderJson(resultWith([bucketDeleted]))).drifts;
    expect(drift?.patch).toEqual({ direction: 'restore', status: 'none', note: bucketDeleted.patch?.note, diff: '' });
    expect(drift?.remediation).toBeNull();
  });

  it('emits null patch and remediation when no patch was computed', () => {
    const [drift] = parse(renderJson(resultWith([{ ...sshWorldOpen, patch: null }]))).drifts;
    expect(drift?.patch).toBeNull();
    expect(drift?.remediation).toBeNull();
  });

  it('keeps every change key even when a value is undefined', () => {
    const [drift] = parse(renderJson(resultWith([{ ...sshWorldOpen, changes: [{ path: 'description', declared: undefined, live: 'x' }] }]))).drifts;
    expect(drift?.changes).toEqual([{ path: 'description', declared: null, live: 'x' }]);
  });

  it('masks values under secret-like attribute names', () => {
    const changes = [
      { path: 'password', declared: 'FIXTURE-not-a-secret', live: 'FIXTURE-rotated' },
      { path: 'tags.API_TOKEN', declared: null, live: 'tok-123' },
      { path: 'metadata_options[0].http_tokens', declared: 'required', live: 'optional' },
    ];
    const [drift] = parse(renderJson(resultWith([{ ...sshWorldOpen, changes }]))).drifts;
    expect(drift?.changes).toEqual([
      { path: 'password', declared: '(sensitive)', live: '(sensitive)' },
      { path: 'tags.API_TOKEN', declared: null, live: '(sensitive)' },
      { path: 'metadata_options[0].http_tokens', declared: 'required', live: 'optional' },
    ]);
  });

  it('reports a cost it cannot price as null', () => {
    const [drift] = parse(renderJson(resultWith([{ ...sshWorldOpen, costDeltaMonthly: Number.NaN }]))).drifts;
    expect(drift?.costDeltaMonthly).toBeNull();
  });

  it('matches the example in docs/report-json.md', () => {
    const doc = readFileSync(new URL('../../docs/report-json.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBe(renderJson(partial));
  });
});
