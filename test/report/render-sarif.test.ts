import { describe, expect, it } from 'vitest';
import { renderSarif, SARIF_SCHEMA } from '../../src/report/render-sarif.js';
import type { ReportDrift, ScanResult } from '../../src/report/types.js';
import { bucketDeleted, drifted, imdsReenabled, partial, quiet, resultWith, sshWorldOpen, tagsOnly, unmanagedInstance } from './fixtures/scan-results.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  properties: { severity: string; 'security-severity': string; tags: string[] };
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: string };
  properties: { 'security-severity': string; tags: string[] };
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] } };
    automationDetails: { id: string };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: string; message: { text: string } }[] }[];
    results: SarifResult[];
  }[];
}

const LEVELS = ['none', 'note', 'warning', 'error'];

/** The parts of SARIF 2.1.0 that GitHub code scanning requires or reads, checked by hand. */
function validate(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  expect(log.$schema).toBe(SARIF_SCHEMA);
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  const [run] = log.runs;
  if (run === undefined) throw new Error('no run');
  expect(run.tool.driver.name).toBe('driftwatch');
  expect(typeof run.tool.driver.version).toBe('string');
  const ids = run.tool.driver.rules.map((rule) => rule.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of run.tool.driver.rules) {
    expect(rule.shortDescription.text.trim()).not.toBe('');
    expect(rule.shortDescription.text).not.toMatch(/\{\w+\}/);
    expect(LEVELS).toContain(rule.defaultConfiguration.level);
    const score = Number(rule.properties['security-severity']);
    expect(typeof rule.properties['security-severity']).toBe('string');
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(10);
    expect(rule.properties.tags).toContain('security');
  }
  for (const result of run.results) {
    expect(ids).toContain(result.ruleId);
    expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(LEVELS).toContain(result.level);
    expect(result.message.text.trim()).not.toBe('');
    expect(result.partialFingerprints['driftwatch/v1']).toMatch(/^[0-9a-f]{64}$/);
    for (const location of result.locations ?? []) {
      const { uri } = location.physicalLocation.artifactLocation;
      expect(uri).not.toMatch(/^[a-z]+:|^\//i);
      expect(() => new URL(uri, 'file:///repo/')).not.toThrow();
      expect(Number.isInteger(location.physicalLocation.region.startLine)).toBe(true);
      expect(location.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    }
  }
  return log;
}

function results(result: ScanResult, options?: Parameters<typeof renderSarif>[1]): SarifResult[] {
  return validate(renderSarif(result, options)).runs[0]?.results ?? [];
}

function rules(result: ScanResult): SarifRule[] {
  return validate(renderSarif(result)).runs[0]?.tool.driver.rules ?? [];
}

describe('renderSarif', () => {
  it('renders the drifted scan', async () => {
    const sarif = renderSarif(drifted, { uriPrefix: 'infra/kiln', fallbackLocation: { file: 'compute.tf', line: 1 }, toolVersion: '0.1.0' });
    validate(sarif);
    await expect(sarif).toMatchFileSnapshot('__snapshots__/drifted.sarif.json');
  });

  it.each([
    ['drifted', drifted],
    ['partial', partial],
    ['quiet', quiet],
  ])('produces a valid log for the %s scan', (_name, result) => {
    validate(renderSarif(result));
  });

  it('gives one result per drift, and no rules when nothing drifted', () => {
    expect(results(drifted)).toHaveLength(5);
    expect(results(quiet)).toEqual([]);
    expect(rules(quiet)).toEqual([]);
  });

  it('takes the rule id from the first signal, or the drift kind when there is none (most severe first)', () => {
    const noSignals = (drift: ReportDrift) => ({ ...drift, signals: [] });
    expect(results(resultWith([sshWorldOpen, noSignals(tagsOnly), noSignals(bucketDeleted), noSignals(unmanagedInstance)])).map((result) => result.ruleId)).toEqual([
      'sg.world_open_admin_port',
      'driftwatch.deleted',
      'driftwatch.unmanaged',
      'driftwatch.modified',
    ]);
  });

  it('declares each rule once, however many results use it', () => {
    const second = { ...sshWorldOpen, fingerprint: 'f'.repeat(64), id: 'sgr-0ffffffffffffffff' };
    const log = validate(renderSarif(resultWith([sshWorldOpen, second])));
    expect(log.runs[0]?.tool.driver.rules.map((rule) => rule.id)).toEqual(['sg.world_open_admin_port']);
    expect(log.runs[0]?.results.map((result) => result.ruleIndex)).toEqual([0, 0]);
  });

  it('describes a catalog rule by its title without per-drift values', () => {
    const [rule] = rules(resultWith([sshWorldOpen]));
    expect(rule?.shortDescription.text).toBe('Opened to the entire internet (…) on port …');
    expect(rule?.defaultConfiguration.level).toBe('error');
    expect(rule?.properties).toEqual({ 'security-severity': '9.5', tags: ['security', 'drift', 'cis/5.2', 'mitre/T1133', 'mitre/T1562.007'] });
  });

  it('grades a kind rule by the worst drift it covers', () => {
    const low = { ...tagsOnly, signals: [] };
    const high = { ...imdsReenabled, signals: [], severity: 'high' as const };
    const [rule] = rules(resultWith([low, high]));
    expect(rule?.id).toBe('driftwatch.modified');
    expect(rule?.shortDescription.text).toBe('Resource modified outside Terraform');
    expect(rule?.defaultConfiguration.level).toBe('error');
    expect(rule?.properties['security-severity']).toBe('8.0');
  });

  it.each([
    ['critical', 'error', '9.5'],
    ['high', 'error', '8.0'],
    ['medium', 'warning', '5.5'],
    ['low', 'note', '2.0'],
  ] as const)('maps severity %s to level %s and security-severity %s', (severity, level, score) => {
    const [result] = results(resultWith([{ ...tagsOnly, severity }]));
    expect(result?.level).toBe(level);
    expect(result?.properties.severity).toBe(severity);
    expect(result?.properties['security-severity']).toBe(score);
  });

  it('anchors a drift where its resource is written, under the prefix', () => {
    const [result] = results(resultWith([sshWorldOpen]), { uriPrefix: 'infra/kiln/' });
    expect(result?.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'infra/kiln/security.tf' }, region: { startLine: 64 } } }]);
  });

  it.each([
    ['no prefix', undefined, 'security.tf', 'security.tf'],
    ['a prefix without a slash', 'infra/kiln', 'security.tf', 'infra/kiln/security.tf'],
    ['a ./ path', 'infra', './modules/app/main.tf', 'infra/modules/app/main.tf'],
    ['a Windows path', undefined, 'modules\\app\\main.tf', 'modules/app/main.tf'],
    ['characters a URI cannot hold', undefined, 'my dir/a#b?.tf', 'my%20dir/a%23b%3F.tf'],
  ])('builds the URI with %s', (_name, uriPrefix, file, uri) => {
    const [result] = results(resultWith([{ ...sshWorldOpen, location: { file, line: 3 } }]), uriPrefix === undefined ? {} : { uriPrefix });
    expect(result?.locations?.[0]?.physicalLocation.artifactLocation.uri).toBe(uri);
  });

  it('leaves an unmanaged drift without locations, or puts it at the fallback', () => {
    expect(results(resultWith([unmanagedInstance]))[0]).not.toHaveProperty('locations');
    const [anchored] = results(resultWith([unmanagedInstance]), { fallbackLocation: { file: 'main.tf', line: 1 } });
    expect(anchored?.locations?.[0]?.physicalLocation).toEqual({ artifactLocation: { uri: 'main.tf' }, region: { startLine: 1 } });
  });

  it('fingerprints each result with the drift fingerprint', () => {
    expect(results(drifted).map((result) => result.partialFingerprints)).toEqual(
      [sshWorldOpen, bucketDeleted, imdsReenabled, unmanagedInstance, tagsOnly].map((drift) => ({ 'driftwatch/v1': drift.fingerprint })),
    );
  });

  it('says in the message what changed (brackets escaped, as SARIF plain text requires)', () => {
    const [result] = results(resultWith([imdsReenabled]));
    expect(result?.message.text).toBe(
      'Instance metadata service accepts IMDSv1 (session tokens not required). aws_instance.worker (i-0b7e1f2a3c4d5e6f7): metadata_options\\[0\\].http_tokens: required → optional; monitoring: false → true',
    );
    expect(results(resultWith([unmanagedInstance]))[0]?.message.text).toBe(
      'm5.large instance launched outside Terraform. aws_instance i-0f3a9c2b7d1e4a5b6 is in AWS and in no Terraform state.',
    );
  });

  it('keeps cloud data from forming links or breaking lines in the message', () => {
    const hostile = { ...tagsOnly, title: 'Tags changed: [login](https://evil.example)\n\u001b[2Jnext', changes: [{ path: 'tags.x', declared: null, live: '[a](1)' }] };
    const text = results(resultWith([hostile]))[0]?.message.text ?? '';
    expect(text).not.toMatch(/(?<!\\)[[\]]/);
    expect(text).not.toContain('\n');
    expect(text).not.toContain('\u001b');
  });

  it('masks values under secret-like attribute names', () => {
    const secret = { ...sshWorldOpen, changes: [{ path: 'password', declared: 'FIXTURE-not-a-secret', live: 'FIXTURE-rotated' }] };
    expect(renderSarif(resultWith([secret]))).not.toContain('FIXTURE');
  });

  it('reports unreadable resource types as tool notifications', () => {
    const [invocation] = validate(renderSarif(partial)).runs[0]?.invocations ?? [];
    expect(invocation?.executionSuccessful).toBe(true);
    expect(invocation?.toolExecutionNotifications?.[0]?.level).toBe('warning');
    expect(invocation?.toolExecutionNotifications?.[0]?.message.text).toMatch(/^aws_db_instance could not be read, so its drift is unknown: AccessDenied/);
    expect(validate(renderSarif(drifted)).runs[0]?.invocations[0]).toEqual({ executionSuccessful: true });
  });

  it('names the run after the workspace, so each workspace is its own code scanning category', () => {
    expect(validate(renderSarif(drifted)).runs[0]?.automationDetails).toEqual({ id: 'driftwatch/kiln-production/' });
  });

  it('takes the tool version and home page from options', () => {
    expect(validate(renderSarif(quiet)).runs[0]?.tool.driver).toEqual({ name: 'driftwatch', version: '0.0.0', rules: [] });
    const driver = validate(renderSarif(quiet, { toolVersion: '1.2.3', informationUri: 'https://example.com/driftwatch' })).runs[0]?.tool.driver;
    expect(driver).toEqual({ name: 'driftwatch', informationUri: 'https://example.com/driftwatch', version: '1.2.3', rules: [] });
  });
});
