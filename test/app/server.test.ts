// `npm start`: Probot's server with the driftwatch app, and GET /driftwatch/health in both of its
// modes: the app (APP_ID and a private key set) and the setup app Probot runs instead until the
// GitHub App is registered.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'probot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServer } from '../../src/server.js';
import { VERSION } from '../../src/version.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** A port nothing listens on (Probot's Server takes no port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let running: Server | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  vi.unstubAllEnvs();
});

async function start(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  // Quiet, and no smee.io channel: nothing leaves the machine.
  const base = { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'fatal', NO_SMEE_SETUP: 'true' };
  running = await startServer({ env: { ...base, ...env } });
  return `http://127.0.0.1:${port}`;
}

describe('npm start', () => {
  it('answers GET /driftwatch/health in setup mode (no APP_ID yet), beside the setup pages', async () => {
    const url = await start({});
    const health = await fetch(`${url}/driftwatch/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'setup', version: VERSION, message: expect.stringContaining('register') });
    expect((await fetch(`${url}/probot`)).status).toBe(200);
  });

  it('answers GET /driftwatch/health with the app running', async () => {
    vi.stubEnv('APP_ID', '12345');
    const url = await start({ APP_ID: '12345', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: 'test-secret' });
    const health = await fetch(`${url}/driftwatch/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', version: VERSION });
  });
});

describe('npm start as a process', () => {
  it('exits on SIGTERM once it stopped (a deploy or `docker stop` does not have to kill it)', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'driftwatch-server-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      // The repository root, where tsx resolves; the variables below win over any .env there.
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_FORMAT: 'json',
        NO_SMEE_SETUP: 'true',
        APP_ID: '12345',
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: 'test-secret',
        DRIFTWATCH_DATA_DIR: dataDir,
        // GitHub is nowhere: the app asks who it is, fails and starts anyway.
        GHE_HOST: `127.0.0.1:${await freePort()}`,
        GHE_PROTOCOL: 'http',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Listening on')) resolve();
        });
        child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
        void exited.then(() => reject(new Error(`the server exited before it listened:\n${output}`)));
      });
      expect((await fetch(`http://127.0.0.1:${port}/driftwatch/health`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
