import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import { PacedProbotOctokit } from '../../src/github/paced-octokit.js';
import { createPacer } from '../../src/github/pacer.js';
import { createFakeClock } from '../aws/fixtures/fake-clock.js';
import { REPO } from './github-responses.js';
import { API, mockGitHub, secondaryRateLimit } from './nock-github.js';

// A throwaway key: Probot signs the app's JWT with it for the installation token request.
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** The installation client Probot builds from `Octokit`, and the plugin options it was built with. */
async function installationClient(Octokit: typeof ProbotOctokit) {
  const seen: { throttle?: { enabled?: boolean }; retry?: { enabled?: boolean } }[] = [];
  const Capturing = Octokit.plugin((_octokit, options) => {
    seen.push({ throttle: options.throttle as { enabled?: boolean }, retry: options.retry as { enabled?: boolean } });
    return {};
  });
  const probot = new Probot({ appId: 1, privateKey, Octokit: Capturing });
  nock(API).post('/app/installations/4242/access_tokens').reply(201, { token: 'ghs_installation', expires_at: '2099-01-01T00:00:00Z', permissions: { issues: 'write' }, repository_selection: 'selected' });
  const octokit = await probot.auth(4242);
  return { octokit, options: seen.at(-1) };
}

describe('PacedProbotOctokit', () => {
  it('gives installation clients no throttling or retry plugin, so the pacer alone handles limits', async () => {
    const { options } = await installationClient(PacedProbotOctokit);
    expect(options?.throttle?.enabled).toBe(false);
    expect(options?.retry?.enabled).toBe(false);
  });

  it('is needed: plain defaults leave Probot’s throttling on for installation clients', async () => {
    const { options } = await installationClient(ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } }));
    expect(options?.throttle?.enabled).toBe(true);
  });

  it('with the pacer attached, an installation client waits out a secondary limit', async () => {
    const { octokit } = await installationClient(PacedProbotOctokit);
    const clock = createFakeClock(Date.parse('2025-06-02T09:00:00Z'));
    createPacer({ now: clock.now, sleep: clock.sleep }).attach(octokit, 4242);
    const gh = mockGitHub();
    gh.createIssue(7, secondaryRateLimit(2));
    gh.createIssue(7);

    const response = await clock.run(octokit.request('POST /repos/{owner}/{repo}/issues', { owner: REPO.owner, repo: REPO.name, title: 'x' }));

    expect(response.status).toBe(201);
    expect(gh.writes()).toHaveLength(2);
  });
});
