// Progress lines on stderr while the inventory is read, one per family and region:
//   ec2 us-east-1: 1,000 instances, 6 calls, 2 throttled
// A finished unit always gets its line; a running one at most every `intervalMs`, so a long S3
// read shows it is alive without flooding the terminal. The CLI leaves the renderer out on --quiet.
import type { CollectProgress } from './collect-inventory.js';

const LABELS: Readonly<Record<string, { service: string; noun: string }>> = {
  'ec2-instances': { service: 'ec2', noun: 'instances' },
  'security-groups': { service: 'security groups', noun: 'groups' },
  's3-buckets': { service: 's3', noun: 'buckets' },
  'rds-instances': { service: 'rds', noun: 'DB instances' },
  iam: { service: 'iam', noun: 'roles and policies' },
};

const numbers = new Intl.NumberFormat('en-US');

export function formatProgress(progress: CollectProgress): string {
  const label = LABELS[progress.family] ?? { service: progress.family, noun: 'resources' };
  const parts: string[] = [];
  if (progress.done && progress.failure === undefined) parts.push(`${numbers.format(progress.resources)} ${label.noun}`);
  parts.push(`${numbers.format(progress.calls)} ${progress.calls === 1 ? 'call' : 'calls'}`);
  if (progress.throttles > 0) parts.push(`${numbers.format(progress.throttles)} throttled`);
  const state = progress.failure !== undefined ? ` — unknown: ${progress.failure}` : progress.done ? '' : ' …';
  return `${label.service} ${progress.region}: ${parts.join(', ')}${state}`;
}

export interface ProgressRendererOptions {
  /** Where lines go; the CLI passes process.stderr. */
  write: (text: string) => void;
  /** Least time between two lines of the same running unit. */
  intervalMs?: number;
  now?: () => number;
}

export function createProgressRenderer(options: ProgressRendererOptions): (progress: CollectProgress) => void {
  const intervalMs = options.intervalMs ?? 2_000;
  const now = options.now ?? Date.now;
  const lastLine = new Map<string, number>();
  return (progress) => {
    const key = `${progress.family} ${progress.region}`;
    const at = now();
    if (!progress.done) {
      const previous = lastLine.get(key);
      // The first event of a unit only starts its clock: a read that finishes quickly gets one line.
      if (previous === undefined) {
        lastLine.set(key, at);
        return;
      }
      if (at - previous < intervalMs) return;
    }
    lastLine.set(key, at);
    options.write(`${formatProgress(progress)}\n`);
  };
}
