// `npm start`: Probot's server with the driftwatch app, and GET /driftwatch/health in both of its
// modes: the app (APP_ID and a private key set) and the setup app Probot runs instead until the
// GitHub App is registered.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
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
