import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import { appSettings, driftwatchApp } from '../../src/app.js';
import { DriftwatchError } from '../../src/errors.js';
import type { Runtime } from '../../src/runtime.js';

// A throwaway key: Probot only needs one to exist; nothing is signed in these tests.
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.stop();
});

async function load(env: Record<string, string | undefined> = {}) {
  const handlers: ((req: IncomingMessage, res: ServerResponse) => unknown)[] = [];
  // Who the app is, and its installations (none): what the runtime asks GitHub at start.
  nock('https://api.github.com').get('/app').reply(200, { id: 1, slug: 'driftwatch' }).get('/app/installations').query(true).reply(200, []);
  const probot = new Probot({ appId: 1, privateKey, log: pino({ level: 'silent' }), Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }) });
  const previous = { ...process.env };
  Object.assign(process.env, { DRIFTWATCH_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'driftwatch-app-')), ...env });
  try {
    await probot.load(driftwatchApp({}, (runtime) => runtimes.push(runtime)), { cwd: process.cwd(), addHandler: (handler) => handlers.push(handler) });
  } finally {
    process.env = previous;
  }
  return handlers;
}

function request(handler: (req: IncomingMessage, res: ServerResponse) => unknown, url: string) {
  let status = 0;
  let body = '';
  const res = { writeHead: (code: number) => (status = code), end: (text: string) => (body = text) } as unknown as ServerResponse;
  const handled = handler({ method: 'GET', url } as IncomingMessage, res);
  return { handled, status, body };
}

describe('the Probot app', () => {
  it('answers GET /driftwatch/health, and leaves other paths to Probot', async () => {
    const [handler] = await load();
    const health = request(handler!, '/driftwatch/health');
    expect(health).toMatchObject({ handled: true, status: 200 });
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', customEndpoints: [], store: 'sqlite', schedules: 1 });
    expect(request(handler!, '/api/github/webhooks').handled).toBe(false);
  });

  it('reports which services use a custom endpoint (LocalStack), not the URLs', async () => {
    const [handler] = await load({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    expect(JSON.parse(request(handler!, '/driftwatch/health').body).customEndpoints).toEqual(['cloudtrail', 'ec2', 'iam', 'rds', 's3', 'sts']);
  });

  it('stops at start with a message naming a bad setting', async () => {
    await expect(load({ DRIFTWATCH_AWS_MAX_ATTEMPTS: 'many' })).rejects.toThrow(DriftwatchError);
    await expect(load({ DRIFTWATCH_AWS_MAX_ATTEMPTS: 'many' })).rejects.toThrow('DRIFTWATCH_AWS_MAX_ATTEMPTS');
  });

  it('never runs without a role allowlist: none set means no role may be assumed', () => {
    expect(appSettings({}).aws.assumeRoleAllowlist).toEqual([]);
    expect(appSettings({ DRIFTWATCH_ASSUME_ROLE_ALLOWLIST: 'arn:aws:iam::*:role/driftwatch-reader' }).aws.assumeRoleAllowlist).toEqual(['arn:aws:iam::*:role/driftwatch-reader']);
  });
});
