import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import { registerWebhooks } from '../../src/github/register-webhooks.js';
import type { EnqueueOptions, JobQueue } from '../../src/jobs/types.js';
import { example, INSTALLATION } from './webhook-examples.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

describe('registerWebhooks', () => {
  it('enqueues a push with its job id and revision, the same for each delivery of it', async () => {
    const enqueued: { name: string; options: EnqueueOptions | undefined }[] = [];
    const queue: JobQueue = { enqueue: async (name, _data, options) => void enqueued.push({ name, options }), idle: async () => undefined, close: async () => undefined };
    const probot = new Probot({ appId: 1, privateKey, log: pino({ level: 'silent' }), Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }) });
    registerWebhooks(probot, { queue, botLogin: () => 'driftwatch[bot]', appId: 1, dashboardRequests: () => [] });
    const payload = example('push');
    payload.installation = INSTALLATION;
    payload.ref = `refs/heads/${payload.repository.default_branch}`;

    // GitHub's redelivery carries the same payload under a new delivery id.
    await probot.receive({ id: 'delivery-1', name: 'push', payload });
    await probot.receive({ id: 'delivery-2', name: 'push', payload });

    const expected = { name: 'scan-repository', options: { id: `scan:${payload.repository.owner.login}/${payload.repository.name}:default`, revision: `push@${payload.after}` } };
    expect(enqueued).toEqual([expected, expected]);
  });
});
