// One workspace of a repository through the engine, read from the repository (not the disk), with
// live AWS at the HTTP layer: the fake account behind a custom endpoint, the state committed to
// the repository or in the S3 backend.
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRepoConfig } from '../../src/config/repo-config.js';
import { settingsFromEnv } from '../../src/config/settings.js';
import { scanWorkspace, workspaceDir } from '../../src/repository/scan-workspace.js';
import { FakeAccount } from '../aws/fake-aws/account.js';
import { fixtureAccount } from '../aws/fake-aws/fixtures.js';
import { interceptFakeAws } from '../aws/fake-aws/nock.js';
import { filesOnDisk, repositorySource } from './memory-source.js';

const ENDPOINT = 'http://127.0.0.1:4566';
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/real-provider/legacy-inline');
const WEB = 'sg-7488d1103fb704de7';

async function repository(extra: Record<string, string> = {}) {
  const files = await filesOnDisk(FIXTURE, 'infra/legacy', (relative) => relative.startsWith('live') || relative.endsWith('.json') || relative.endsWith('.md'));
  return repositorySource({ ...files, ...extra });
}

function deps() {
  const settings = settingsFromEnv({ AWS_ENDPOINT_URL: ENDPOINT, AWS_REGION: 'us-east-1' });
  return { now: () => new Date('2026-12-07T06:00:00Z'), awsSettings: settings.aws, defaultRegion: 'us-east-1' };
}

function account(openPort22: boolean): FakeAccount {
  const data = fixtureAccount('legacy-inline');
  if (openPort22) {
    const web = data.regions['us-east-1']!.securityGroups.find((group) => group.GroupId === WEB)!;
    web.IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
  }
  return new FakeAccount(data);
}

const config = (text: string) => parseRepoConfig(text, '.github/driftwatch.yml');

beforeEach(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDDRIFTWATCHTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-a-secret');
});
afterEach(() => vi.unstubAllEnvs());

describe('scanWorkspace', () => {
  it('scans a root module and its committed state read from the repository', async () => {
    const fake = account(true);
    interceptFakeAws(fake, ENDPOINT);
    const repoConfig = config('workspaces:\n  - name: legacy\n    dir: infra/legacy\n    state: infra/legacy/terraform.tfstate\nattribution:\n  enabled: false\n');
    const files = await repository();

    const report = await scanWorkspace({ workspace: repoConfig.workspaces[0]!, all: repoConfig.workspaces, config: repoConfig, files, commitSha: 'a'.repeat(40), accept: true, externalId: null }, deps());

    expect(report).toMatchObject({ workspace: 'legacy', dir: 'infra/legacy', status: 'complete', error: null, commitSha: 'a'.repeat(40) });
    expect(report.result?.drifts.map((drift) => [drift.address, drift.severity])).toEqual([['aws_security_group.web', 'critical']]);
    // Locations stay relative to the root module; the surfaces join them with `dir`.
    expect(report.result?.drifts[0]?.location?.file).toMatch(/^[^/]+\.tf$/);
    expect(report.patches.restore?.direction).toBe('restore');
    expect(report.patches.accept?.direction).toBe('accept');
    expect(report.apiCalls).toBeGreaterThan(0);
    expect(files.reads).toContain('infra/legacy/terraform.tfstate');
  });

  it('applies the .driftignore files of the repository', async () => {
    interceptFakeAws(account(true), ENDPOINT);
    const repoConfig = config('workspaces:\n  - name: legacy\n    dir: infra/legacy\n    state: infra/legacy/terraform.tfstate\nattribution:\n  enabled: false\n');
    const files = await repository({ 'infra/legacy/.driftignore': 'aws_security_group.web\n' });
    const report = await scanWorkspace({ workspace: repoConfig.workspaces[0]!, all: repoConfig.workspaces, config: repoConfig, files, commitSha: 'b'.repeat(40), accept: false, externalId: null }, deps());
    expect(report.result?.drifts).toEqual([]);
    expect(report.result?.notes).toContain('1 drift(s) matched ignore rules and are not shown.');
  });

  it('reports a state it cannot read as a failed scan that says what to fix', async () => {
    nock(ENDPOINT).get(/.*/).query(true).reply(403, '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', { 'content-type': 'application/xml' });
    const repoConfig = config('workspaces:\n  - name: legacy\n    dir: infra/legacy\n    state: s3://millbrook-tfstate/legacy/terraform.tfstate\n');
    const report = await scanWorkspace({ workspace: repoConfig.workspaces[0]!, all: repoConfig.workspaces, config: repoConfig, files: await repository(), commitSha: 'c'.repeat(40), accept: false, externalId: null }, deps());
    expect(report.status).toBe('failed');
    expect(report.result).toBeNull();
    expect(report.error).toContain('millbrook-tfstate');
  });

  it('says a missing root module is a failed scan, naming the repository', async () => {
    const repoConfig = config('workspaces:\n  - name: gone\n    dir: infra/gone\n');
    const report = await scanWorkspace({ workspace: repoConfig.workspaces[0]!, all: repoConfig.workspaces, config: repoConfig, files: await repository(), commitSha: 'd'.repeat(40), accept: false, externalId: null }, deps());
    expect(report).toMatchObject({ status: 'failed', error: expect.stringContaining('infra/gone is not a directory in acme/infra at 1a2b3c4') });
  });

  it('turns a bug into a failed report and hands the error to the caller', async () => {
    const errors: unknown[] = [];
    const repoConfig = config('workspaces:\n  - name: legacy\n    dir: infra/legacy\n');
    const report = await scanWorkspace(
      { workspace: repoConfig.workspaces[0]!, all: repoConfig.workspaces, config: repoConfig, files: await repository(), commitSha: 'e'.repeat(40), accept: false, externalId: null },
      { ...deps(), scan: async () => Promise.reject(new TypeError('x is undefined')), onUnexpectedError: (error) => errors.push(error) },
    );
    expect(report.status).toBe('failed');
    expect(report.error).toContain('This is a bug');
    expect(errors).toHaveLength(1);
  });

  it.each([
    ['.', ''],
    ['./infra/prod/', 'infra/prod'],
    ['infra/prod', 'infra/prod'],
  ])('reads the dir %s as %s', (dir, expected) => {
    expect(workspaceDir({ dir })).toBe(expected);
  });
});
