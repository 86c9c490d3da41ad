// Runs the CLI in-process with captured streams.
import path from 'node:path';
import { main } from '../../src/cli.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SHOP = path.join(ROOT, 'examples/shop');

export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { AWS_REGION: 'us-east-1', ...options.env },
    cwd: options.cwd ?? ROOT,
    now: () => new Date('2026-11-22T09:00:00Z'),
  });
  return { code, stdout, stderr };
}
