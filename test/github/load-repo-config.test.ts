import nock from 'nock';
import { Context } from 'probot';
import { describe, expect, it } from 'vitest';
import { mergeConfigs } from '../../src/config/merge-configs.js';
import { loadRepoConfig } from '../../src/github/load-repo-config.js';
import { createRepoReader } from '../../src/github/repo-reader.js';
import { treeFileSource } from '../../src/github/tree-file-source.js';
import { API, client, gitFixture, serveGitData } from './git-data.js';

const REPO = { owner: 'acme', name: 'infra' };
const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const CONTENTS = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+?)(\?ref=([^&]+))?$/;

/** Config files by "owner/repo:path" as the contents API serves them in the raw media type;
 * anything else is a 404, as GitHub answers for a missing file. Returns the files asked for. */
function serveConfigFiles(files: Record<string, string>): string[] {
  const asked: string[] = [];
  nock(API)
    .persist()
    .get(CONTENTS)
    .reply(function (uri) {
      const [, owner, repo, path, , ref] = CONTENTS.exec(uri)!;
      const key = `${owner}/${repo}:${decodeURIComponent(path!)}`;
      asked.push(ref ? `${key}@${ref}` : key);
      expect(this.req.headers.accept).toBe('application/vnd.github.v3.raw');
      const text = files[key];
      if (text === undefined) return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content', status: '404' }];
      return [200, text, { 'content-type': 'application/vnd.github.raw; charset=utf-8' }];
    });
  return asked;
}

const load = (extra: Partial<Parameters<typeof loadRepoConfig>[0]> = {}) => loadRepoConfig({ octokit: client(), repo: REPO, ref: SHA, slackChannels: ['PLATFORM_ALERTS'], ...extra });

const OWN = `# driftwatch for acme/infra
workspaces:
  - name: prod
    dir: infra/prod
    schedule: "0 7 * * 1-5"
fail_on: high
labels: [infra]
`;

describe('loading .github/driftwatch.yml in the app', () => {
  it("reads the repository's own file at the scanned commit", async () => {
    const asked = serveConfigFiles({ 'acme/infra:.github/driftwatch.yml': OWN });

    const loaded = await load();

    expect(loaded).toMatchObject({ ok: true, found: true, workspacesListed: true, files: ['.github/driftwatch.yml'] });
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.config.workspaces).toEqual([{ name: 'prod', dir: 'infra/prod', schedule: '0 7 * * 1-5', timezone: 'UTC', enabled: true, terraform_workspace: 'default' }]);
    expect(loaded.config.fail_on).toBe('high');
    expect(asked).toEqual([`acme/infra:.github/driftwatch.yml@${SHA}`]);
  });

  it("falls back to the organization's .github repository", async () => {
    const asked = serveConfigFiles({ 'acme/.github:.github/driftwatch.yml': 'fail_on: medium\nlabels: [platform]\n' });

    const loaded = await load();

    expect(loaded).toMatchObject({ ok: true, found: true, workspacesListed: false, files: ['acme/.github:.github/driftwatch.yml'], config: { fail_on: 'medium', labels: ['platform'] } });
    expect(asked).toEqual([`acme/infra:.github/driftwatch.yml@${SHA}`, 'acme/.github:.github/driftwatch.yml']);
  });

  it('is all defaults, and says so, when there is no file anywhere', async () => {
    serveConfigFiles({});
    const loaded = await load();
    expect(loaded).toMatchObject({ ok: true, found: false, workspacesListed: false, files: [], config: { fail_on: 'low', autofix: { mode: 'off', min_severity: 'low' } } });
  });

  it('merges a file from another repository under its own as context.config does: own values win, lists add up', async () => {
    const files = {
      'acme/infra:.github/driftwatch.yml': `_extends: acme/policies\n${OWN}`,
      'acme/policies:.github/driftwatch.yml': 'fail_on: low\nlabels: [platform]\nignore:\n  - aws_instance.*.tags.LastPatched\nnotify:\n  slack:\n    channel: platform-alerts\n    min_severity: high\n',
    };
    serveConfigFiles(files);

    const loaded = await load();

    expect(loaded).toMatchObject({ ok: true, files: ['.github/driftwatch.yml', 'acme/policies:.github/driftwatch.yml'] });
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.config).toMatchObject({
      fail_on: 'high',
      labels: ['platform', 'infra'],
      ignore: ['aws_instance.*.tags.LastPatched'],
      notify: { slack: { channel: 'platform-alerts', min_severity: 'high', briefing: { enabled: false, schedule: '0 9 * * 1' } } },
    });
    expect(loaded.config.workspaces.map((workspace) => workspace.name)).toEqual(['prod']);

    // The same files through Probot's own context.config give the same merged configuration.
    nock.cleanAll();
    serveConfigFiles(files);
    const context = new Context({ id: '1', name: 'push', payload: { repository: { name: 'infra', owner: { login: 'acme' } } } } as never, client(), console as never);
    const probot = await context.config('driftwatch.yml', {});
    nock.cleanAll();
    serveConfigFiles(files);
    const ours = await client().config.get({ owner: 'acme', repo: 'infra', path: '.github/driftwatch.yml', defaults: (configs) => mergeConfigs(configs) });
    expect(ours.config).toEqual(probot);
  });

  it('extends the organization .github repository by its short name', async () => {
    serveConfigFiles({ 'acme/infra:.github/driftwatch.yml': '_extends: .github\nfail_on: critical\n', 'acme/.github:.github/driftwatch.yml': 'labels: [platform]\nfail_on: low\n' });
    const loaded = await load();
    expect(loaded).toMatchObject({ ok: true, workspacesListed: false, config: { fail_on: 'critical', labels: ['platform'] }, files: ['.github/driftwatch.yml', 'acme/.github:.github/driftwatch.yml'] });
  });
});

