// Runs the built CLI (`npm run build` → dist/cli.js) as its own process, the way a user or CI
// runs it, and fails when the process does not end by itself: whatever a command leaves running
// (a worker thread, a socket, a timer) shows up here as a timeout.
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './run-cli.js';

export const BUILT_CLI = path.join(ROOT, 'dist', 'cli.js');

/** Time a command may take before it counts as never ending: a hang never ends, and a busy
 * shared machine can make a healthy run take tens of seconds. */
export const EXIT_TIMEOUT_MS = 120_000;

export function buildCli(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A clean environment: no credentials, config files or metadata service of this machine. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(ROOT, 'test', 'cli'),
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

export function runBuiltCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], { cwd: options.cwd ?? ROOT, env: childEnv(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`driftwatch ${args.join(' ')} did not exit by itself within ${EXIT_TIMEOUT_MS / 1000} s (something holds the process open).\nstdout: ${stdout.slice(-500)}\nstderr: ${stderr.slice(-500)}`));
    }, EXIT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === null) reject(new Error(`driftwatch ${args.join(' ')} was killed by ${signal}`));
      else resolve({ code, stdout, stderr });
    });
  });
}
