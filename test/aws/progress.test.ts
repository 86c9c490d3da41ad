import { describe, expect, it } from 'vitest';
import type { CollectProgress } from '../../src/aws/collect-inventory.js';
import { createProgressRenderer, formatProgress } from '../../src/aws/progress.js';

function progress(overrides: Partial<CollectProgress>): CollectProgress {
  return { family: 'ec2-instances', region: 'us-east-1', resources: 0, calls: 0, throttles: 0, done: false, ...overrides };
}

describe('formatProgress', () => {
  it.each([
    [progress({ resources: 1000, calls: 6, throttles: 2, done: true }), 'ec2 us-east-1: 1,000 instances, 6 calls, 2 throttled'],
    [progress({ resources: 4, calls: 1, done: true }), 'ec2 us-east-1: 4 instances, 1 call'],
    [progress({ calls: 12 }), 'ec2 us-east-1: 12 calls …'],
    [progress({ family: 's3-buckets', region: 'global', resources: 200, calls: 1401, done: true }), 's3 global: 200 buckets, 1,401 calls'],
    [progress({ family: 'security-groups', resources: 500, calls: 4, done: true }), 'security groups us-east-1: 500 groups, 4 calls'],
    [progress({ family: 'rds-instances', region: 'eu-west-1', resources: 3, calls: 1, done: true }), 'rds eu-west-1: 3 DB instances, 1 call'],
    [progress({ family: 'iam', region: 'global', resources: 501, calls: 2, done: true }), 'iam global: 501 roles and policies, 2 calls'],
    [
      progress({ calls: 5, throttles: 5, done: true, failure: 'Throttled: RequestLimitExceeded on ec2:DescribeInstances after 5 attempts; retries exhausted' }),
      'ec2 us-east-1: 5 calls, 5 throttled — unknown: Throttled: RequestLimitExceeded on ec2:DescribeInstances after 5 attempts; retries exhausted',
    ],
  ])('%#: %s', (input, line) => {
    expect(formatProgress(input)).toBe(line);
  });
});

describe('createProgressRenderer', () => {
  it('writes every finished unit, and a running one at most once per interval', () => {
    const lines: string[] = [];
    let now = 0;
    const render = createProgressRenderer({ write: (text) => lines.push(text), intervalMs: 1000, now: () => now });
    render(progress({ calls: 1 }));
    now = 500;
    render(progress({ calls: 2 }));
    now = 1200;
    render(progress({ calls: 3 }));
    now = 1300;
    render(progress({ calls: 4 }));
    render(progress({ family: 'iam', region: 'global', calls: 1 }));
    render(progress({ family: 'iam', region: 'global', resources: 2, calls: 1, done: true }));
    now = 1400;
    render(progress({ resources: 10, calls: 5, done: true }));
    expect(lines).toEqual(['ec2 us-east-1: 3 calls …\n', 'iam global: 2 roles and policies, 1 call\n', 'ec2 us-east-1: 10 instances, 5 calls\n']);
  });
});