describe('an invalid configuration names the file, the line and the field', () => {
  it('invalid YAML', async () => {
    serveConfigFiles({ 'acme/infra:.github/driftwatch.yml': 'fail_on: high\nworkspaces:\n  - name: prod\n   dir: infra\n' });
    const loaded = await load();
    expect(loaded).toMatchObject({ ok: false, errors: [{ file: '.github/driftwatch.yml', line: 4, field: null, message: expect.stringMatching(/^not valid YAML: /) }] });
  });

  it("a field of the repository's own file, its text taken from the tree already read", async () => {
    const text = OWN.replace('0 7 * * 1-5', '0 25 * * 1-5');
    const commit = gitFixture({ '.github/driftwatch.yml': text, 'infra/prod/main.tf': 'terraform {}\n' });
    serveGitData('acme', 'infra', [commit]);
    const asked = serveConfigFiles({ 'acme/infra:.github/driftwatch.yml': text });
    const files = treeFileSource(await createRepoReader().readTree(client(), REPO, commit.commitSha));

    const loaded = await load({ ref: commit.commitSha, files });

    expect(loaded).toEqual({
      ok: false,
      errors: [{ file: '.github/driftwatch.yml', line: 5, field: 'workspaces[0].schedule', message: '"0 25 * * 1-5" is not a valid cron expression (Invalid value for hour: 25); write minute hour day month weekday, such as "0 6 * * 1-5"' }],
      message:
        'The driftwatch configuration is not valid, so nothing was scanned. Fix it and push again:\n' +
        '.github/driftwatch.yml:5 workspaces[0].schedule: "0 25 * * 1-5" is not a valid cron expression (Invalid value for hour: 25); write minute hour day month weekday, such as "0 6 * * 1-5"',
      files: ['.github/driftwatch.yml'],
    });
    // Only the plugin's own read: the text for the line came from the tree.
    expect(asked).toEqual([`acme/infra:.github/driftwatch.yml@${commit.commitSha}`]);
  });

  it('a field of the file it extends, read raw from that repository', async () => {
    const asked = serveConfigFiles({
      'acme/infra:.github/driftwatch.yml': '_extends: acme/policies\nfail_on: high\n',
      'acme/policies:.github/driftwatch.yml': 'labels:\n  - platform\nautofix:\n  mode: restore\n  min_severity: urgent\n',
    });
    const loaded = await load();
    expect(loaded).toMatchObject({ ok: false, errors: [{ file: 'acme/policies:.github/driftwatch.yml', line: 5, field: 'autofix.min_severity' }] });
    expect(asked).toEqual([`acme/infra:.github/driftwatch.yml@${SHA}`, 'acme/policies:.github/driftwatch.yml', 'acme/policies:.github/driftwatch.yml', `acme/infra:.github/driftwatch.yml@${SHA}`]);
  });

  it('a list item from its own file once lists are concatenated', async () => {
    serveConfigFiles({
      'acme/infra:.github/driftwatch.yml': '_extends: acme/policies\nworkspaces:\n  - name: prod\n    dir: infra/prod\n    timezone: Mars/Olympus\n',
      'acme/policies:.github/driftwatch.yml': 'workspaces:\n  - name: shared\n    dir: infra/shared\n',
    });
    const loaded = await load();
    expect(loaded).toMatchObject({ ok: false, errors: [{ file: '.github/driftwatch.yml', line: 5, field: 'workspaces[1].timezone' }] });
  });

  it('a Slack channel the server has no webhook for names the variable to set', async () => {
    serveConfigFiles({ 'acme/infra:.github/driftwatch.yml': 'notify:\n  slack:\n    channel: security-oncall\n' });
    const loaded = await load();
    expect(loaded).toMatchObject({
      ok: false,
      errors: [{ file: '.github/driftwatch.yml', line: 3, field: 'notify.slack.channel', message: expect.stringContaining('set DRIFTWATCH_SLACK_WEBHOOK_SECURITY_ONCALL') }],
    });
  });

  it('a webhook URL written as the channel', async () => {
    serveConfigFiles({ 'acme/infra:.github/driftwatch.yml': 'fail_on: high\nnotify:\n  slack:\n    channel: "https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnopqrstuvwx"\n' });
    const loaded = await load();
    expect(loaded).toMatchObject({ ok: false, errors: [{ line: 4, field: 'notify.slack.channel', message: expect.stringContaining('put it in the server environment as DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>') }] });
  });

  it('an _extends target that does not exist, instead of silently dropping its settings', async () => {
    serveConfigFiles({ 'acme/infra:.github/driftwatch.yml': 'fail_on: high\n_extends: acme/polices\n' });
    const loaded = await load();
    expect(loaded).toMatchObject({
      ok: false,
      errors: [{ file: '.github/driftwatch.yml', line: 2, field: '_extends', message: 'acme/polices:.github/driftwatch.yml does not exist, or driftwatch cannot read it: fix the _extends value, or install the app on acme/polices' }],
    });
  });

  it('an _extends value that names no repository', async () => {
    serveConfigFiles({ 'acme/infra:.github/driftwatch.yml': 'fail_on: high\n_extends: "acme/policies:driftwatch.txt"\n' });
    const loaded = await load();
    expect(loaded).toMatchObject({ ok: false, errors: [{ file: '.github/driftwatch.yml', line: 2, field: '_extends', message: expect.stringContaining('write "repo", "owner/repo" or "owner/repo:path/to/file.yml"') }] });
  });

  it('an _extends chain that loops', async () => {
    serveConfigFiles({
      'acme/infra:.github/driftwatch.yml': '_extends: acme/a\n',
      'acme/a:.github/driftwatch.yml': 'labels: [a]\n_extends: acme/b\n',
      'acme/b:.github/driftwatch.yml': '_extends: acme/a\n',
    });
    const loaded = await load();
    expect(loaded).toMatchObject({ ok: false, errors: [{ file: 'acme/b:.github/driftwatch.yml', line: 1, field: '_extends', message: expect.stringContaining('which is already part of the chain') }] });
  });

  it('is not a configuration error when GitHub fails: it throws for the caller to retry', async () => {
    nock(API).get(CONTENTS).reply(502, { message: 'Server Error' });
    await expect(load()).rejects.toMatchObject({ status: 502 });
  });
});
