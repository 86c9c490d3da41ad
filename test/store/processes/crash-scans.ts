// The scans the crash test's child writes, and how the test recognizes them afterwards.
import type { FindingInput, ScanRecordInput } from '../../../src/store/types.js';
import { fingerprint, scanInput, unmanagedInstance } from '../findings.js';

export const FINDINGS = 3_000;
const START = Date.parse('2026-11-22T06:00:00.000Z');

export function crashFinishedAt(i: number): string {
  return new Date(START + i * 3_600_000).toISOString();
}

export function crashScan(i: number): ScanRecordInput {
  return scanInput({ finishedAt: crashFinishedAt(i) });
}

export function crashFingerprint(key: number, i: number): string {
  return fingerprint('prod', String(key), `scan ${i}`);
}

export function crashFindings(i: number): FindingInput[] {
  return Array.from({ length: FINDINGS }, (_, key) => {
    const id = `i-${key.toString(16).padStart(17, '0')}`;
    return { ...unmanagedInstance(), resourceKey: `aws_instance:${id}`, cloudId: id, fingerprint: crashFingerprint(key, i) };
  });
}
